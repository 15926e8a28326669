using SipTrunk.Core.Routing;

namespace SipTrunk.Admin;

/// <summary>One carrier as <c>/api/carriers</c> shows it: configuration and health (CONTRACT.md §4).</summary>
/// <param name="Name">The configured name.</param>
/// <param name="Uri">The carrier's SIP URI.</param>
/// <param name="Priority">Lower is tried first.</param>
/// <param name="Weight">Share within one priority.</param>
/// <param name="State"><c>unknown</c> (not probed yet or not health-checked), <c>up</c> or <c>down</c>.</param>
/// <param name="Up">Whether calls may be sent to it: not marked down (the value of <c>siptrunk_carrier_up</c>).</param>
/// <param name="Monitored">Whether OPTIONS health checks run for it.</param>
/// <param name="ConsecutiveFailures">Failed probes in a row.</param>
/// <param name="LastChange">When the state last changed.</param>
internal sealed record CarrierStatus(
    string Name,
    string Uri,
    int Priority,
    int Weight,
    string State,
    bool Up,
    bool Monitored,
    int ConsecutiveFailures,
    DateTimeOffset? LastChange)
{
    /// <summary>The status of <paramref name="carrier"/> with its health, or unprobed when <paramref name="health"/> is null.</summary>
    public static CarrierStatus From(CarrierDefinition carrier, CarrierHealthSnapshot? health)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        var monitored = health?.IsMonitored ?? carrier.HealthCheckInterval > TimeSpan.Zero;
        return new CarrierStatus(
            carrier.Name,
            DisplayUri(carrier),
            carrier.Priority,
            carrier.Weight,
            (health?.State ?? CarrierHealthState.Unknown) switch
            {
                CarrierHealthState.Up => "up",
                CarrierHealthState.Down => "down",
                _ => "unknown",
            },
            health?.IsAvailable ?? true,
            monitored,
            health?.ConsecutiveFailures ?? 0,
            health?.LastChange);
    }

    // RFC 3261 §19.1.1 deprecates passwords in URIs; should one be configured anyway, it is not for display.
    private static string DisplayUri(CarrierDefinition carrier) =>
        carrier.Uri.Password is null
            ? carrier.Uri.ToString()
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{carrier.Uri.Scheme}:{carrier.Host}:{carrier.Port}");
}
