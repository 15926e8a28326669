using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Configuration;

/// <summary>Small syntax checks shared by the validators. Each returns a reason, or <see langword="null"/> when fine.</summary>
internal static class ConfigSyntax
{
    public static bool IsIpAddress(string? value) => value is not null && IPAddress.TryParse(value, out _);

    public static bool IsWildcard(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary>A DNS host name (letters, digits, hyphens, dots; labels of 1–63), the form <c>Domain</c> and SNI need.</summary>
    public static bool IsHostName(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 253 && Uri.CheckHostName(value) == UriHostNameType.Dns;

    public static bool IsHex(string? value, int length) =>
        value is not null && value.Length == length && value.All(char.IsAsciiHexDigit);

    /// <summary>A SHA-256 certificate fingerprint: 64 hex digits, optionally colon-separated as <c>openssl x509 -fingerprint</c> prints it.</summary>
    public static bool IsSha256Fingerprint(string value) => IsHex(value.Replace(":", "", StringComparison.Ordinal), 64);

    /// <summary>
    /// Checks that <paramref name="value"/> is a <c>sip:</c> or <c>sips:</c> URI (RFC 3261 §19.1) with the SIP stack's
    /// own parser, so configuration accepts exactly what the proxy can use.
    /// </summary>
    public static string? CheckSipUri(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "required";
        }

        if (!AbsoluteUri.TryParse(value, out var uri, out var error))
        {
            return $"'{value}' is not a valid URI: {error}";
        }

        return uri switch
        {
            SipUri { Port: 0 } => $"'{value}' has port 0; use 1-65535 or leave the port out",
            SipUri => null,
            _ => $"'{value}' is not a sip: or sips: URI",
        };
    }

    /// <summary>
    /// A number as peers and routes use it: <c>+</c> and 1–15 digits (E.164 allows at most 15, ITU-T E.164 §6)
    /// or a national/extension number of digits only.
    /// </summary>
    public static bool IsNumber(string value) =>
        value.StartsWith('+')
            ? value.Length is >= 2 and <= 16 && value.AsSpan(1).ContainsAnyExceptInRange('0', '9') == false
            : value.Length is >= 1 and <= 32 && !value.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>A CIDR network; host bits must be zero so that <c>10.0.0.1/8</c> is not mistaken for a single host.</summary>
    public static string? CheckNetwork(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPNetwork.TryParse(value, out var network) || !IPAddress.TryParse(value.AsSpan(0, slash), out var address))
        {
            return $"'{value}' is not a CIDR network such as 192.0.2.0/24 or 2001:db8::/32";
        }

        if (!network.BaseAddress.Equals(address))
        {
            return $"'{value}' has host bits set; did you mean {network}?";
        }

        return null;
    }
}
