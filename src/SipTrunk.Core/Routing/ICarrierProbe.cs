namespace SipTrunk.Core.Routing;

/// <summary>
/// Checks whether a carrier is alive. The proxy implements it by sending OPTIONS (RFC 3261 §11): any response, even
/// an error, proves the carrier is there; a timeout or a transport error is a failure.
/// </summary>
public interface ICarrierProbe
{
    /// <summary>
    /// Probes <paramref name="carrier"/> once. Returns whether it answered; may also signal a failure by throwing.
    /// Must stop promptly when <paramref name="cancellationToken"/> is cancelled: the monitor cancels a probe that
    /// has not finished within the carrier's health-check interval.
    /// </summary>
    Task<bool> ProbeAsync(CarrierDefinition carrier, CancellationToken cancellationToken);
}
