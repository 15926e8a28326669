using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using SipTrunk.Sip.Syntax;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Headers;

/// <summary>
/// A <c>(name-addr / addr-spec) *(SEMI generic-param)</c> value as used by From, To, Contact, Route, Record-Route,
/// Reply-To, Refer-To, P-Asserted-Identity and Path (RFC 3261 §20.10, §25.1).
/// </summary>
public sealed class NameAddress
{
    private static readonly SearchValues<char> AddrSpecEnd = SearchValues.Create(";, \t\r\n");

    private NameAddress(string? displayName, AbsoluteUri uri, HeaderParameters parameters)
    {
        DisplayName = displayName;
        Uri = uri;
        Parameters = parameters;
    }

    /// <summary>
    /// The display name, unquoted and unescaped (a token sequence has its white space collapsed), or
    /// <see langword="null"/> when absent. Characters are wire octets decoded as Latin-1, like all header text.
    /// </summary>
    public string? DisplayName { get; }

    /// <summary>The address.</summary>
    public AbsoluteUri Uri { get; }

    /// <summary>The header parameters that follow the address (not the URI's own parameters).</summary>
    public HeaderParameters Parameters { get; }

    /// <summary>The <c>tag</c> parameter (RFC 3261 §19.3).</summary>
    public string? Tag => Parameters["tag"];

    /// <summary>Creates a value from its parts.</summary>
    /// <exception cref="ArgumentException">The display name contains CR or LF.</exception>
    public static NameAddress Create(AbsoluteUri uri, string? displayName = null, HeaderParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ValidateDisplayName(displayName);
        return new NameAddress(displayName, uri, parameters ?? HeaderParameters.Empty);
    }

    /// <summary>Parses one name-addr or addr-spec with its parameters.</summary>
    /// <param name="value">One header value (one list element for list headers); may contain LWS and folds.</param>
    /// <param name="result">The parsed value.</param>
    /// <param name="error">A short reason when the value is invalid.</param>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out NameAddress? result, out string? error)
    {
        result = null;
        var position = 0;
        if (!TryParseAt(value, ref position, out var parsed, out error))
        {
            return false;
        }

        position = SipLexer.SkipLws(value, position);
        if (position < value.Length)
        {
            error = $"unexpected character {SipLexer.Describe(value[position])} after address";
            return false;
        }

        result = parsed;
        return true;
    }

    /// <summary>Returns a copy with the <c>tag</c> parameter set.</summary>
    /// <exception cref="ArgumentException">The tag is not a token.</exception>
    public NameAddress WithTag(string tag)
    {
        if (!SipLexer.IsToken(tag))
        {
            throw new ArgumentException("A tag must be a token.", nameof(tag));
        }

        return new NameAddress(DisplayName, Uri, Parameters.With(new HeaderParameter("tag", tag, false)));
    }

    /// <summary>Returns a copy with another URI.</summary>
    public NameAddress WithUri(AbsoluteUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return new NameAddress(DisplayName, uri, Parameters);
    }

    /// <summary>Returns a copy with another display name; <see langword="null"/> removes it.</summary>
    public NameAddress WithDisplayName(string? displayName)
    {
        ValidateDisplayName(displayName);
        return new NameAddress(displayName, Uri, Parameters);
    }

    /// <summary>Returns a copy with a header parameter set (<see langword="null"/> value for a flag).</summary>
    public NameAddress WithParameter(string name, string? value) => new(DisplayName, Uri, Parameters.With(name, value));

    /// <summary>Returns a copy without the named header parameter.</summary>
    public NameAddress WithoutParameter(string name) => new(DisplayName, Uri, Parameters.Without(name));

    /// <summary>Returns a copy with other header parameters.</summary>
    public NameAddress WithParameters(HeaderParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new NameAddress(DisplayName, Uri, parameters);
    }

    /// <summary>The wire form, always in <c>name-addr</c> form so URI parameters cannot be mistaken for header parameters.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(96);
        if (DisplayName is not null)
        {
            builder.Append(QuotedString.Quote(DisplayName)).Append(' ');
        }

        builder.Append('<').Append(Uri.ToString()).Append('>');
        Parameters.AppendTo(builder);
        return builder.ToString();
    }

    internal static bool TryParseAt(ReadOnlySpan<char> text, ref int position, [NotNullWhen(true)] out NameAddress? result, out string? error)
    {
        result = null;
        var i = SipLexer.SkipLws(text, position);
        if (i >= text.Length)
        {
            error = "empty address";
            return false;
        }

        string? displayName = null;
        if (text[i] == '"')
        {
            if (!QuotedString.TryParse(text, ref i, out var quoted, out error))
            {
                error = "display name: " + error;
                return false;
            }

            displayName = quoted;
            i = SipLexer.SkipLws(text, i);
            if (i >= text.Length || text[i] != '<')
            {
                error = "expected '<' after display name";
                return false;
            }
        }
        else
        {
            // display-name = *(token LWS): it is a display name only if a '<' follows the tokens.
            var scan = i;
            while (scan < text.Length)
            {
                var skipped = SipLexer.SkipLws(text, scan);
                if (skipped < text.Length && SipLexer.IsTokenChar(text[skipped]))
                {
                    scan = skipped + 1;
                }
                else
                {
                    scan = skipped;
                    break;
                }
            }

            if (scan < text.Length && text[scan] == '<')
            {
                var name = SipLexer.NormalizeLws(text[i..scan]);
                displayName = name.Length == 0 ? null : name;
                i = scan;
            }
        }

        AbsoluteUri? uri;
        if (text[i] == '<')
        {
            var close = text[(i + 1)..].IndexOf('>');
            if (close < 0)
            {
                error = "missing '>'";
                return false;
            }

            if (!AbsoluteUri.TryParse(text.Slice(i + 1, close), out uri, out error))
            {
                return false;
            }

            i += close + 2;
        }
        else
        {
            // addr-spec: its parameters belong to the header, so the URI ends at ';' (RFC 3261 §20.10).
            var end = text[i..].IndexOfAny(AddrSpecEnd);
            var uriText = end < 0 ? text[i..] : text.Slice(i, end);
            if (uriText.Contains('?') || (end >= 0 && text[i + end] == ','))
            {
                error = "a URI containing ',', ';' or '?' must be enclosed in <>";
                return false;
            }

            if (!AbsoluteUri.TryParse(uriText, out uri, out error))
            {
                return false;
            }

            i += uriText.Length;
        }

        if (!HeaderParameters.TryParseList(text, ref i, ';', out var parameters, out error))
        {
            return false;
        }

        position = i;
        result = new NameAddress(displayName, uri, parameters);
        return true;
    }

    private static void ValidateDisplayName(string? displayName)
    {
        if (displayName is not null && !QuotedString.CanQuote(displayName))
        {
            throw new ArgumentException("A display name cannot contain CR or LF.", nameof(displayName));
        }
    }
}
