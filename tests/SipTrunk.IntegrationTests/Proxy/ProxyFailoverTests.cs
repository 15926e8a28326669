using SipTrunk.Testing;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Proxy;

/// <summary>Serial failover and CANCEL through the real process, with SIPp carriers behind stunnel.</summary>
public sealed class ProxyFailoverTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static ProxyTestConfig Config(ProxyFixture world, int firstPort, int secondPort)
    {
        var config = world.NewConfig();
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-a", firstPort, priority: 1));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-b", secondPort, priority: 2));
        config.Routes.Add(ProxyTestConfig.Route("+44", "carrier-a", "carrier-b"));
        return config;
    }

    [Fact]
    public async Task Invite_FirstCarrierAnswers503_CompletesOnSecondAndKeepsBothAttempts()
    {
        await using var world = new ProxyFixture("carrier-a", "carrier-b");
        var first = await world.StartCarrierAsync("carrier-a", SippScenarios.Uas503);
        var second = await world.StartCarrierAsync("carrier-b", SippScenarios.Uas);
        var sipTrunk = await world.StartSipTrunkAsync(Config(world, first.TlsPort, second.TlsPort));
        var peer = await world.StartPeerAsync();

        var result = await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 1, callsPerSecond: 1, Bound);

        Assert.True(result.ExitCode == 0, world.Describe(result));
        Assert.Equal(1, (await first.Uas.StopAsync()).Statistics.CallsCreated);
        Assert.Equal(1, (await second.Uas.StopAsync()).Statistics.SuccessfulCalls);
        Assert.True(
            await sipTrunk.WaitForOutputAsync("attempts: carrier-a 503 Service Unavailable; carrier-b 200 OK", Bound),
            world.Describe(result));
    }

    [Fact]
    public async Task Invite_FirstCarrierNotListening_CompletesOnSecond()
    {
        await using var world = new ProxyFixture("carrier-a", "carrier-b");
        var second = await world.StartCarrierAsync("carrier-b", SippScenarios.Uas);
        var sipTrunk = await world.StartSipTrunkAsync(Config(world, FreePort.Tcp(), second.TlsPort));
        var peer = await world.StartPeerAsync();

        var result = await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 1, callsPerSecond: 1, Bound);

        Assert.True(result.ExitCode == 0, world.Describe(result));
        Assert.Equal(1, (await second.Uas.StopAsync()).Statistics.SuccessfulCalls);
        Assert.True(await sipTrunk.WaitForOutputAsync("attempts: carrier-a 503 transport: ", Bound), world.Describe(result));
    }

    [Fact]
    public async Task Cancel_BeforeAnswer_ReachesCarrierAndCallerGets487()
    {
        await using var world = new ProxyFixture("carrier-a", "carrier-b");
        var carrier = await world.StartCarrierAsync("carrier-a", SippScenarios.UasRingNoAnswer);
        var sipTrunk = await world.StartSipTrunkAsync(Config(world, carrier.TlsPort, FreePort.Tcp()));
        var peer = await world.StartPeerAsync();

        var result = await ProxyFixture.RunCallsAsync(peer, SippScenarios.UacCancel, calls: 3, callsPerSecond: 3, Bound);

        Assert.True(result.ExitCode == 0, world.Describe(result));
        Assert.Equal(3, result.Statistics.SuccessfulCalls);
        var uas = await carrier.Uas.StopAsync();
        Assert.True(uas.Statistics.SuccessfulCalls == 3, uas.Describe());
        Assert.True(await sipTrunk.WaitForOutputAsync("ended: cancelled 487", Bound), world.Describe(result));
    }
}
