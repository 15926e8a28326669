using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Where one fork of an inbound call goes: a registered contact down the flow its REGISTER came on (RFC 5626), or the
/// peer's static <c>Uri</c> through a connection SipTrunk opens.
/// </summary>
/// <param name="ContactUri">The Request-URI of the forked INVITE.</param>
/// <param name="Flow">The peer's own flow; <see langword="null"/> for a static target.</param>
/// <param name="Static">How to connect to a static <c>Uri</c>; <see langword="null"/> for a registered contact.</param>
/// <param name="Path">Path values of the binding (RFC 3327), sent as Route headers.</param>
internal sealed record InboundTarget(string ContactUri, SipFlow? Flow, OutboundTarget? Static, IReadOnlyList<string> Path);
