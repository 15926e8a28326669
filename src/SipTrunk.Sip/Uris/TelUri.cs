using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Uris;

/// <summary>An immutable <c>tel:</c> URI (RFC 3966), with equality per RFC 3966 §4.</summary>
public sealed class TelUri : AbsoluteUri, IEquatable<TelUri>
{
    private static readonly SearchValues<char> VisualSeparators = SearchValues.Create("-.()");
    private static readonly SearchValues<char> GlobalDigits = SearchValues.Create("0123456789-.()");
    private static readonly SearchValues<char> LocalDigits = SearchValues.Create("0123456789abcdefABCDEF*#-.()");
    private static readonly SearchValues<char> ParameterName = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");

    private TelUri(string rawNumber, UriParameters parameters)
    {
        RawNumber = rawNumber;
        Number = RemoveSeparators(rawNumber);
        Parameters = parameters;
    }

    /// <inheritdoc/>
    public override string Scheme => "tel";

    /// <summary>The number with visual separators (<c>-.()</c>) removed, including the leading <c>+</c> of a global number.</summary>
    public string Number { get; }

    /// <summary>The number exactly as written, separators included.</summary>
    public string RawNumber { get; }

    /// <summary>Whether this is a global (E.164, <c>+</c>) number rather than a local one.</summary>
    public bool IsGlobal => RawNumber[0] == '+';

    /// <summary>The <c>phone-context</c> parameter, required for local numbers (RFC 3966 §5.1.5).</summary>
    public string? PhoneContext => Parameters["phone-context"];

    /// <summary>The <c>ext</c> parameter.</summary>
    public string? Extension => Parameters["ext"];

    /// <summary>The parameters in order, unescaped.</summary>
    public UriParameters Parameters { get; }

    /// <summary>Parses a tel URI or throws.</summary>
    /// <exception cref="FormatException">The text is not a valid tel URI.</exception>
    public static new TelUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var uri, out var error) ? uri : throw new FormatException($"Invalid tel URI: {error}");
    }

    /// <summary>Parses a tel URI.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out TelUri? uri, out string? error)
    {
        uri = null;
        if (text.Length > MaxLength)
        {
            error = "URI too long";
            return false;
        }

        if (!text.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            error = "not a tel URI";
            return false;
        }

        text = text[4..];
        var semicolon = text.IndexOf(';');
        var number = semicolon < 0 ? text : text[..semicolon];
        if (!TryValidateNumber(number, out error))
        {
            return false;
        }

        var items = new List<KeyValuePair<string, string?>>();
        if (semicolon >= 0)
        {
            var paramText = text[(semicolon + 1)..];
            foreach (var range in paramText.Split(';'))
            {
                if (!TryParseParameter(paramText[range], items, out error))
                {
                    return false;
                }
            }
        }

        var parameters = UriParameters.FromList(items);
        if (number[0] != '+' && !parameters.Contains("phone-context"))
        {
            error = "local tel number requires phone-context";
            return false;
        }

        uri = new TelUri(number.ToString(), parameters);
        return true;
    }

    /// <summary>Returns a copy with a parameter set (unescaped value; <see langword="null"/> for a flag).</summary>
    public TelUri WithParameter(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new TelUri(RawNumber, Parameters.With(name, value));
    }

    /// <summary>Returns a copy without the named parameter.</summary>
    public TelUri WithoutParameter(string name) => new(RawNumber, Parameters.Without(name));

    /// <inheritdoc/>
    public override string ToString()
    {
        var builder = new StringBuilder("tel:", 32).Append(RawNumber);
        foreach (var (name, value) in Parameters)
        {
            builder.Append(';').Append(name);
            if (value is not null)
            {
                builder.Append('=').Append(PercentEncoding.Encode(value, UriCharacterSets.Param));
            }
        }

        return builder.ToString();
    }

    /// <summary>Compares per RFC 3966 §4: same kind and digits, and the same parameter names with matching values.</summary>
    public bool Equals(TelUri? other)
    {
        if (other is null || IsGlobal != other.IsGlobal
            || !string.Equals(Number, other.Number, StringComparison.OrdinalIgnoreCase)
            || Parameters.Count != other.Parameters.Count)
        {
            return false;
        }

        foreach (var (name, value) in Parameters)
        {
            if (!other.Parameters.TryGetValue(name, out var otherValue) || !ParameterValuesEqual(name, value, otherValue))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TelUri);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(IsGlobal, StringComparer.OrdinalIgnoreCase.GetHashCode(Number), Parameters.Count);

    private static bool ParameterValuesEqual(string name, string? value, string? otherValue)
    {
        if (value is null || otherValue is null)
        {
            return value is null && otherValue is null;
        }

        // phone-context given as digits, and ext, are compared digit by digit without separators.
        var digits = name.Equals("ext", StringComparison.OrdinalIgnoreCase)
            || (name.Equals("phone-context", StringComparison.OrdinalIgnoreCase) && value.StartsWith('+'));
        return digits
            ? string.Equals(RemoveSeparators(value), RemoveSeparators(otherValue), StringComparison.OrdinalIgnoreCase)
            : string.Equals(value.TrimEnd('.'), otherValue.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
    }

    // global-number-digits = "+" *phonedigit DIGIT *phonedigit
    // local-number-digits  = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex
    private static bool TryValidateNumber(ReadOnlySpan<char> number, out string? error)
    {
        var global = !number.IsEmpty && number[0] == '+';
        var digits = global ? number[1..] : number;
        if (digits.ContainsAnyExcept(global ? GlobalDigits : LocalDigits))
        {
            error = "invalid character in tel number";
            return false;
        }

        if (!digits.ContainsAnyExcept(VisualSeparators))
        {
            error = "tel number has no digits";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryParseParameter(ReadOnlySpan<char> item, List<KeyValuePair<string, string?>> items, out string? error)
    {
        var equals = item.IndexOf('=');
        var name = equals < 0 ? item : item[..equals];
        if (name.IsEmpty || name.ContainsAnyExcept(ParameterName))
        {
            error = "invalid tel URI parameter name";
            return false;
        }

        string? value = null;
        if (equals >= 0)
        {
            var set = name.Equals("isub", StringComparison.OrdinalIgnoreCase) ? UriCharacterSets.Uric : UriCharacterSets.Param;
            if (equals == item.Length - 1 || !PercentEncoding.TryDecode(item[(equals + 1)..], set, "tel URI parameter", out value, out error))
            {
                error = $"invalid value for tel URI parameter '{name}'";
                return false;
            }
        }

        var nameText = name.ToString();
        if (nameText.Equals("phone-context", StringComparison.OrdinalIgnoreCase))
        {
            // descriptor = domainname / global-number-digits (RFC 3966 §3)
            var valid = value is not null && (value.StartsWith('+')
                ? TryValidateNumber(value, out _)
                : HostSyntax.TryParseHost(value, out var kind, out _) && kind == UriHostKind.Domain);
            if (!valid)
            {
                error = "invalid phone-context";
                return false;
            }
        }
        else if (nameText.Equals("ext", StringComparison.OrdinalIgnoreCase)
            && (value is null || value.AsSpan().ContainsAnyExcept(GlobalDigits) || !value.AsSpan().ContainsAnyExcept(VisualSeparators)))
        {
            error = "invalid ext parameter";
            return false;
        }

        return UriParameters.TryAdd(items, nameText, value, out error);
    }

    private static string RemoveSeparators(string value) =>
        value.AsSpan().ContainsAny(VisualSeparators) ? string.Concat(value.Split(['-', '.', '(', ')'])) : value;
}
