using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Proxy;

/// <summary>
/// Calls through the real SipTrunk process: SIPp UAC → stunnel (peer certificate) → SipTrunk (mTLS) → stunnel (carrier
/// certificate) → SIPp UAS, all on loopback.
/// </summary>
public sealed class ProxyCallTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Invite_TwoHundredCallsAtTwentyCps_AllComplete()
    {
        await using var world = new ProxyFixture("carrier-1");
        var carrier = await world.StartCarrierAsync("carrier-1", SippScenarios.Uas);
        var config = world.NewConfig();
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-1", carrier.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("", "carrier-1"));
        await world.StartSipTrunkAsync(config);
        var peer = await world.StartPeerAsync();

        var result = await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 200, callsPerSecond: 20, Bound);

        Assert.True(result.ExitCode == 0, world.Describe(result));
        Assert.Equal(200, result.Statistics.SuccessfulCalls);
        Assert.Equal(0, result.Statistics.FailedCalls);
        var uas = await carrier.Uas.StopAsync();
        Assert.Equal(200, uas.Statistics.SuccessfulCalls);
    }
}
