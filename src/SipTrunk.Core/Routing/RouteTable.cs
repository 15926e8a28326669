namespace SipTrunk.Core.Routing;

// TEMPORARY STUB (replaced by wt-routing at merge)
public sealed class RouteTable
{
    private readonly IReadOnlyList<RouteDefinition> _routes;

    public RouteTable(IReadOnlyList<RouteDefinition> routes, IReadOnlyList<CarrierDefinition> carriers)
    {
        _ = carriers;
        _routes = routes;
    }

    public RouteDefinition? Match(string normalizedNumber) =>
        _routes.Where(r => normalizedNumber.StartsWith(r.Prefix, StringComparison.Ordinal)).OrderByDescending(r => r.Prefix.Length).FirstOrDefault();
}
