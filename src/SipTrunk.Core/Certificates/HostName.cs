using System.Globalization;
using System.Net;

namespace SipTrunk.Core.Certificates;

/// <summary>A <c>--host</c> value: an IP literal or a DNS name (optionally a leading <c>*.</c> wildcard).</summary>
internal sealed record HostName(IPAddress? IPAddress, string? DnsName)
{
    public static bool TryParse(string? value, out HostName host)
    {
        host = new HostName(null, null);
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            text = text[1..^1];
        }

        // IPAddress.TryParse accepts "1" or "1.2" as IPv4 (inet_aton forms); only a dotted quad or an IPv6
        // literal counts as an address here, so a numeric-looking host name is not silently turned into 0.0.0.1.
        if ((text.Contains(':', StringComparison.Ordinal) || IsDottedQuad(text)) && IPAddress.TryParse(text, out var ip))
        {
            host = new HostName(ip, null);
            return true;
        }

        var name = text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text;
        if (name.Length <= 253 && Uri.CheckHostName(name) == UriHostNameType.Dns)
        {
            host = new HostName(null, text.ToLowerInvariant());
            return true;
        }

        return false;
    }

    public static HostName Parse(string value) =>
        TryParse(value, out var host)
            ? host
            : throw new ArgumentException($"'{value}' is neither an IP address nor a DNS name", nameof(value));

    public override string ToString() => IPAddress?.ToString() ?? DnsName ?? string.Empty;

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return false;
            }
        }

        return true;
    }
}
