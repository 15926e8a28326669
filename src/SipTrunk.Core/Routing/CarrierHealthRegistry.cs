using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Core.Routing;

/// <summary>
/// One <see cref="CarrierHealth"/> per carrier of a configuration snapshot. The proxy asks <see cref="IsAvailable"/>
/// before trying a carrier; the <see cref="CarrierHealthMonitor"/> records probe results; the admin API and metrics
/// read <see cref="Snapshot"/> or follow the state-change callback. Safe to use from any thread.
/// </summary>
public sealed class CarrierHealthRegistry
{
    private readonly Dictionary<string, CarrierHealth> _byName;
    private readonly CarrierHealth[] _all;

    /// <summary>Creates the registry; every carrier starts <see cref="CarrierHealthState.Unknown"/>.</summary>
    /// <param name="carriers">The carriers of the snapshot.</param>
    /// <param name="timeProvider">The clock for state-change times.</param>
    /// <param name="onStateChanged">
    /// Called on every state change of any carrier (see <see cref="CarrierHealth(CarrierDefinition, TimeProvider, Action{CarrierHealthChange}?)"/>),
    /// e.g. to log and to set <c>siptrunk_carrier_up</c>.
    /// </param>
    /// <exception cref="ArgumentException">Two carriers share a name.</exception>
    public CarrierHealthRegistry(IReadOnlyList<CarrierDefinition> carriers, TimeProvider timeProvider, Action<CarrierHealthChange>? onStateChanged = null)
    {
        ArgumentNullException.ThrowIfNull(carriers);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _byName = new Dictionary<string, CarrierHealth>(carriers.Count, StringComparer.OrdinalIgnoreCase);
        _all = new CarrierHealth[carriers.Count];
        for (var i = 0; i < carriers.Count; i++)
        {
            var health = new CarrierHealth(carriers[i], timeProvider, onStateChanged);
            if (!_byName.TryAdd(carriers[i].Name, health))
            {
                throw new ArgumentException($"carrier '{carriers[i].Name}' is defined twice", nameof(carriers));
            }

            _all[i] = health;
        }

        Carriers = [.. carriers];
    }

    /// <summary>The carriers, in configuration order.</summary>
    public IReadOnlyList<CarrierDefinition> Carriers { get; }

    /// <summary>
    /// Whether calls may be sent to <paramref name="carrier"/>: not down, or not health-checked at all. A carrier this
    /// registry does not know (a route of a newer snapshot racing a reload) counts as available, since nothing is
    /// known against it.
    /// </summary>
    public bool IsAvailable(CarrierDefinition carrier)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        return carrier.HealthCheckInterval <= TimeSpan.Zero
            || !_byName.TryGetValue(carrier.Name, out var health)
            || health.IsAvailable;
    }

    /// <summary>The health record of the carrier named <paramref name="carrierName"/> (case-insensitive).</summary>
    public bool TryGet(string carrierName, [NotNullWhen(true)] out CarrierHealth? health) => _byName.TryGetValue(carrierName, out health);

    /// <summary>Every carrier's health, in configuration order.</summary>
    public IReadOnlyList<CarrierHealthSnapshot> Snapshot() => [.. _all.Select(h => h.Snapshot())];
}
