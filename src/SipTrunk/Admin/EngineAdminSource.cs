using SipTrunk.Configuration;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;
using SipTrunk.Hosting;

namespace SipTrunk.Admin;

/// <summary>The admin API's view of the running <see cref="ProxyEngine"/>.</summary>
internal sealed class EngineAdminSource : IAdminSource
{
    private readonly ProxyEngine _engine;
    private readonly SipTrunkOptions _options;
    private readonly Func<ICallRecordStore?> _callRecords;

    // Read when first asked (after the engine has loaded, or generated, the files), then kept: the gauges describe
    // the certificates this process loaded, not files replaced on disk since.
    private readonly Lazy<IReadOnlyList<CertificateExpiry>> _certificates;

    public EngineAdminSource(ProxyEngine engine, SipTrunkOptions options, Func<ICallRecordStore?> callRecords)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(callRecords);
        _engine = engine;
        _options = options;
        _callRecords = callRecords;
        _certificates = new(() => CertificateInventory.Load(options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public SipTrunkMetrics Metrics => _engine.Metrics;

    public CallCounters Calls => _engine.Calls;

    public ICallRecordStore? CallRecords => _callRecords();

    public IReadOnlyList<ListenerStatus> Listeners()
    {
        var bound = _engine.Listeners;
        return
        [
            .. _options.Listeners.Where(l => l.Enabled).Select(l => new ListenerStatus(
                l.Name,
                l.Transport.ToString().ToLowerInvariant(),
                bound.FirstOrDefault(b => string.Equals(b.Definition.Name, l.Name, StringComparison.Ordinal))?.LocalEndPoint.ToString())),
        ];
    }

    public IReadOnlyList<RegistrarBinding> Registrations() => _engine.Locations?.Snapshot() ?? [];

    public IReadOnlyList<CarrierStatus> Carriers()
    {
        if (_engine.CarrierHealth is not { } health)
        {
            return [];
        }

        return [.. health.Carriers.Select(c => CarrierStatus.From(c, health.TryGet(c.Name, out var h) ? h.Snapshot() : null))];
    }

    public IReadOnlyList<CertificateExpiry> Certificates() => _certificates.Value;
}
