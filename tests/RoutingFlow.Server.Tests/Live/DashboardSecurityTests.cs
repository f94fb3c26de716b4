using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Browser;
using RoutingFlow.Testing.Lab;

namespace RoutingFlow.Server.Tests.Live;

/// <summary>
/// The dashboard's first control, the correction factor, in a real browser (headless Chromium) that reaches the
/// server over the lab's management link, so from a non-loopback address: refused (offered the sign-in) until
/// signed in with the API key; a wrong key is refused; signed in, the control sets the factor.
/// </summary>
public sealed class DashboardSecurityTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [RootFact]
    public async Task CorrectionControl_FromAnotherHost_NeedsTheApiKeySignIn()
    {
        await using var lab = await NamespaceLab.StartAsync();
        var data = Directory.CreateTempSubdirectory("rf-data-").FullName;
        await using var server = await RoutingFlowServer.StartAsync("""{"wan0":"wan0"}""",
            [$"--RoutingFlow:DataDirectory={data}", "--RoutingFlow:Security:ApiKey=lab-key"], listen: NamespaceLab.RouterAddress, lab: lab);
        await using var browser = await HeadlessChromium.StartAsync(NamespaceLab.RouterAddress);
        var baseUrl = server.Http.BaseAddress!.ToString().TrimEnd('/');

        await browser.NavigateAsync($"{baseUrl}/probe");
        await browser.WaitForAsync("document.querySelector('[data-testid=correction][data-interactive=true] [data-testid=correction-signin]')", Wait, "the connected control to offer the sign-in (not loopback)");
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('[data-testid=correction-input]').length"))!.GetValue<int>());

        await browser.EvaluateAsync("document.querySelector('[data-testid=correction-signin]').click()");
        await SignInAsync(browser, "wrong-key");
        await browser.WaitForAsync("document.querySelector('[data-testid=signin-error]')", Wait, "the wrong key to be refused");
        await SignInAsync(browser, "lab-key");
        await browser.WaitForAsync("location.pathname === '/probe' && document.querySelector('[data-testid=correction][data-interactive=true] [data-testid=correction-input]')", Wait, "the control, signed in and connected");

        await browser.EvaluateAsync("""
            (() => { const input = document.querySelector('[data-testid=correction-input]');
                     input.value = '3'; input.dispatchEvent(new Event('input', { bubbles: true }));
                     document.querySelector('[data-testid=correction-set]').click(); })()
            """);
        await browser.WaitForAsync("document.querySelector('[data-testid=correction-message]')?.textContent === 'Correction factor set to: 3'", Wait, "the control to set the factor");
        await browser.WaitForAsync("document.querySelector('[data-testid=correction-value]').textContent === '3'", Wait, "the page to show the new factor");
        Assert.Equal("Current correction factor: 3", await server.Http.GetStringAsync("tcpflow"));
        Directory.Delete(data, recursive: true);
    }

    private static async Task SignInAsync(HeadlessChromium browser, string key)
    {
        await browser.WaitForAsync("document.querySelector('[data-testid=signin-key]')", Wait, "the sign-in form");
        await browser.EvaluateAsync($$"""
            (() => { document.querySelector('[data-testid=signin-key]').value = '{{key}}';
                     document.querySelector('[data-testid=signin-form]').submit(); })()
            """);
        await browser.WaitForAsync("document.readyState === 'complete'", Wait, "the sign-in answer");
    }
}
