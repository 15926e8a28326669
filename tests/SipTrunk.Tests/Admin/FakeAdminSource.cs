using SipTrunk.Admin;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;

namespace SipTrunk.Tests.Admin;

/// <summary>An <see cref="IAdminSource"/> whose state a test sets directly.</summary>
internal sealed class FakeAdminSource(TimeProvider time) : IAdminSource
{
    public SipTrunkMetrics Metrics { get; } = new();

    public CallCounters Calls { get; } = new(time);

    public InMemoryCallRecordStore Store { get; } = new();

    public bool HasStore { get; set; } = true;

    public ICallRecordStore? CallRecords => HasStore ? Store : null;

    public List<ListenerStatus> ListenerList { get; } = [new("peers", "tls", "127.0.0.1:5061")];

    public List<RegistrarBinding> Bindings { get; } = [];

    public List<CarrierStatus> CarrierList { get; } = [];

    public List<CertificateExpiry> CertificateList { get; } = [];

    public IReadOnlyList<ListenerStatus> Listeners() => ListenerList;

    public IReadOnlyList<RegistrarBinding> Registrations() => Bindings;

    public IReadOnlyList<CarrierStatus> Carriers() => CarrierList;

    public IReadOnlyList<CertificateExpiry> Certificates() => CertificateList;
}
