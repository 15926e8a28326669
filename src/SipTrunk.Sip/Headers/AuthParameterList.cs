using System.Diagnostics.CodeAnalysis;
using System.Text;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Headers;

/// <summary>
/// Parsing and writing of <c>auth-scheme LWS auth-param *(COMMA auth-param)</c>, the shape shared by challenges and
/// credentials (RFC 3261 §25.1, RFC 7616 §3.3–3.4).
/// </summary>
internal static class AuthParameterList
{
    public static bool TryParse(ReadOnlySpan<char> value, out string scheme, [NotNullWhen(true)] out HeaderParameters? parameters, out string? error)
    {
        scheme = string.Empty;
        parameters = null;
        var i = SipLexer.SkipLws(value, 0);
        var start = i;
        while (i < value.Length && SipLexer.IsTokenChar(value[i]))
        {
            i++;
        }

        if (i == start)
        {
            error = "missing authentication scheme";
            return false;
        }

        scheme = value[start..i].ToString();
        var items = new List<HeaderParameter>();
        var next = SipLexer.SkipLws(value, i);
        if (next < value.Length && next == i)
        {
            error = "expected whitespace after authentication scheme";
            return false;
        }

        i = next;
        while (i < value.Length)
        {
            if (value[i] == ',')
            {
                // Empty list elements are tolerated (RFC 7230 §7).
                i = SipLexer.SkipLws(value, i + 1);
                continue;
            }

            if (!ParameterListSyntax.TryParseParameter(value, ref i, out var name, out var paramValue, out var quoted, out error))
            {
                return false;
            }

            if (paramValue is null)
            {
                error = $"parameter '{name}' has no value";
                return false;
            }

            if (!HeaderParameters.TryAdd(items, new HeaderParameter(name, paramValue, quoted), out error))
            {
                return false;
            }

            i = SipLexer.SkipLws(value, i);
            if (i < value.Length && value[i] != ',')
            {
                error = $"expected ',' after parameter '{name}'";
                return false;
            }
        }

        parameters = HeaderParameters.FromList(items);
        error = null;
        return true;
    }

    /// <summary>Writes the value, quoting names in <paramref name="quoted"/> and leaving those in <paramref name="unquoted"/> bare.</summary>
    public static string Write(string scheme, HeaderParameters parameters, string[] quoted, string[] unquoted, string? redact = null)
    {
        var builder = new StringBuilder(256).Append(scheme);
        var separator = " ";
        foreach (var parameter in parameters)
        {
            builder.Append(separator).Append(parameter.Name).Append('=');
            separator = ", ";
            var value = parameter.Value ?? string.Empty;
            if (redact is not null && parameter.Name.Equals(redact, StringComparison.OrdinalIgnoreCase))
            {
                builder.Append("<redacted>");
            }
            else if (Contains(unquoted, parameter.Name) && SipLexer.IsToken(value))
            {
                builder.Append(value);
            }
            else if (Contains(quoted, parameter.Name) || parameter.IsQuoted || !SipLexer.IsToken(value))
            {
                builder.Append(QuotedString.Quote(value));
            }
            else
            {
                builder.Append(value);
            }
        }

        return builder.ToString();
    }

    public static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    public static HeaderParameters Add(HeaderParameters parameters, string name, string? value, bool quoted) =>
        value is null ? parameters : parameters.With(new HeaderParameter(name, value, quoted));

    private static bool Contains(string[] names, string name)
    {
        foreach (var candidate in names)
        {
            if (candidate.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
