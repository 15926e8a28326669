using System.Net;
using BenchmarkDotNet.Attributes;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Benchmarks;

/// <summary>
/// What SipTrunk does to every message it relays, on the shared reference messages (../shared/bench): the checks the
/// transaction layer makes first (<see cref="SipMessageValidator"/>), the proxy's loop check, and the rewriting of
/// <see cref="ProxyMessageFactory"/> (RFC 3261 §16.6, §16.7). Every benchmark parses its message afresh, as SipTrunk
/// does for every message received (the typed views are cached per message); <see cref="ParseInvite"/> and
/// <see cref="ParseOk200"/> give the parse alone, to subtract.
/// </summary>
[MemoryDiagnoser]
public class ProxyMessageBenchmarks
{
    private const string Branch = "z9hG4bK-bench-7f3a9c21";
    private const string CarrierUri = "sip:+441632960001@127.0.0.1:5071";

    private readonly BenchFlow _inbound = new(1, new IPEndPoint(IPAddress.Loopback, 5061), new IPEndPoint(IPAddress.Loopback, 40001), "peers");
    private readonly BenchFlow _outbound = new(2, new IPEndPoint(IPAddress.Loopback, 40002), new IPEndPoint(IPAddress.Loopback, 5071), null);
    private readonly FlowToken _token = new(1, "pbx-a", "carrier-1");
    private readonly byte[] _invite = BenchData.Load("invite.sip");
    private readonly byte[] _ok200 = BenchData.Load("ok200.sip");
    private readonly ProxyMessageFactory _factory = new(
        new ProxySettings { Domain = "trunk.example.net", LocalEndpoints = [new LocalEndpoint(SipTransportKind.Tls, "127.0.0.1", 5061)] },
        new FlowTokenCodec(new byte[32]));

    [Benchmark(Baseline = true)]
    public SipMessage ParseInvite() => Parse(_invite);

    [Benchmark]
    public SipMessage ParseOk200() => Parse(_ok200);

    /// <summary>Parse, then the checks the transaction layer makes on every request (TransactionLayer.OnRequest).</summary>
    [Benchmark]
    public int ParseValidateInvite() => SipMessageValidator.ValidateRequest((SipRequest)Parse(_invite)).StatusCode;

    /// <summary>Parse, then the checks the transaction layer makes on every response (TransactionLayer.OnResponse).</summary>
    [Benchmark]
    public string? ParseValidateOk200() => SipMessageValidator.ValidateResponse((SipResponse)Parse(_ok200));

    /// <summary>Parse, then RFC 3261 §16.3 step 4: every Via compared with SipTrunk's own.</summary>
    [Benchmark]
    public bool ParseIsLoopInvite() => _factory.IsLoop((SipRequest)Parse(_invite));

    /// <summary>Parse, then the INVITE as forwarded to a carrier: new Request-URI, Record-Route with a flow token, Via.</summary>
    [Benchmark]
    public byte[] ParseForwardInvite() =>
        _factory.ForwardRequest((SipRequest)Parse(_invite), _inbound, _outbound, Branch, CarrierUri, popRoutes: 0, _token);

    /// <summary>Parse, then the 200 as forwarded upstream: SipTrunk's Via removed.</summary>
    [Benchmark]
    public byte[] ParseForwardOk200() => ProxyMessageFactory.ForwardResponse((SipResponse)Parse(_ok200));

    /// <summary>All of it for one INVITE: parse, validate, loop check, forward.</summary>
    [Benchmark]
    public byte[] InviteRelayPath()
    {
        var request = (SipRequest)Parse(_invite);
        _ = SipMessageValidator.ValidateRequest(request);
        _ = _factory.IsLoop(request);
        return _factory.ForwardRequest(request, _inbound, _outbound, Branch, CarrierUri, popRoutes: 0, _token);
    }

    private static SipMessage Parse(byte[] bytes) => SipParser.Parse(bytes).Message!;
}
