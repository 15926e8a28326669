using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Sip.Uris;

/// <summary>
/// A URI as it appears in a Request-Line or an <c>addr-spec</c> (RFC 3261 §25.1 <c>SIP-URI / SIPS-URI / absoluteURI</c>).
/// </summary>
public abstract class AbsoluteUri
{
    /// <summary>The longest URI accepted, to bound the work any one URI can cause.</summary>
    public const int MaxLength = 4096;

    private protected AbsoluteUri()
    {
    }

    /// <summary>The scheme, e.g. <c>sip</c>, <c>sips</c>, <c>tel</c>.</summary>
    public abstract string Scheme { get; }

    /// <summary>Parses a URI, choosing <see cref="SipUri"/>, <see cref="TelUri"/> or <see cref="GenericUri"/> by scheme.</summary>
    /// <param name="text">The URI with no surrounding white space.</param>
    /// <param name="uri">The parsed URI.</param>
    /// <param name="error">A short reason when the URI is invalid.</param>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out AbsoluteUri? uri, out string? error)
    {
        uri = null;
        if (text.Length > MaxLength)
        {
            error = "URI too long";
            return false;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || !GenericUri.IsScheme(text[..colon]))
        {
            error = "missing or invalid URI scheme";
            return false;
        }

        var scheme = text[..colon];
        if (scheme.Equals("sip", StringComparison.OrdinalIgnoreCase) || scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            var ok = SipUri.TryParse(text, out var sip, out error);
            uri = sip;
            return ok;
        }

        if (scheme.Equals("tel", StringComparison.OrdinalIgnoreCase))
        {
            var ok = TelUri.TryParse(text, out var tel, out error);
            uri = tel;
            return ok;
        }

        var parsed = GenericUri.TryParse(text, out var generic, out error);
        uri = generic;
        return parsed;
    }

    /// <summary>Parses a URI or throws.</summary>
    /// <exception cref="FormatException">The text is not a valid URI.</exception>
    public static AbsoluteUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var uri, out var error) ? uri : throw new FormatException($"Invalid URI: {error}");
    }

    /// <summary>The wire form of the URI.</summary>
    public abstract override string ToString();
}
