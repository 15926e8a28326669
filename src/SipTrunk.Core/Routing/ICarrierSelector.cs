namespace SipTrunk.Core.Routing;

// TEMPORARY STUB (replaced by wt-routing at merge)
public interface ICarrierSelector
{
    IReadOnlyList<CarrierDefinition> Order(IReadOnlyList<CarrierDefinition> candidates);
}
