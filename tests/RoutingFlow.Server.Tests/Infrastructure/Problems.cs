using System.Net;
using System.Text.Json;

namespace RoutingFlow.Server.Tests.Infrastructure;

/// <summary>Asserts the API's one error dialect: RFC 9457 problem details, a 400 naming its field.</summary>
public static class Problems
{
    /// <summary>
    /// The response is <paramref name="status"/> with <c>application/problem+json</c>; its <c>detail</c> starts with
    /// <paramref name="message"/>, and for a 400 <c>errors[field]</c> says the same. Returns the detail.
    /// </summary>
    public static async Task<string> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string? field, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var root = problem.RootElement;
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        var detail = root.GetProperty("detail").GetString()!;
        Assert.StartsWith(message, detail, StringComparison.Ordinal);
        if (field is not null)
            Assert.StartsWith(message, root.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        return detail;
    }
}
