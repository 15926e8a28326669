namespace SipTrunk.Core.Proxy;

/// <summary>
/// What the top of a request's Route set says (RFC 3261 §16.4): how many leading Route values name this proxy (they are
/// removed before forwarding), the flow token of the last of them, and whether other Route values follow.
/// </summary>
/// <param name="LocalRouteCount">Leading Route values that are SipTrunk's own.</param>
/// <param name="Token">The flow token SipTrunk put in the last of them, when valid.</param>
/// <param name="HasForeignRoute">True when a Route value that is not SipTrunk's remains.</param>
public readonly record struct RouteAnalysis(int LocalRouteCount, FlowToken? Token, bool HasForeignRoute);
