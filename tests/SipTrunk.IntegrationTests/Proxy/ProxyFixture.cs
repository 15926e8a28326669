using SipTrunk.Testing;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Proxy;

/// <summary>
/// One test's world: a fresh PKI, a SipTrunk process on a free port, carriers (SIPp UAS behind stunnel) and the peer's
/// TLS front (stunnel presenting the peer certificate). Everything is stopped on dispose.
/// </summary>
internal sealed class ProxyFixture : IAsyncDisposable
{
    public const string Peer = "pbx-a";

    private readonly List<IAsyncDisposable> _owned = [];

    public ProxyFixture(params string[] carriers)
    {
        Pki = TestPki.Create(Directory.Combine("pki"), [Peer, "stranger"], carriers);
    }

    public TempDirectory Directory { get; } = new();

    public TestPki Pki { get; }

    public SipTrunkProcess? SipTrunk { get; private set; }

    public int ListenerPort { get; } = FreePort.Tcp();

    public ProxyTestConfig NewConfig(int inviteTimeoutSeconds = 32) => new()
    {
        ListenerPort = ListenerPort,
        CaPath = Pki.CaCertificatePath,
        ServerCertificatePath = Pki.Server.CertificatePath,
        ServerKeyPath = Pki.Server.PrivateKeyPath,
        DataDirectory = Directory.Path,
        InviteTimeoutSeconds = inviteTimeoutSeconds,
    };

    public async Task<SippCarrier> StartCarrierAsync(string name, string scenario)
    {
        var carrier = await SippCarrier.StartAsync(scenario, Pki.Carriers[name], Pki.CaCertificatePath);
        _owned.Add(carrier);
        return carrier;
    }

    public async Task<SipTrunkProcess> StartSipTrunkAsync(ProxyTestConfig config)
    {
        var path = config.Write(Directory.Combine("siptrunk.json"));
        SipTrunk = await SipTrunkProcess.StartAsync(path, ListenerPort);
        _owned.Add(SipTrunk);
        return SipTrunk;
    }

    /// <summary>
    /// baresip as <paramref name="peer"/> (pbx-a by default) registering with this SipTrunk over TLS (its certificate, MD5
    /// digest with <paramref name="password"/>).
    /// </summary>
    public BaresipOptions PeerBaresip(string password, string peer = Peer)
    {
        var certificate = Pki.Peers[peer];
        return new BaresipOptions
        {
            ServerPort = ListenerPort,
            Username = peer,
            Password = password,
            AorUser = peer,
            AorDomain = "localhost",
            ClientCertificatePemPath = certificate.CertificatePath,
            ClientKeyPemPath = certificate.PrivateKeyPath,
            CaPemPath = Pki.CaCertificatePath,
        };
    }

    /// <summary>The peer's TLS front toward SipTrunk, presenting <paramref name="certificate"/> (the peer's by default).</summary>
    public async Task<StunnelProcess> StartPeerAsync(CertificateFiles? certificate = null)
    {
        var stunnel = await StunnelProcess.StartClientAsync(ListenerPort, certificate ?? Pki.Peers[Peer], Pki.CaCertificatePath);
        _owned.Add(stunnel);
        return stunnel;
    }

    public static async Task<SippResult> RunCallsAsync(StunnelProcess peer, string scenario, int calls, double callsPerSecond, TimeSpan bound)
    {
        await using var uac = await SippProcess.StartAsync(SippOptions.Client(scenario, peer.AcceptPort, calls, callsPerSecond));
        return await uac.WaitForExitAsync(bound);
    }

    public string Describe(SippResult? result = null) =>
        (result?.Describe() ?? "") + "\n=== siptrunk\n" + (SipTrunk?.Output ?? "(not started)");

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Directory.Dispose();
    }
}
