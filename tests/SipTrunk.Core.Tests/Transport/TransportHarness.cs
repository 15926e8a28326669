using System.Net;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>A started <see cref="SipTransportService"/> on 127.0.0.1 with a recording sink, fresh counters and a list log.</summary>
internal sealed class TransportHarness : IAsyncDisposable
{
    private TransportHarness(SipTransportService service, RecordingSink sink, SipTrunkMetrics metrics, ListLogger<SipTransportService> log)
    {
        Service = service;
        Sink = sink;
        Metrics = metrics;
        Log = log;
    }

    public SipTransportService Service { get; }

    public RecordingSink Sink { get; }

    public SipTrunkMetrics Metrics { get; }

    public ListLogger<SipTransportService> Log { get; }

    public static ListenerDefinition Tcp(string name = "tcp") => new(name, SipTransportKind.Tcp, Wire.Loopback0, ClientCertificateRequirement.None);

    public static ListenerDefinition Udp(string name = "udp") => new(name, SipTransportKind.Udp, Wire.Loopback0, ClientCertificateRequirement.None);

    public static ListenerDefinition Tls(string name = "tls", ClientCertificateRequirement clientCertificate = ClientCertificateRequirement.Require) =>
        new(name, SipTransportKind.Tls, Wire.Loopback0, clientCertificate);

    public static async Task<TransportHarness> StartAsync(
        IReadOnlyList<ListenerDefinition> listeners,
        TransportSettings? settings = null,
        TlsSettings? tls = null,
        TimeProvider? time = null)
    {
        var sink = new RecordingSink();
        var metrics = new SipTrunkMetrics();
        var log = new ListLogger<SipTransportService>();
        var service = new SipTransportService(settings ?? new TransportSettings(), tls, sink, metrics, time ?? TimeProvider.System, log);
        await service.StartAsync(listeners, CancellationToken.None);
        return new TransportHarness(service, sink, metrics, log);
    }

    /// <summary>Where the listener called <paramref name="name"/> (default: the first) actually listens.</summary>
    public IPEndPoint EndPoint(string? name = null) =>
        Service.Listeners.First(l => name is null || l.Definition.Name == name).LocalEndPoint;

    public async ValueTask DisposeAsync() => await Service.DisposeAsync();
}
