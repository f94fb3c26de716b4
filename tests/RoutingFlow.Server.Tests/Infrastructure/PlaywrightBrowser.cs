using Microsoft.Playwright;
using RoutingFlow.Testing.Browser;

namespace RoutingFlow.Server.Tests.Infrastructure;

/// <summary>
/// Playwright (.NET) driving Debian's Chromium through <c>ExecutablePath</c> (no browser download): headless, no
/// background networking, every host name but the given addresses unresolvable. Disposing closes it.
/// </summary>
public sealed class PlaywrightBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private PlaywrightBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context)
    {
        (_playwright, _browser, Context) = (playwright, browser, context);
    }

    public IBrowserContext Context { get; }

    public static async Task<PlaywrightBrowser> LaunchAsync(params string[] hosts)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = HeadlessChromium.Executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-default-apps", $"--host-resolver-rules=MAP * ~NOTFOUND{string.Join("", hosts.Select(h => $", EXCLUDE {h}"))}"],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
            return new PlaywrightBrowser(playwright, browser, context);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Saves a full-page screenshot as <c>NAME.png</c> in the folder <c>RF_SCREENSHOTS</c> names, for a person to look
    /// at (nothing is asserted on it); without the variable, does nothing.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("RF_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
