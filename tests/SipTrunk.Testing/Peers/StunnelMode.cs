namespace SipTrunk.Testing.Peers;

/// <summary>Which side of TLS a <see cref="StunnelProcess"/> plays.</summary>
public enum StunnelMode
{
    /// <summary>Accepts plain TCP (from SIPp as a PBX) and connects with TLS, presenting a client certificate.</summary>
    Client,

    /// <summary>Accepts TLS, requiring a client certificate (as a carrier), and connects with plain TCP (to SIPp).</summary>
    Server,
}
