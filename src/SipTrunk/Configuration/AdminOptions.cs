using System.Text;

namespace SipTrunk.Configuration;

/// <summary><c>Admin</c>: the HTTP API and web page (CONTRACT.md §4).</summary>
internal sealed record AdminOptions
{
    /// <summary>One or more URLs separated by <c>;</c> (the ASP.NET Core <c>urls</c> convention).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Bearer token for <c>/api/*</c>; required when any URL is not loopback.</summary>
    public string? Token { get; init; }

    /// <summary>The individual URLs of <see cref="Urls"/>.</summary>
    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // The token grants the admin API; never print it (CONTRACT.md §6).
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Urls = ").Append(Urls).Append(", Token = ").Append(Token is null ? "" : Redaction.Mask);
        return true;
    }
}
