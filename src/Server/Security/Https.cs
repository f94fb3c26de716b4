namespace RoutingFlow.Server.Security;

/// <summary>
/// HTTPS is Kestrel's own configuration (<c>Kestrel:Endpoints:Https:Url</c> with <c>Certificate:Path</c> and
/// <c>KeyPath</c>, or a PFX with <c>Password</c>); when an https endpoint is configured, answers over HTTPS carry
/// <c>Strict-Transport-Security</c> (a year; for every host name: a router is reached by its own names).
/// </summary>
public static class Https
{
    public static readonly TimeSpan HstsMaxAge = TimeSpan.FromDays(365);

    /// <summary>Whether any configured listen address is https.</summary>
    public static bool Configured(IConfiguration configuration) =>
        ListenCheck.Urls(configuration).Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    public static void AddHttpsHardening(this WebApplicationBuilder builder)
    {
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = HstsMaxAge;
            o.ExcludedHosts.Clear(); // the default spares localhost only for development
        });
    }

    /// <summary>HSTS on HTTPS answers when HTTPS is configured (ASP.NET Core sends it over HTTPS only).</summary>
    public static void UseHttpsHardening(this WebApplication app)
    {
        if (Configured(app.Configuration))
            app.UseHsts();
    }
}
