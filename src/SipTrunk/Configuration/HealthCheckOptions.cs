namespace SipTrunk.Configuration;

/// <summary><c>Carriers[].HealthCheck</c>: OPTIONS pings that mark a carrier up or down.</summary>
internal sealed record HealthCheckOptions
{
    public int OptionsIntervalSeconds { get; init; } = 30;

    public int FailuresBeforeDown { get; init; } = 3;
}
