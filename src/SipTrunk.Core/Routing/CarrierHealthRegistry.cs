namespace SipTrunk.Core.Routing;

// TEMPORARY STUB (replaced by wt-routing at merge)
public sealed class CarrierHealthRegistry
{
    private readonly HashSet<string> _down = [];

    public bool IsAvailable(CarrierDefinition carrier) => !_down.Contains(carrier.Name);
}
