namespace SipTrunk.Core.Proxy;

/// <summary>
/// What SipTrunk encodes in the Record-Route (and Via branch) it inserts so that later requests of the dialog find
/// their way back (ARCHITECTURE.md "connections are flows"): the flow the peer side uses, the peer's name (to find its
/// newer flow if that one is gone), the carrier of the other side and, for calls a carrier sent in, the carrier's
/// connection (RFC 5923: requests toward it reuse that connection instead of opening one).
/// </summary>
/// <param name="PeerFlowId">The peer-side flow (RFC 5626 flow token); 0 when none.</param>
/// <param name="Peer">The peer's configured name, or empty.</param>
/// <param name="Carrier">The carrier's configured name, or empty.</param>
/// <param name="CarrierFlowId">The carrier-side flow of an inbound call; 0: connect to the carrier's URI.</param>
public sealed record FlowToken(long PeerFlowId, string Peer, string Carrier, long CarrierFlowId = 0);
