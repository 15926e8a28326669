using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Core.Auth;

/// <summary>
/// A CIDR network (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>) or a single address, for <c>Peers[].AllowedNetworks</c>.
/// IPv4-mapped IPv6 addresses match their IPv4 networks, since dual-stack sockets report IPv4 clients that way.
/// </summary>
public sealed class IpNetwork
{
    private readonly byte[] _prefix;

    private IpNetwork(IPAddress network, int prefixLength)
    {
        PrefixLength = prefixLength;
        _prefix = network.GetAddressBytes();
        // Host bits are cleared so that 10.1.2.3/8 means 10.0.0.0/8, as every router and firewall reads it.
        for (var i = 0; i < _prefix.Length; i++)
        {
            var bits = Math.Clamp(prefixLength - (8 * i), 0, 8);
            _prefix[i] &= (byte)(0xFF << (8 - bits));
        }

        Network = new IPAddress(_prefix);
    }

    /// <summary>The network address (host bits cleared).</summary>
    public IPAddress Network { get; }

    /// <summary>The number of leading bits that must match.</summary>
    public int PrefixLength { get; }

    /// <summary>Parses <c>address/length</c> or a bare address (a /32 or /128).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IpNetwork? network)
    {
        network = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        // ScopeId throws for IPv4; a zone (fe80::1%eth0) names a link, not a network.
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return false;
        }

        // IPAddress.TryParse also takes the legacy inet_aton forms: "10" is 0.0.0.10, "10.1" is 10.0.0.1, "010.0.0.1"
        // is octal 8.0.0.1. An operator writing "10/8" means 10.0.0.0/8, so only the dotted quad is accepted.
        if (address.AddressFamily == AddressFamily.InterNetwork && !addressText.Equals(address.ToString(), StringComparison.Ordinal))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var maxLength = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = maxLength;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > maxLength))
        {
            return false;
        }

        network = new IpNetwork(address, length);
        return true;
    }

    /// <summary>Parses or throws.</summary>
    /// <exception cref="FormatException">Not a CIDR network or an address.</exception>
    public static IpNetwork Parse(string text) =>
        TryParse(text, out var network) ? network : throw new FormatException($"'{text}' is not an IP network in CIDR notation");

    /// <summary>Whether <paramref name="address"/> lies in this network.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written) || written != _prefix.Length)
        {
            return false;
        }

        var fullBytes = PrefixLength / 8;
        if (!bytes[..fullBytes].SequenceEqual(_prefix.AsSpan(0, fullBytes)))
        {
            return false;
        }

        var remainder = PrefixLength % 8;
        if (remainder == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainder));
        return (bytes[fullBytes] & mask) == _prefix[fullBytes];
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Network}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}
