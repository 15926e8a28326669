using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Sip.Headers;

/// <summary>
/// A WWW-Authenticate or Proxy-Authenticate value (RFC 3261 §22.4, §25.1; RFC 7616 §3.3; RFC 8760 algorithms).
/// </summary>
public sealed class DigestChallenge
{
    private static readonly string[] QuotedNames = ["realm", "domain", "nonce", "opaque", "qop"];
    private static readonly string[] UnquotedNames = ["stale", "algorithm", "userhash", "charset"];

    private DigestChallenge(string scheme, HeaderParameters parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
        var qop = parameters["qop"];
        Qop = Array.AsReadOnly(qop is null
            ? []
            : qop.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The authentication scheme, normally <c>Digest</c>.</summary>
    public string Scheme { get; }

    /// <summary>All parameters in order, values unquoted.</summary>
    public HeaderParameters Parameters { get; }

    /// <summary>The <c>realm</c>.</summary>
    public string? Realm => Parameters["realm"];

    /// <summary>The <c>nonce</c>.</summary>
    public string? Nonce => Parameters["nonce"];

    /// <summary>The <c>opaque</c> value.</summary>
    public string? Opaque => Parameters["opaque"];

    /// <summary>The <c>algorithm</c>, e.g. <c>MD5</c>, <c>SHA-256</c>, <c>SHA-512-256</c>; absent means MD5.</summary>
    public string? Algorithm => Parameters["algorithm"];

    /// <summary>The offered qop values, from <c>qop="auth,auth-int"</c>.</summary>
    public IReadOnlyList<string> Qop { get; }

    /// <summary>Whether <c>stale=true</c>: the nonce expired but the credentials were right (RFC 7616 §3.3).</summary>
    public bool Stale => AuthParameterList.IsTrue(Parameters["stale"]);

    /// <summary>The <c>domain</c> value (a space-separated URI list).</summary>
    public string? Domain => Parameters["domain"];

    /// <summary>Whether <c>userhash=true</c> (RFC 7616 §3.4.4).</summary>
    public bool UserHash => AuthParameterList.IsTrue(Parameters["userhash"]);

    /// <summary>Builds a Digest challenge; parameters are written in the order realm, nonce, opaque, algorithm, qop, stale, domain, userhash.</summary>
    /// <exception cref="ArgumentException">A value contains CR or LF.</exception>
    public static DigestChallenge Create(
        string realm,
        string nonce,
        string? algorithm = null,
        IEnumerable<string>? qop = null,
        string? opaque = null,
        bool stale = false,
        string? domain = null,
        bool userHash = false)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(nonce);
        var qopValue = qop is null ? null : string.Join(",", qop);
        var parameters = HeaderParameters.Empty;
        parameters = AuthParameterList.Add(parameters, "realm", realm, true);
        parameters = AuthParameterList.Add(parameters, "nonce", nonce, true);
        parameters = AuthParameterList.Add(parameters, "opaque", opaque, true);
        parameters = AuthParameterList.Add(parameters, "algorithm", algorithm, false);
        parameters = AuthParameterList.Add(parameters, "qop", string.IsNullOrEmpty(qopValue) ? null : qopValue, true);
        parameters = AuthParameterList.Add(parameters, "stale", stale ? "true" : null, false);
        parameters = AuthParameterList.Add(parameters, "domain", domain, true);
        parameters = AuthParameterList.Add(parameters, "userhash", userHash ? "true" : null, false);
        return new DigestChallenge("Digest", parameters);
    }

    /// <summary>Parses a whole challenge value (it contains commas; the core does not split it).</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out DigestChallenge? result, out string? error)
    {
        result = null;
        if (!AuthParameterList.TryParse(value, out var scheme, out var parameters, out error))
        {
            return false;
        }

        result = new DigestChallenge(scheme, parameters);
        return true;
    }

    /// <summary>Returns a copy with a parameter set.</summary>
    public DigestChallenge WithParameter(string name, string value) => new(Scheme, Parameters.With(name, value));

    /// <summary>The header value with RFC 7616 quoting (realm, domain, nonce, opaque, qop quoted; stale, algorithm, userhash bare).</summary>
    public string ToHeaderValue() => AuthParameterList.Write(Scheme, Parameters, QuotedNames, UnquotedNames);

    /// <inheritdoc/>
    public override string ToString() => ToHeaderValue();
}
