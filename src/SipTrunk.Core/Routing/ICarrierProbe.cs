namespace SipTrunk.Core.Routing;

// TEMPORARY STUB (replaced by wt-routing at merge)
public interface ICarrierProbe
{
    Task<bool> ProbeAsync(CarrierDefinition carrier, CancellationToken ct);
}
