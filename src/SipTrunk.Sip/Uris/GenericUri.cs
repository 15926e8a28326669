using System.Diagnostics.CodeAnalysis;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Uris;

/// <summary>
/// Any other <c>absoluteURI</c> (RFC 3261 §25.1, RFC 3986 §3.1 scheme syntax), kept verbatim.
/// Equality compares the scheme case-insensitively and the rest ordinally.
/// </summary>
public sealed class GenericUri : AbsoluteUri, IEquatable<GenericUri>
{
    private GenericUri(string scheme, string specificPart)
    {
        Scheme = scheme;
        SchemeSpecificPart = specificPart;
    }

    /// <inheritdoc/>
    public override string Scheme { get; }

    /// <summary>Everything after the first colon, exactly as received.</summary>
    public string SchemeSpecificPart { get; }

    /// <summary>Parses an absolute URI of any scheme.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out GenericUri? uri, out string? error)
    {
        uri = null;
        if (text.Length > MaxLength)
        {
            error = "URI too long";
            return false;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || !IsScheme(text[..colon]))
        {
            error = "missing or invalid URI scheme";
            return false;
        }

        var rest = text[(colon + 1)..];
        if (rest.IsEmpty)
        {
            error = "empty URI after scheme";
            return false;
        }

        foreach (var c in rest)
        {
            // Visible ASCII minus what RFC 3986 §2 never allows in a URI.
            if (c is <= ' ' or >= '\u007F' or '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`')
            {
                error = c is ' ' or '\t' or '\r' or '\n' ? "URI contains whitespace" : $"invalid character {SipLexer.Describe(c)} in URI";
                return false;
            }
        }

        if (!PercentEncoding.HasValidEscapes(rest))
        {
            error = "bad escape sequence in URI";
            return false;
        }

        uri = new GenericUri(text[..colon].ToString(), rest.ToString());
        error = null;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Scheme + ":" + SchemeSpecificPart;

    /// <inheritdoc/>
    public bool Equals(GenericUri? other) =>
        other is not null
        && string.Equals(Scheme, other.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(SchemeSpecificPart, other.SchemeSpecificPart, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as GenericUri);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Scheme), StringComparer.Ordinal.GetHashCode(SchemeSpecificPart));

    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )   (RFC 3986 §3.1)
    internal static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (scheme.IsEmpty || !char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
