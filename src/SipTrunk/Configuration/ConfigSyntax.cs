using System.Globalization;
using System.Net;
using System.Net.Sockets;

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
    /// Checks <c>sip:</c>/<c>sips:</c> URI syntax far enough for configuration (RFC 3261 §19.1.1): scheme, optional
    /// userinfo, a host (name, IPv4 or bracketed IPv6) and an optional port 1–65535; parameters and headers follow
    /// <c>;</c>/<c>?</c>. A full SipUri parser lives in SipTrunk.Sip and will replace this.
    /// </summary>
    public static string? CheckSipUri(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "required";
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? "" : value[..colon];
        if (!scheme.Equals("sip", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{value}' is not a sip: or sips: URI";
        }

        var rest = value[(colon + 1)..];
        var end = rest.IndexOfAny([';', '?']);
        var hostPort = end < 0 ? rest : rest[..end];
        var at = hostPort.LastIndexOf('@');
        if (at >= 0)
        {
            hostPort = hostPort[(at + 1)..];
        }

        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return $"'{value}' has an unterminated IPv6 reference";
            }

            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    return $"'{value}' has characters after the host";
                }

                port = after[1..];
            }

            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return $"'{value}' has an invalid IPv6 host";
            }
        }
        else
        {
            var portColon = hostPort.IndexOf(':', StringComparison.Ordinal);
            host = portColon < 0 ? hostPort : hostPort[..portColon];
            port = portColon < 0 ? null : hostPort[(portColon + 1)..];
            if (host.Length == 0)
            {
                return $"'{value}' has no host";
            }

            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                return $"'{value}' has an invalid host '{host}'";
            }
        }

        if (port is not null
            && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535))
        {
            return $"'{value}' has an invalid port (1-65535)";
        }

        return null;
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
