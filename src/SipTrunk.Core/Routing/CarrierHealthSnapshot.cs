namespace SipTrunk.Core.Routing;

/// <summary>One carrier's health at one moment, for the admin API, the dashboard and metrics.</summary>
/// <param name="CarrierName">The carrier's configured name.</param>
/// <param name="State">The current state.</param>
/// <param name="ConsecutiveFailures">Failures in a row since the last success.</param>
/// <param name="LastChange">When the state last changed, or null if it never has.</param>
/// <param name="IsAvailable">Whether calls may be sent to the carrier now.</param>
/// <param name="IsMonitored">Whether OPTIONS health checks run for it (<see cref="CarrierDefinition.HealthCheckInterval"/> above zero).</param>
public sealed record CarrierHealthSnapshot(
    string CarrierName,
    CarrierHealthState State,
    int ConsecutiveFailures,
    DateTimeOffset? LastChange,
    bool IsAvailable,
    bool IsMonitored);
