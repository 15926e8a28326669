using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Media;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Proxy;

/// <summary>
/// The real proxy core over the real transaction layer, with in-memory flows and virtual time: a peer flow, one flow
/// per carrier (or a refused connection), and helpers to play the carrier's part.
/// </summary>
internal sealed class ProxyHarness : IDisposable
{
    private readonly Dictionary<string, RecordingFlow> _carrierFlows = new(StringComparer.Ordinal);

    public ProxyHarness(IReadOnlyList<CarrierDefinition> carriers, ProxySettings? settings = null, PeerServices? services = null, PeerDefinition? peer = null, Func<TimeProvider, MediaService>? media = null)
    {
        Media = media?.Invoke(Time);
        settings ??= ProxyTestData.Settings with { InviteTimeout = TimeSpan.FromSeconds(10) };
        foreach (var carrier in carriers)
        {
            _carrierFlows[carrier.Name] = new RecordingFlow(localPort: 46000, remotePort: carrier.Port, outboundKey: carrier.Name);
        }

        Connector = new FakeConnector(this);
        Health = new CarrierHealthRegistry(carriers, Time);
        Layer = new TransactionLayer(TransactionTimers.Default, Time, Metrics, NullLogger<TransactionLayer>.Instance);
        var snapshot = new ProxySnapshot([peer ?? ProxyTestData.Peer], carriers, [new RouteDefinition("", [.. carriers.Select(c => c.Name)])], NumberNormalizers.Create("e164"));
        Proxy = new SipProxy(
            settings,
            snapshot,
            new ProxyMessageFactory(settings, ProxyTestData.Codec),
            Connector,
            new PriorityWeightedCarrierSelector(new Random(7)),
            Health,
            new RecordingObserver(this),
            Metrics,
            Time,
            NullLogger<SipProxy>.Instance,
            services,
            Media);
        Layer.Attach(Proxy);
        Proxy.Attach(Layer);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public SipTrunkMetrics Metrics { get; } = new();

    public CallCounters Calls { get; } = new();

    /// <summary>Every call record the proxy reported, in order.</summary>
    public List<CallSummary> Summaries { get; } = [];

    /// <summary>The media anchor, when the test asked for one.</summary>
    public MediaService? Media { get; }

    public TransactionLayer Layer { get; }

    public SipProxy Proxy { get; }

    public FakeConnector Connector { get; }

    public CarrierHealthRegistry Health { get; }

    public RecordingFlow PeerFlow { get; } = new(identities: ["pbx-a"]);

    public HashSet<string> Unreachable { get; } = new(StringComparer.Ordinal);

    /// <summary>More connections of peers (a second registered PBX connection, another peer), found by id.</summary>
    public List<RecordingFlow> OtherFlows { get; } = [];

    public RecordingFlow CarrierFlow(string name) => _carrierFlows[name];

    /// <summary>Delivers a request from the peer.</summary>
    public void FromPeer(SipMessage message) => Layer.OnMessage(message, PeerFlow);

    /// <summary>The requests (not ACK/CANCEL unless asked) the carrier received, in order.</summary>
    public IReadOnlyList<SipRequest> ReceivedBy(string carrier, SipMethod method = SipMethod.Invite) =>
        [.. CarrierFlow(carrier).SentMessages().OfType<SipRequest>().Where(r => r.Method == method)];

    /// <summary>The carrier answers its latest request of <paramref name="method"/> with <paramref name="code"/>.</summary>
    public SipResponse CarrierResponds(string carrier, int code, SipMethod method = SipMethod.Invite, string? extraHeader = null, string? sdp = null)
    {
        var request = ReceivedBy(carrier, method)[^1];
        var builder = SipResponses.Create(request, code, null, code > 100 ? "callee-tag" : null);
        if (code is >= 200 and < 300 && method == SipMethod.Invite)
        {
            builder.Add(HeaderId.Contact, "<sip:callee@192.0.2.10:5060;transport=tcp>");
            foreach (var recordRoute in request.GetValues(HeaderId.RecordRoute))
            {
                builder.Add(HeaderId.RecordRoute, recordRoute.ToString());
            }
        }

        if (extraHeader is not null)
        {
            var colon = extraHeader.IndexOf(':', StringComparison.Ordinal);
            builder.Add(extraHeader[..colon], extraHeader[(colon + 1)..].Trim());
        }

        if (sdp is not null)
        {
            builder.Add(HeaderId.ContentType, "application/sdp");
            builder.Body = System.Text.Encoding.ASCII.GetBytes(sdp);
        }

        var response = (SipResponse)SipParser.Parse(builder.ToArray()).Message!;
        Layer.OnMessage(response, CarrierFlow(carrier));
        return response;
    }

    /// <summary>The responses the peer received (100 Trying included).</summary>
    public IReadOnlyList<SipResponse> PeerResponses() => [.. PeerFlow.SentMessages().OfType<SipResponse>()];

    public void Dispose() => Proxy.Dispose();

    private sealed class RecordingObserver(ProxyHarness harness) : ICallObserver
    {
        public void OnCallStarted(string callId, string direction, string? peer) => harness.Calls.OnCallStarted(callId, direction, peer);

        public void OnCallAnswered(string callId, string direction, string carrier) => harness.Calls.OnCallAnswered(callId, direction, carrier);

        public void OnCallEnded(CallSummary summary)
        {
            lock (harness.Summaries)
            {
                harness.Summaries.Add(summary);
            }

            harness.Calls.OnCallEnded(summary);
        }
    }

    internal sealed class FakeConnector(ProxyHarness harness) : IFlowConnector
    {
        public List<string> Connects { get; } = [];

        public ValueTask<SipFlow> ConnectAsync(CarrierDefinition carrier, CancellationToken cancellationToken)
        {
            Connects.Add(carrier.Name);
            return harness.Unreachable.Contains(carrier.Name)
                ? ValueTask.FromException<SipFlow>(new IOException("connection refused"))
                : ValueTask.FromResult<SipFlow>(harness.CarrierFlow(carrier.Name));
        }

        public ValueTask<SipFlow> ConnectAsync(OutboundTarget target, CancellationToken cancellationToken)
        {
            Connects.Add(target.Key);
            return ValueTask.FromException<SipFlow>(new IOException("connection refused"));
        }

        public SipFlow? FindFlow(long id) =>
            id == harness.PeerFlow.Id ? harness.PeerFlow : harness._carrierFlows.Values.Concat(harness.OtherFlows).FirstOrDefault(f => f.Id == id);
    }
}
