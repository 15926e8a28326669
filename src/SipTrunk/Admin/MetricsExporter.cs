using System.Reflection;
using SipTrunk.Core.Diagnostics;

namespace SipTrunk.Admin;

/// <summary>
/// <c>GET /metrics</c> (CONTRACT.md §4): every <see cref="LabeledCounter"/> of <see cref="SipTrunkMetrics"/> as a
/// counter family, plus the gauges and two-label counters that live elsewhere (calls, registrations, carriers,
/// certificates).
/// </summary>
internal static class MetricsExporter
{
    // Found once by reflection so that a counter added to SipTrunkMetrics is exported without touching this file.
    private static readonly PropertyInfo[] CounterProperties =
        [.. typeof(SipTrunkMetrics).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(LabeledCounter))];

    /// <summary>The exposition text of <paramref name="source"/> at <paramref name="now"/>.</summary>
    public static string Render(IAdminSource source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(source);
        var writer = new PrometheusTextWriter();

        writer.Family("siptrunk_calls_active", "gauge", "Calls in progress (set up or answered).");
        writer.Sample("siptrunk_calls_active", source.Calls.Active);

        writer.Family("siptrunk_calls_total", "counter", "Ended calls, by direction (outbound: peer to carrier, inbound: carrier to peer) and status.");
        foreach (var (key, count) in source.Calls.EndedSnapshot())
        {
            writer.Sample("siptrunk_calls_total", count, ("direction", key.Direction), ("status", key.Status));
        }

        writer.Family("siptrunk_registrations_active", "gauge", "Unexpired registrar bindings.");
        writer.Sample("siptrunk_registrations_active", source.Registrations().Count);

        var carriers = source.Carriers();
        writer.Family("siptrunk_carrier_up", "gauge", "1 while calls may be sent to the carrier, 0 while health checks mark it down.");
        foreach (var carrier in carriers)
        {
            writer.Sample("siptrunk_carrier_up", carrier.Up ? 1 : 0, ("carrier", carrier.Name));
        }

        writer.Family("siptrunk_carrier_health_state", "gauge", "The carrier's health-check state (unknown, up, down): 1 for the current one.");
        foreach (var carrier in carriers)
        {
            foreach (var state in (ReadOnlySpan<string>)["unknown", "up", "down"])
            {
                writer.Sample("siptrunk_carrier_health_state", carrier.State == state ? 1 : 0, ("carrier", carrier.Name), ("state", state));
            }
        }

        writer.Family("siptrunk_certificate_expiry_seconds", "gauge", "Seconds until the certificate's NotAfter (negative once expired).");
        foreach (var certificate in source.Certificates())
        {
            writer.Sample("siptrunk_certificate_expiry_seconds", Math.Floor((certificate.NotAfter - now).TotalSeconds), ("certificate", certificate.Name));
        }

        var listeners = source.Listeners();
        writer.Family("siptrunk_listener_up", "gauge", "1 when the SIP listener is bound.");
        foreach (var listener in listeners)
        {
            writer.Sample("siptrunk_listener_up", listener.BoundAddress is null ? 0 : 1, ("listener", listener.Name), ("transport", listener.Transport));
        }

        foreach (var counter in CounterProperties.Select(p => (LabeledCounter)p.GetValue(source.Metrics)!).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            writer.Family(counter.Name, "counter", counter.Help);
            foreach (var (label, value) in counter.Snapshot())
            {
                writer.Sample(counter.Name, value, (counter.LabelName, label));
            }
        }

        return writer.ToString();
    }
}
