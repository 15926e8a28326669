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

    // Before the engine has loaded its material: read when first asked, then kept. The gauges describe the
    // certificates this process uses, not files replaced on disk since (a refused replacement is not in use).
    private readonly Lazy<IReadOnlyList<CertificateExpiry>> _certificates;
    private InUse? _inUse;

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

    public IReadOnlyList<CertificateExpiry> Certificates()
    {
        // After start the engine's material is the truth: it changes with every accepted certificate reload.
        if (_engine.TlsMaterial is not { } material)
        {
            return _certificates.Value;
        }

        var cached = Volatile.Read(ref _inUse);
        if (cached is null || !ReferenceEquals(cached.Material, material))
        {
            cached = new InUse(material, CertificateInventory.Load(material, _options));
            Volatile.Write(ref _inUse, cached);
        }

        return cached.Certificates;
    }

    private sealed record InUse(LoadedTlsMaterial Material, IReadOnlyList<CertificateExpiry> Certificates);
}
