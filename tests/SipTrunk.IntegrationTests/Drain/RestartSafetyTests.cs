using SipTrunk.IntegrationTests.Cli;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.IntegrationTests.Registrar;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Drain;

/// <summary>
/// kill -9 with calls up and calls just ended, then a restart on the same data directory: the registration is back,
/// every ended call's record is stored once, and each call cut off by the kill has a record ended by proxy-restart.
/// </summary>
public sealed class RestartSafetyTests
{
    private const string Carrier = "carrier-1";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Kill9_WithCallsUpAndJustEnded_RestartRestoresRegistrationsAndRecordsEveryCallOnce()
    {
        await using var world = new ProxyFixture(Carrier);
        var carrier = await world.StartCarrierAsync(Carrier, SippScenarios.Uas);
        var config = world.NewConfig();
        var pbx = ProxyTestConfig.Peer(ProxyFixture.Peer);
        pbx["Register"] = true;
        config.Peers.Add(pbx);
        config.Carriers.Add(ProxyTestConfig.Carrier(Carrier, carrier.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("", Carrier));
        var sipTrunk = await world.StartSipTrunkAsync(config);
        var configPath = world.Directory.Combine("siptrunk.json");
        var peer = await world.StartPeerAsync();

        await using (var registrant = await PeerAuthenticationTests.ConnectAsync(world))
        {
            Assert.Equal(200, (await registrant.RegisterAsync())?.StatusCode);
        }

        await RegistrarPersistenceTests.AssertRegisteredEventuallyAsync(configPath, world);

        // Two calls stay up (they wait for a BYE that never comes); five end just before the kill.
        await using var upCalls = await SippProcess.StartAsync(
            SippOptions.Client(SippScenarios.UacMediaTimeout, peer.AcceptPort, calls: 2, callsPerSecond: 10) with { Timeout = Bound });
        Assert.True(await SipTrunkLog.WaitForCountAsync(sipTrunk, "answered by " + Carrier, 2, Bound), world.Describe());
        var ended = await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 5, callsPerSecond: 10, Bound);
        Assert.True(ended.SuccessfulCalls == 5, ended.Describe() + world.Describe());

        await sipTrunk.KillAsync();
        var firstRun = sipTrunk.Output;
        var restarted = await world.StartSipTrunkAsync(config);

        Assert.True(await restarted.WaitForOutputAsync("1 binding(s) restored", Bound), world.Describe());
        await RegistrarPersistenceTests.AssertRegisteredEventuallyAsync(configPath, world);
        var records = await CallsCommandTests.WaitForRecordsAsync(configPath, 7, world);
        Assert.True(records.Count == 7, $"{records.Count} records\n{firstRun}\n{world.Describe()}");
        Assert.Equal(7, records.Select(r => r.Id).Distinct().Count());
        Assert.Equal(7, records.Select(r => r.CallId).Distinct().Count());
        var byCaller = records.Where(r => r.EndedBy == "caller").ToList();
        Assert.Equal(5, byCaller.Count);
        Assert.All(byCaller, r => Assert.Equal(("answered", 200), (r.Status, r.SipCode)));
        var cutOff = records.Where(r => r.EndReason == "proxy-restart").ToList();
        Assert.Equal(2, cutOff.Count);
        Assert.All(cutOff, r =>
        {
            Assert.Equal(("answered", "proxy", Carrier, ProxyFixture.Peer), (r.Status, r.EndedBy, r.Carrier, r.Peer));
            Assert.NotNull(r.AnsweredAt);
            Assert.NotNull(r.DurationSeconds);
            Assert.NotNull(r.To);
        });

        Assert.Equal(0, await restarted.StopAsync());
        Assert.Equal(7, (await CallsCommandTests.ListAsync(configPath, "--format", "json")).Count);
    }
}
