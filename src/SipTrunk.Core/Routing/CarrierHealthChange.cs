namespace SipTrunk.Core.Routing;

/// <summary>A carrier moved from <paramref name="Previous"/> to <paramref name="Current"/> at <paramref name="At"/>.</summary>
/// <param name="CarrierName">The carrier's configured name.</param>
/// <param name="Previous">The state before the change.</param>
/// <param name="Current">The state after the change.</param>
/// <param name="ConsecutiveFailures">Failures in a row when the change happened (0 after a success).</param>
/// <param name="At">When the change happened, from the injected <see cref="TimeProvider"/>.</param>
public sealed record CarrierHealthChange(
    string CarrierName,
    CarrierHealthState Previous,
    CarrierHealthState Current,
    int ConsecutiveFailures,
    DateTimeOffset At);
