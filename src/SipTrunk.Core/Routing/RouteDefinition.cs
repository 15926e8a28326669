namespace SipTrunk.Core.Routing;

/// <summary>A <c>Routes[]</c> entry: a normalized number prefix (empty = default route) and its carriers by name.</summary>
public sealed record RouteDefinition(string Prefix, IReadOnlyList<string> Carriers);
