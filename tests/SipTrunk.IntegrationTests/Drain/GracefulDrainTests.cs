using System.Net;
using SipTrunk.IntegrationTests.Cli;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.IntegrationTests.Registrar;
using SipTrunk.Sip.Messages;
using SipTrunk.Testing.Peers;
using SipTrunk.IntegrationTests.Admin;

namespace SipTrunk.IntegrationTests.Drain;

/// <summary>
/// CONTRACT.md §2 <c>run</c>: SIGTERM during calls. New INVITEs get 503 at once, calls that end within DrainSeconds end
/// normally, the one still up at the deadline gets SipTrunk's BYE, the process exits 0 and every call has its record.
/// </summary>
public sealed class GracefulDrainTests
{
    private const string Carrier = "carrier-1";
    private const int DrainSeconds = 8;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_DuringCalls_NewCallRefusedShortCallsFinishLongCallByedAndExit0()
    {
        await using var world = new ProxyFixture(Carrier);
        var carrier = await world.StartCarrierAsync(Carrier, SippScenarios.Uas);
        var config = world.NewConfig() with { DrainSeconds = DrainSeconds };
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier(Carrier, carrier.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("", Carrier));
        var sipTrunk = await world.StartSipTrunkAsync(config);
        var configPath = world.Directory.Combine("siptrunk.json");
        var peer = await world.StartPeerAsync();

        // Three calls that last 4 s (well within the drain time) and one that waits for SipTrunk's BYE.
        await using var shortCalls = await SippProcess.StartAsync(
            SippOptions.Client(SippScenarios.UacHold, peer.AcceptPort, calls: 3, callsPerSecond: 10) with { ExtraArguments = ["-d", "4000"] });
        await using var longCall = await SippProcess.StartAsync(
            SippOptions.Client(SippScenarios.UacMediaTimeout, peer.AcceptPort, calls: 1, callsPerSecond: 1) with { Timeout = Bound });
        Assert.True(await SipTrunkLog.WaitForCountAsync(sipTrunk, "answered by " + Carrier, 4, Bound), world.Describe());

        await sipTrunk.SignalAsync("TERM");
        Assert.True(await sipTrunk.WaitForOutputAsync("Draining:", Bound), world.Describe());

        using (var http = AdminEndpoint.Client(await AdminEndpoint.WaitForUrlAsync(sipTrunk, Bound)))
        {
            var ready = await http.GetAsync("readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("draining", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var refusedCallId = Guid.NewGuid().ToString("N") + "@pbx-a";
        await using (var direct = await SipTestPeer.ConnectAsync(world.ListenerPort, world.Pki.Peers[ProxyFixture.Peer], world.Pki.CaCertificatePath, ProxyFixture.Peer))
        {
            var refusal = await SipTestInvite.SendAsync(direct, SippOptions.DefaultService, refusedCallId);
            Assert.Equal(503, refusal?.StatusCode);
            Assert.NotNull(refusal!.GetFirstValueString(HeaderId.RetryAfter));
            Assert.Contains("shutting down", refusal.GetFirstValueString(HeaderId.Warning), StringComparison.Ordinal);
        }

        var shortResult = await shortCalls.WaitForExitAsync(Bound);
        Assert.True(shortResult.ExitCode == 0 && shortResult.SuccessfulCalls == 3, shortResult.Describe() + world.Describe());
        var longResult = await longCall.WaitForExitAsync(Bound);
        Assert.True(longResult.ExitCode == 0 && longResult.SuccessfulCalls == 1, longResult.Describe() + world.Describe());
        Assert.Equal(0, await sipTrunk.WaitForExitAsync(Bound));

        var records = await CallsCommandTests.ListAsync(configPath, "--format", "json");
        Assert.True(records.Count == 5, $"{records.Count} records\n{world.Describe()}");
        var byCaller = records.Where(r => r.EndedBy == "caller").ToList();
        Assert.Equal(3, byCaller.Count);
        Assert.All(byCaller, r => Assert.Equal(("answered", 200), (r.Status, r.SipCode)));
        var ended = Assert.Single(records, r => r.EndReason == "shutdown");
        Assert.Equal(("answered", "proxy", Carrier), (ended.Status, ended.EndedBy, ended.Carrier));
        Assert.InRange(ended.DurationSeconds ?? 0, DrainSeconds - 1, Bound.TotalSeconds);
        var refused = Assert.Single(records, r => r.EndReason == "draining");
        Assert.Equal((refusedCallId, "rejected", 503, "proxy"), (refused.CallId, refused.Status, refused.SipCode, refused.EndedBy));
        Assert.Equal(5, records.Select(r => r.Id).Distinct().Count());
        Assert.True(sipTrunk.Output.Contains("Drained: 3 call(s) finished on their own, 1 ended by SipTrunk", StringComparison.Ordinal), world.Describe());
    }
}
