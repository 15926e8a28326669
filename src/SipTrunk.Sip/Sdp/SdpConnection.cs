using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SipTrunk.Sip.Sdp;

/// <summary>
/// Connection data <c>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;</c> (RFC 8866 §5.7); also the address part of
/// <c>a=rtcp</c> (RFC 3605). For <c>IP4</c> the multicast suffix <c>/ttl[/count]</c> and for <c>IP6</c> <c>/count</c> are split off.
/// </summary>
public sealed record SdpConnection
{
    /// <summary>Creates connection data, validating the tokens and the RFC 8866 §5.7 suffix rules.</summary>
    public SdpConnection(string netType, string addressType, string address, int? ttl = null, int? addressCount = null)
    {
        SdpText.ThrowIfNotToken(netType, nameof(netType));
        SdpText.ThrowIfNotToken(addressType, nameof(addressType));
        SdpText.ThrowIfNotToken(address, nameof(address));
        if (!AreSuffixesValid(addressType, address, ttl, addressCount))
        {
            throw new ArgumentException("Invalid TTL/address count for this address type (RFC 8866 §5.7).", nameof(ttl));
        }

        NetType = netType;
        AddressType = addressType;
        Address = address;
        Ttl = ttl;
        AddressCount = addressCount;
    }

    /// <summary>Network type, <c>IN</c> for the Internet.</summary>
    public string NetType { get; }

    /// <summary>Address type, <c>IP4</c> or <c>IP6</c> (others kept verbatim).</summary>
    public string AddressType { get; }

    /// <summary>The address (literal or FQDN) without the multicast suffix.</summary>
    public string Address { get; }

    /// <summary>IPv4 multicast TTL, when present.</summary>
    public int? Ttl { get; }

    /// <summary>Number of multicast addresses, when present.</summary>
    public int? AddressCount { get; }

    /// <summary>True for <c>IN IP4</c> / <c>IN IP6</c>.</summary>
    public bool IsInternet => NetType == "IN" && AddressType is "IP4" or "IP6";

    /// <summary><c>IN IP4 a.b.c.d</c> or <c>IN IP6 x::y</c> for a unicast address (scope id dropped).</summary>
    public static SdpConnection FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var withoutScope = new IPAddress(address.GetAddressBytes());
            return new SdpConnection("IN", "IP6", withoutScope.ToString());
        }

        return new SdpConnection("IN", "IP4", address.ToString());
    }

    /// <summary>Parses the address as an IP literal of the declared family; false for FQDNs or mismatched families.</summary>
    public bool TryGetIPAddress([NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (NetType != "IN" || !IPAddress.TryParse(Address, out IPAddress? parsed))
        {
            return false;
        }

        bool familyMatches = AddressType switch
        {
            "IP4" => parsed.AddressFamily == AddressFamily.InterNetwork && Address.Count(c => c == '.') == 3,
            "IP6" => parsed.AddressFamily == AddressFamily.InterNetworkV6,
            _ => false,
        };
        address = familyMatches ? parsed : null;
        return familyMatches;
    }

    /// <summary>Parses a <c>c=</c> value (or the address part of <c>a=rtcp</c>).</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpConnection? connection)
    {
        connection = null;
        if (value is null)
        {
            return false;
        }

        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3 && TryCreate(parts[0], parts[1], parts[2], out connection);
    }

    /// <summary>The wire form, e.g. <c>IN IP4 224.2.1.1/127/3</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(NetType.Length + AddressType.Length + Address.Length + 12);
        builder.Append(NetType).Append(' ').Append(AddressType).Append(' ').Append(Address);
        if (Ttl is int ttl)
        {
            builder.Append('/').Append(SdpText.Invariant(ttl));
        }

        if (AddressCount is int count)
        {
            builder.Append('/').Append(SdpText.Invariant(count));
        }

        return builder.ToString();
    }

    internal static bool TryCreate(string netType, string addressType, string connectionAddress, [NotNullWhen(true)] out SdpConnection? connection)
    {
        connection = null;
        if (!SdpText.IsToken(netType) || !SdpText.IsToken(addressType) || !SdpText.IsToken(connectionAddress))
        {
            return false;
        }

        string address = connectionAddress;
        int? ttl = null;
        int? count = null;
        if (addressType is "IP4" or "IP6")
        {
            // RFC 8866 §5.7: IP4 multicast is addr/ttl[/count]; IP6 multicast is addr[/count].
            string[] pieces = connectionAddress.Split('/');
            address = pieces[0];
            int maxPieces = addressType == "IP4" ? 3 : 2;
            if (pieces.Length > maxPieces || address.Length == 0)
            {
                return false;
            }

            for (int i = 1; i < pieces.Length; i++)
            {
                if (!SdpText.TryParseDigits(pieces[i], 9, out ulong number))
                {
                    return false;
                }

                bool isTtl = addressType == "IP4" && i == 1;
                if (isTtl)
                {
                    ttl = (int)number;
                }
                else
                {
                    count = (int)number;
                }
            }
        }

        if (!AreSuffixesValid(addressType, address, ttl, count))
        {
            return false;
        }

        connection = new SdpConnection(netType, addressType, address, ttl, count);
        return true;
    }

    private static bool AreSuffixesValid(string addressType, string address, int? ttl, int? count)
    {
        if (ttl is < 0 or > 255 || count is < 1)
        {
            return false;
        }

        return addressType switch
        {
            "IP4" => !address.Contains('/', StringComparison.Ordinal) && (count is null || ttl is not null),
            "IP6" => !address.Contains('/', StringComparison.Ordinal) && ttl is null,
            _ => ttl is null && count is null,
        };
    }
}
