using System.Globalization;
using System.Text;

namespace SipTrunk.Sip.Sdp;

/// <summary>Small lexical helpers shared by the SDP types.</summary>
internal static class SdpText
{
    internal const string Redacted = "<redacted>";

    /// <summary>A token here is a non-empty run of characters that can sit between single spaces on an SDP line.</summary>
    internal static bool IsToken(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is ' ' or '\t' or '\r' or '\n' or '\0')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 8866 §5: no field may contain CR, LF or NUL.</summary>
    internal static bool IsLineSafe(string? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is '\r' or '\n' or '\0')
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsDigits(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses ASCII digits only (no sign, no spaces), rejecting more than <paramref name="maxDigits"/> of them.</summary>
    internal static bool TryParseDigits(ReadOnlySpan<char> value, int maxDigits, out ulong result)
    {
        result = 0;
        return value.Length <= maxDigits
            && IsDigits(value)
            && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }

    internal static bool TryParsePort(ReadOnlySpan<char> value, out int port)
    {
        port = 0;
        if (!TryParseDigits(value, 5, out ulong parsed) || parsed > 65535)
        {
            return false;
        }

        port = (int)parsed;
        return true;
    }

    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Invariant(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    internal static void ThrowIfNotToken(string? value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (!IsToken(value))
        {
            throw new ArgumentException("Value must be a non-empty SDP token without whitespace, CR, LF or NUL.", paramName);
        }
    }

    internal static void ThrowIfNotLineSafe(string? value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (!IsLineSafe(value))
        {
            throw new ArgumentException("Value must not contain CR, LF or NUL (RFC 8866 §5).", paramName);
        }
    }

    internal static void ThrowIfNotPort(int port, string paramName)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(paramName, port, "Port must be 0-65535.");
        }
    }

    /// <summary>Adds one to a decimal digit string of any length (RFC 3264 §8: the answerer/offerer increments sess-version).</summary>
    internal static string IncrementDecimal(string digits)
    {
        char[] chars = digits.ToCharArray();
        for (int i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] != '9')
            {
                chars[i]++;
                return new string(chars);
            }

            chars[i] = '0';
        }

        return "1" + new string(chars);
    }

    /// <summary>
    /// Replaces the key material of every <c>inline:</c> key-param (RFC 4568 §9.1) with a marker, keeping lifetime and MKI.
    /// Works on the raw text so that even a malformed crypto attribute never leaks its key.
    /// </summary>
    internal static string RedactInlineKeys(string value)
    {
        const string Inline = "inline:";
        int index = value.IndexOf(Inline, StringComparison.OrdinalIgnoreCase);
        if (index < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        int position = 0;
        while (index >= 0)
        {
            int keyStart = index + Inline.Length;
            builder.Append(value, position, keyStart - position).Append(Redacted);
            int keyEnd = keyStart;
            while (keyEnd < value.Length && value[keyEnd] is not ('|' or ';' or ' ' or '\t'))
            {
                keyEnd++;
            }

            position = keyEnd;
            index = value.IndexOf(Inline, position, StringComparison.OrdinalIgnoreCase);
        }

        builder.Append(value, position, value.Length - position);
        return builder.ToString();
    }

    /// <summary>The loggable form of a line value: key material of crypto, key-mgmt, ice-pwd and k= lines is hidden.</summary>
    internal static string RedactLineValue(char type, string value)
    {
        if (type == 'k')
        {
            // RFC 8866 §5.12: k=<method>[:<encryption key>] — keep the method only.
            int colon = value.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? value : string.Concat(value.AsSpan(0, colon + 1), Redacted);
        }

        if (type != 'a')
        {
            return value;
        }

        if (value.StartsWith("crypto:", StringComparison.Ordinal))
        {
            return RedactInlineKeys(value);
        }

        // RFC 4567 key-mgmt carries a MIKEY message with keys; ICE passwords are credentials (RFC 8839 §5.4).
        if (value.StartsWith("key-mgmt:", StringComparison.Ordinal) || value.StartsWith("ice-pwd:", StringComparison.Ordinal))
        {
            int colon = value.IndexOf(':', StringComparison.Ordinal);
            return string.Concat(value.AsSpan(0, colon + 1), Redacted);
        }

        return value;
    }
}
