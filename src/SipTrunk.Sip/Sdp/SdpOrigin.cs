using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Sip.Sdp;

/// <summary>
/// The origin line <c>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;</c> (RFC 8866 §5.2).
/// Session id and version are kept as digit strings because RFC 8866 does not bound their length.
/// </summary>
public sealed record SdpOrigin
{
    /// <summary>Creates an origin; every field must be a token and <paramref name="sessionId"/>/<paramref name="sessionVersion"/> must be decimal digits.</summary>
    public SdpOrigin(string username, string sessionId, string sessionVersion, string netType, string addressType, string address)
    {
        SdpText.ThrowIfNotToken(username, nameof(username));
        SdpText.ThrowIfNotToken(netType, nameof(netType));
        SdpText.ThrowIfNotToken(addressType, nameof(addressType));
        SdpText.ThrowIfNotToken(address, nameof(address));
        if (!SdpText.IsDigits(sessionId))
        {
            throw new ArgumentException("Session id must be decimal digits (RFC 8866 §5.2).", nameof(sessionId));
        }

        if (!SdpText.IsDigits(sessionVersion))
        {
            throw new ArgumentException("Session version must be decimal digits (RFC 8866 §5.2).", nameof(sessionVersion));
        }

        Username = username;
        SessionId = sessionId;
        SessionVersion = sessionVersion;
        NetType = netType;
        AddressType = addressType;
        Address = address;
    }

    /// <summary>The user's login or <c>-</c>.</summary>
    public string Username { get; }

    /// <summary>Numeric session id, as received.</summary>
    public string SessionId { get; }

    /// <summary>Numeric session version, as received.</summary>
    public string SessionVersion { get; }

    /// <summary>Network type, normally <c>IN</c>.</summary>
    public string NetType { get; }

    /// <summary>Address type, <c>IP4</c> or <c>IP6</c>.</summary>
    public string AddressType { get; }

    /// <summary>Unicast address or FQDN of the originating host.</summary>
    public string Address { get; }

    /// <summary>The session version as a number, when it fits in 64 bits.</summary>
    public ulong? SessionVersionNumber =>
        SdpText.TryParseDigits(SessionVersion, 20, out ulong value) ? value : null;

    /// <summary>A copy with the version incremented by one — required whenever a modified offer/answer is sent (RFC 3264 §8).</summary>
    public SdpOrigin WithIncrementedVersion() =>
        new(Username, SessionId, SdpText.IncrementDecimal(SessionVersion), NetType, AddressType, Address);

    /// <summary>A copy with another session version.</summary>
    public SdpOrigin WithSessionVersion(string sessionVersion) =>
        new(Username, SessionId, sessionVersion, NetType, AddressType, Address);

    /// <summary>A copy with another unicast address (e.g. the relay's own, when anchoring media).</summary>
    public SdpOrigin WithAddress(string addressType, string address) =>
        new(Username, SessionId, SessionVersion, NetType, addressType, address);

    /// <summary>Parses an <c>o=</c> value.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpOrigin? origin)
    {
        origin = null;
        if (value is null)
        {
            return false;
        }

        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            return false;
        }

        foreach (string part in parts)
        {
            if (!SdpText.IsToken(part))
            {
                return false;
            }
        }

        if (!SdpText.IsDigits(parts[1]) || !SdpText.IsDigits(parts[2]))
        {
            return false;
        }

        origin = new SdpOrigin(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
        return true;
    }

    /// <summary>The wire form of the value (after <c>o=</c>).</summary>
    public override string ToString() =>
        string.Join(' ', Username, SessionId, SessionVersion, NetType, AddressType, Address);
}
