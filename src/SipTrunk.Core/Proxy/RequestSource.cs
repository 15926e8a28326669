using SipTrunk.Core.Routing;

namespace SipTrunk.Core.Proxy;

/// <summary>The result of identifying a flow: a peer, a carrier, or unknown with the reason.</summary>
public sealed record RequestSource(RequestSourceKind Kind, PeerDefinition? Peer, CarrierDefinition? Carrier, string? Reason)
{
    /// <summary>The peer's or carrier's name, or empty.</summary>
    public string Name => Peer?.Name ?? Carrier?.Name ?? "";
}
