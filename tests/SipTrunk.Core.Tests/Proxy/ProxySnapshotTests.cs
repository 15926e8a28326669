using SipTrunk.Core.Proxy;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Tests.Proxy;

public sealed class ProxySnapshotTests
{
    private static ProxySnapshot Create(PeerDefinition? peer = null, CarrierDefinition? carrier = null) => new(
        [peer ?? ProxyTestData.Peer],
        [carrier ?? ProxyTestData.Carrier("carrier-1", 5081), ProxyTestData.Carrier("carrier-udp", 5090, SipTransportKind.Udp)],
        [new RouteDefinition("", ["carrier-1"])],
        new TestNormalizer());

    [Fact]
    public void Identify_PeerCertificate_Peer()
    {
        var source = Create().Identify(new RecordingFlow(identities: ["other.example", "PBX-A"]));

        Assert.Equal(RequestSourceKind.Peer, source.Kind);
        Assert.Equal("pbx-a", source.Name);
    }

    [Fact]
    public void Identify_PinMismatch_Unknown()
    {
        var snapshot = Create(ProxyTestData.Peer with { Sha256Fingerprint = new string('A', 64) });

        var source = snapshot.Identify(new RecordingFlow(identities: ["pbx-a"], sha256: new string('B', 64)));

        Assert.Equal(RequestSourceKind.Unknown, source.Kind);
        Assert.Contains("pinned", source.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Identify_PinMatch_Peer()
    {
        var snapshot = Create(ProxyTestData.Peer with { Sha256Fingerprint = new string('A', 64) });

        Assert.Equal(RequestSourceKind.Peer, snapshot.Identify(new RecordingFlow(identities: ["pbx-a"], sha256: new string('A', 64))).Kind);
    }

    [Fact]
    public void Identify_TrustedButUnknownIdentity_Unknown()
    {
        var source = Create().Identify(new RecordingFlow(identities: ["stranger"]));

        Assert.Equal(RequestSourceKind.Unknown, source.Kind);
        Assert.Contains("stranger", source.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Identify_OwnCarrierConnection_Carrier()
    {
        var source = Create().Identify(new RecordingFlow(outboundKey: "carrier-1"));

        Assert.Equal((RequestSourceKind.Carrier, "carrier-1"), (source.Kind, source.Name));
    }

    [Fact]
    public void Identify_CarrierClientCertificate_Carrier()
    {
        Assert.Equal(RequestSourceKind.Carrier, Create().Identify(new RecordingFlow(identities: ["carrier-1"])).Kind);
    }

    [Fact]
    public void Identify_PlainTransport_OnlyConfiguredCarrierAddress()
    {
        var snapshot = Create();

        Assert.Equal(RequestSourceKind.Carrier, snapshot.Identify(new RecordingFlow(SipTransportKind.Udp)).Kind);
        var stranger = new ProxySnapshot([ProxyTestData.Peer], [ProxyTestData.Carrier("carrier-1", 5081)], [], new TestNormalizer());
        Assert.Equal(RequestSourceKind.Unknown, stranger.Identify(new RecordingFlow(SipTransportKind.Udp)).Kind);
    }

    private sealed class TestNormalizer : INumberNormalizer
    {
        public string? Normalize(string user) => user;
    }
}
