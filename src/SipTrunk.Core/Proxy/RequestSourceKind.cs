namespace SipTrunk.Core.Proxy;

/// <summary>Who sent a request, as far as SipTrunk can prove it.</summary>
public enum RequestSourceKind
{
    /// <summary>Nobody SipTrunk serves: refused with 403 (no open relay).</summary>
    Unknown,

    /// <summary>A configured trunk peer, proven by its client certificate.</summary>
    Peer,

    /// <summary>A configured carrier: SipTrunk's own connection to it, or its proven TLS identity.</summary>
    Carrier,
}
