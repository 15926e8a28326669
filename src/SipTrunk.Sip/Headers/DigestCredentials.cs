using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Sip.Headers;

/// <summary>
/// An Authorization or Proxy-Authorization value (RFC 3261 §22.4, §25.1; RFC 7616 §3.4).
/// <see cref="ToString"/> redacts the <c>response</c> so credentials never reach a log intact.
/// </summary>
public sealed class DigestCredentials
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly string[] QuotedNames = ["username", "realm", "nonce", "uri", "response", "cnonce", "opaque"];
    private static readonly string[] UnquotedNames = ["algorithm", "qop", "nc", "userhash"];

    private DigestCredentials(string scheme, HeaderParameters parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    /// <summary>The authentication scheme, normally <c>Digest</c>.</summary>
    public string Scheme { get; }

    /// <summary>All parameters in order, values unquoted.</summary>
    public HeaderParameters Parameters { get; }

    /// <summary>The <c>username</c> (a hash when <see cref="UserHash"/> is set).</summary>
    public string? Username => Parameters["username"];

    /// <summary>The <c>realm</c>.</summary>
    public string? Realm => Parameters["realm"];

    /// <summary>The <c>nonce</c>.</summary>
    public string? Nonce => Parameters["nonce"];

    /// <summary>The <c>uri</c>, exactly as given (the digest is computed over this text, RFC 7616 §3.4.6).</summary>
    public string? Uri => Parameters["uri"];

    /// <summary>The <c>response</c> digest.</summary>
    public string? Response => Parameters["response"];

    /// <summary>The <c>algorithm</c>; absent means MD5.</summary>
    public string? Algorithm => Parameters["algorithm"];

    /// <summary>The <c>cnonce</c>.</summary>
    public string? Cnonce => Parameters["cnonce"];

    /// <summary>The <c>opaque</c> value.</summary>
    public string? Opaque => Parameters["opaque"];

    /// <summary>The chosen <c>qop</c>.</summary>
    public string? Qop => Parameters["qop"];

    /// <summary>The <c>nc</c> value as given (8 hex digits).</summary>
    public string? NonceCount => Parameters["nc"];

    /// <summary>Whether <c>userhash=true</c> (RFC 7616 §3.4.4).</summary>
    public bool UserHash => string.Equals(Parameters["userhash"], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds Digest credentials, e.g. to answer a carrier's challenge.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public static DigestCredentials Create(
        string username,
        string realm,
        string nonce,
        string uri,
        string response,
        string? algorithm = null,
        string? cnonce = null,
        string? opaque = null,
        string? qop = null,
        string? nonceCount = null,
        bool userHash = false)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(response);
        if (nonceCount is not null && !IsNonceCount(nonceCount))
        {
            throw new ArgumentException("nc must be 8 hex digits.", nameof(nonceCount));
        }

        var parameters = HeaderParameters.Empty;
        parameters = AuthParameterList.Add(parameters, "username", username, true);
        parameters = AuthParameterList.Add(parameters, "realm", realm, true);
        parameters = AuthParameterList.Add(parameters, "nonce", nonce, true);
        parameters = AuthParameterList.Add(parameters, "uri", uri, true);
        parameters = AuthParameterList.Add(parameters, "response", response, true);
        parameters = AuthParameterList.Add(parameters, "algorithm", algorithm, false);
        parameters = AuthParameterList.Add(parameters, "cnonce", cnonce, true);
        parameters = AuthParameterList.Add(parameters, "opaque", opaque, true);
        parameters = AuthParameterList.Add(parameters, "qop", qop, false);
        parameters = AuthParameterList.Add(parameters, "nc", nonceCount, false);
        parameters = AuthParameterList.Add(parameters, "userhash", userHash ? "true" : null, false);
        return new DigestCredentials("Digest", parameters);
    }

    /// <summary>Parses a whole credentials value (it contains commas; the core does not split it).</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out DigestCredentials? result, out string? error)
    {
        result = null;
        if (!AuthParameterList.TryParse(value, out var scheme, out var parameters, out error))
        {
            return false;
        }

        if (parameters["nc"] is { } nc && !IsNonceCount(nc))
        {
            error = "nc must be 8 hex digits";
            return false;
        }

        result = new DigestCredentials(scheme, parameters);
        return true;
    }

    /// <summary>The header value with RFC 7616 quoting (username, realm, nonce, uri, response, cnonce, opaque quoted; algorithm, qop, nc bare).</summary>
    public string ToHeaderValue() => AuthParameterList.Write(Scheme, Parameters, QuotedNames, UnquotedNames);

    /// <summary>The header value with the <c>response</c> replaced by <c>&lt;redacted&gt;</c>, safe to log.</summary>
    public override string ToString() => AuthParameterList.Write(Scheme, Parameters, QuotedNames, UnquotedNames, redact: "response");

    private static bool IsNonceCount(string value) => value.Length == 8 && !value.AsSpan().ContainsAnyExcept(HexDigits);
}
