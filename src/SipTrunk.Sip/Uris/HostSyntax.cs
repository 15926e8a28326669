using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Uris;

/// <summary>Validation of <c>host</c>, <c>port</c> and <c>hostport</c> (RFC 3261 §25.1, RFC 5118).</summary>
internal static class HostSyntax
{
    private static readonly SearchValues<char> DigitsAndDots = SearchValues.Create("0123456789.");
    private static readonly SearchValues<char> IPv6Chars = SearchValues.Create("0123456789abcdefABCDEF:.");

    public static bool TryParseHost(ReadOnlySpan<char> host, out UriHostKind kind, out string? error)
    {
        kind = UriHostKind.Domain;
        if (host.IsEmpty)
        {
            error = "missing host";
            return false;
        }

        if (host[0] == '[')
        {
            kind = UriHostKind.IPv6;
            return TryValidateIPv6Reference(host, out error);
        }

        if (host.Contains(':'))
        {
            error = "IPv6 address must be enclosed in []";
            return false;
        }

        if (!host.ContainsAnyExcept(DigitsAndDots))
        {
            kind = UriHostKind.IPv4;
            return TryValidateIPv4(host, out error);
        }

        return TryValidateHostname(host, out error);
    }

    /// <summary>
    /// Brackets a bare IPv6 address (as <see cref="IPAddress.ToString"/> writes it) so that callers building URIs
    /// or Via values from socket addresses get the RFC 5118 <c>IPv6reference</c> form; other hosts are returned as given.
    /// </summary>
    public static string BracketIPv6(string host) =>
        host.Length > 0 && host[0] != '[' && host.Contains(':', StringComparison.Ordinal) && IsIPv6(host) ? "[" + host + "]" : host;

    /// <summary>Validates an IP address as RFC 5118 §4.5 allows it in <c>received</c>: IPv4, IPv6, or bracketed IPv6.</summary>
    public static bool IsIPAddress(ReadOnlySpan<char> text)
    {
        if (text.Length > 2 && text[0] == '[')
        {
            return TryValidateIPv6Reference(text, out _);
        }

        if (text.Contains(':'))
        {
            return IsIPv6(text);
        }

        return !text.IsEmpty && !text.ContainsAnyExcept(DigitsAndDots) && TryValidateIPv4(text, out _);
    }

    /// <summary>Parses <c>host [ ":" port ]</c> with no white space.</summary>
    public static bool TryParseHostPort(ReadOnlySpan<char> text, out string host, out UriHostKind kind, out int? port, out string? error)
    {
        host = string.Empty;
        port = null;
        kind = UriHostKind.Domain;
        ReadOnlySpan<char> hostText;
        ReadOnlySpan<char> rest;
        if (!text.IsEmpty && text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                error = "unterminated IPv6 reference";
                return false;
            }

            hostText = text[..(close + 1)];
            rest = text[(close + 1)..];
            if (!rest.IsEmpty && rest[0] != ':')
            {
                error = "unexpected characters after IPv6 reference";
                return false;
            }
        }
        else
        {
            var colon = text.IndexOf(':');
            hostText = colon < 0 ? text : text[..colon];
            rest = colon < 0 ? [] : text[colon..];
            if (rest.Length > 1 && rest[1..].Contains(':'))
            {
                error = "IPv6 address must be enclosed in []";
                return false;
            }
        }

        if (!TryParseHost(hostText, out kind, out error))
        {
            return false;
        }

        if (!rest.IsEmpty)
        {
            if (!TryParsePort(rest[1..], out var value, out error))
            {
                return false;
            }

            port = value;
        }

        host = hostText.ToString();
        return true;
    }

    /// <summary><c>port = 1*DIGIT</c>, limited to 0–65535.</summary>
    public static bool TryParsePort(ReadOnlySpan<char> digits, out int port, out string? error)
    {
        port = 0;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            error = "bad port";
            return false;
        }

        var trimmed = digits.TrimStart('0');
        if (trimmed.Length > 5 || (trimmed.Length > 0 && int.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture) > 65535))
        {
            error = "port out of range";
            return false;
        }

        port = trimmed.IsEmpty ? 0 : int.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
        error = null;
        return true;
    }

    private static bool TryValidateIPv6Reference(ReadOnlySpan<char> host, out string? error)
    {
        if (host.Length < 3 || host[^1] != ']' || host[1..^1].Contains(']') || !(IsIPv6(host[1..^1]) || IsRfc3261AbnfIPv6(host[1..^1])))
        {
            error = "invalid IPv6 reference";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// RFC 5118 §4.10: RFC 3261's ABNF (<c>hexpart [ ":" IPv4address ]</c> with <c>hexpart</c> ending in "::") admits
    /// three colons before an embedded IPv4 address; parsers are asked to tolerate it as the two-colon form.
    /// </summary>
    private static bool IsRfc3261AbnfIPv6(ReadOnlySpan<char> inner)
    {
        var triple = inner.IndexOf(":::");
        if (triple < 0 || inner[(triple + 3)..].Contains(':') || !inner[(triple + 3)..].Contains('.'))
        {
            return false;
        }

        Span<char> repaired = stackalloc char[inner.Length - 1];
        inner[..(triple + 2)].CopyTo(repaired);
        inner[(triple + 3)..].CopyTo(repaired[(triple + 2)..]);
        return IsIPv6(repaired);
    }

    private static bool IsIPv6(ReadOnlySpan<char> inner) =>
        inner.Contains(':')
        && !inner.ContainsAnyExcept(IPv6Chars)
        && IPAddress.TryParse(inner, out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6;

    private static bool TryValidateIPv4(ReadOnlySpan<char> host, out string? error)
    {
        error = "invalid IPv4 address";
        var parts = 0;
        foreach (var range in host.Split('.'))
        {
            var part = host[range];
            if (part.IsEmpty || part.Length > 3 || int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }

            parts++;
        }

        if (parts != 4)
        {
            return false;
        }

        error = null;
        return true;
    }

    // hostname = *( domainlabel "." ) toplabel [ "." ]; toplabel starts with ALPHA.
    private static bool TryValidateHostname(ReadOnlySpan<char> host, out string? error)
    {
        if (host[^1] == '.')
        {
            host = host[..^1];
        }

        error = "invalid host name";
        if (host.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<char> last = [];
        foreach (var range in host.Split('.'))
        {
            var label = host[range];
            if (label.IsEmpty || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!SipLexer.IsAlphaNumeric(c) && c != '-')
                {
                    error = $"invalid character {SipLexer.Describe(c)} in host";
                    return false;
                }
            }

            last = label;
        }

        if (!char.IsAsciiLetter(last[0]))
        {
            return false;
        }

        error = null;
        return true;
    }
}
