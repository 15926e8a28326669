using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Admin;

/// <summary>The admin server of a running SipTrunk: found from its start-up line, asked with or without the token.</summary>
internal static partial class AdminEndpoint
{
    /// <summary>Waits for "Admin listening on http://127.0.0.1:PORT" and returns that address (with a trailing slash).</summary>
    public static async Task<Uri> WaitForUrlAsync(SipTrunkProcess sipTrunk, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(sipTrunk);
        Assert.True(await sipTrunk.WaitForOutputAsync("Admin listening on ", timeout), sipTrunk.Output);
        return new Uri(Listening().Match(sipTrunk.Output).Groups[1].Value + "/");
    }

    /// <summary>An HTTP client on <paramref name="admin"/> that sends <paramref name="token"/> as a bearer token when given.</summary>
    public static HttpClient Client(Uri admin, string? token = null)
    {
        var client = new HttpClient { BaseAddress = admin };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    [GeneratedRegex(@"Admin listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
