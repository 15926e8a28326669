namespace SipTrunk.Core.Routing;

/// <summary>
/// Orders a route's carriers into the sequence of attempts (CONTRACT.md §3). Implementations are safe to call from
/// many calls at once.
/// </summary>
public interface ICarrierSelector
{
    /// <summary>Returns <paramref name="candidates"/> in the order they should be tried; the input is not modified.</summary>
    IReadOnlyList<CarrierDefinition> Order(IReadOnlyList<CarrierDefinition> candidates);
}
