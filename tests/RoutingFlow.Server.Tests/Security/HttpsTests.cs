using System.Net;
using System.Security.Cryptography.X509Certificates;
using RoutingFlow.Server.Tests.Infrastructure;
using RoutingFlow.Testing.Lab;
using RoutingFlow.Testing.Processes;
using RoutingFlow.Testing.Waiting;

namespace RoutingFlow.Server.Tests.Security;

/// <summary>
/// HTTPS through Kestrel's standard configuration: a self-signed certificate made by openssl, its PEM paths in the
/// Kestrel endpoint settings, the server answering over TLS with exactly that certificate and with HSTS, while its
/// plain-HTTP endpoint beside it carries no HSTS (browsers ignore it there).
/// </summary>
public sealed class HttpsTests
{
    [Fact]
    public async Task AConfiguredCertificate_ServesHttps_WithHsts()
    {
        var dir = Directory.CreateTempSubdirectory("rf-https-").FullName;
        BackgroundProcess? server = null;
        try
        {
            var (cert, key) = (Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"));
            var made = await ProcessRunner.RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=router.lab",
                "-addext", "subjectAltName=DNS:router.lab,IP:127.0.0.1", "-keyout", key, "-out", cert], TimeSpan.FromSeconds(60));
            Assert.True(made.ExitCode == 0, made.StandardError);
            await File.WriteAllTextAsync(Path.Combine(dir, "nic.json"), """{"wan0":"wan0"}""");
            var (https, http) = (PrometheusServer.FreePort(), PrometheusServer.FreePort());
            server = BackgroundProcess.Start("dotnet", [RoutingFlowProcess.Assembly, $"--RoutingFlow:NicFile={dir}/nic.json", $"--RoutingFlow:DataDirectory={dir}/data",
                $"--Kestrel:Endpoints:Https:Url=https://127.0.0.1:{https}", $"--Kestrel:Endpoints:Https:Certificate:Path={cert}",
                $"--Kestrel:Endpoints:Https:Certificate:KeyPath={key}", $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{http}"]);
            var expected = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(cert));
            X509Certificate2? presented = null;
            using var client = new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, c, _, _) => (presented = c is null ? null : new X509Certificate2(c)) is not null,
            });

            var answer = await Eventually.WaitAsync(async () =>
            {
                Assert.False(server.HasExited, server.Output);
                try
                {
                    return await client.GetAsync($"https://127.0.0.1:{https}/healthz");
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }, TimeSpan.FromSeconds(60), "the server to answer over HTTPS");

            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(expected.Thumbprint, presented!.Thumbprint);
            Assert.Equal("max-age=31536000", Assert.Single(answer.Headers.GetValues("Strict-Transport-Security")));
            using var plain = await client.GetAsync($"http://127.0.0.1:{http}/healthz");
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        }
        finally
        {
            if (server is not null)
                await server.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }
}
