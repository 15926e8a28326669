using System.Text.Json;
using SipTrunk.Core.Cdr;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.IntegrationTests.Registrar;
using SipTrunk.Testing;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Cli;

/// <summary>
/// <c>siptrunk calls</c> end to end: calls through the real SipTrunk (two answered SIPp calls, one INVITE refused for
/// want of a route) are written to its SQLite store and listed by the CLI while the proxy runs and after it stopped.
/// </summary>
public sealed class CallsCommandTests
{
    private const string UnroutedNumber = "+15550100";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Calls_AnsweredAndRejectedCalls_ListedFromTheStoreWhileRunningAndAfterStop()
    {
        await using var world = new ProxyFixture("carrier-1");
        var carrier = await world.StartCarrierAsync("carrier-1", SippScenarios.Uas);
        var config = world.NewConfig();
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-1", carrier.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("+44", "carrier-1"));
        var sipTrunk = await world.StartSipTrunkAsync(config);
        var configPath = world.Directory.Combine("siptrunk.json");
        var peer = await world.StartPeerAsync();

        var result = await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 2, callsPerSecond: 10, Bound);
        Assert.True(result.ExitCode == 0 && result.Statistics.SuccessfulCalls == 2, world.Describe(result));
        var rejectedCallId = Guid.NewGuid().ToString("N") + "@pbx-a";
        await using (var direct = await SipTestPeer.ConnectAsync(world.ListenerPort, world.Pki.Peers[ProxyFixture.Peer], world.Pki.CaCertificatePath, ProxyFixture.Peer))
        {
            Assert.Equal(404, (await SipTestInvite.SendAsync(direct, UnroutedNumber, rejectedCallId))?.StatusCode);
        }

        // The writer stores in the background: the CLI reads the same SQLite file while the proxy runs.
        var running = await WaitForRecordsAsync(configPath, 3, world);
        Assert.Equal(0, await sipTrunk.StopAsync());
        var stopped = await ListAsync(configPath, "--format", "json");
        Assert.Equal(running.Select(r => r.Id), stopped.Select(r => r.Id));

        Assert.True(stopped.Zip(stopped.Skip(1)).All(p => p.First.StartedAt >= p.Second.StartedAt), "newest first");
        var answered = stopped.Where(r => r.Status == "answered").ToList();
        Assert.Equal(2, answered.Count);
        Assert.All(answered, r =>
        {
            Assert.Equal(("outbound", "pbx-a", "carrier-1", 200), (r.Direction, r.Peer, r.Carrier, r.SipCode));
            Assert.Equal("carrier-1:200", string.Join(';', r.Attempts.Select(a => $"{a.Carrier}:{a.SipCode}")));
            Assert.NotNull(r.Tls?.Inbound);
            Assert.NotNull(r.Tls?.Outbound);
            Assert.NotNull(r.DurationSeconds);
        });
        var rejected = Assert.Single(stopped, r => r.Status == "rejected");
        Assert.Equal((rejectedCallId, "pbx-a", 404, "proxy", "no-route"), (rejected.CallId, rejected.Peer, rejected.SipCode, rejected.EndedBy, rejected.EndReason));

        Assert.Equal([rejected.Id], (await ListAsync(configPath, "--status", "rejected", "--format", "json")).Select(r => r.Id));
        Assert.Equal(answered.Select(r => r.Id), (await ListAsync(configPath, "--number", "+44", "--format", "json")).Select(r => r.Id));
        Assert.Empty(await ListAsync(configPath, "--until", "1h", "--format", "json"));

        var table = await RunAsync(configPath, "calls");
        Assert.True(table.ExitCode == 0, table.StandardError);
        Assert.All(stopped, r => Assert.Contains(r.Id, table.StandardOutput, StringComparison.Ordinal));
        Assert.Contains("3 call(s)", table.StandardOutput, StringComparison.Ordinal);

        // calls show takes the record id or the SIP Call-ID.
        foreach (var id in new[] { rejected.Id, rejectedCallId })
        {
            var show = await RunAsync(configPath, "calls", "show", id);
            Assert.True(show.ExitCode == 0, show.StandardError);
            Assert.Contains("Call " + rejected.Id, show.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("  end reason     no-route", show.StandardOutput, StringComparison.Ordinal);
        }

        var unknown = await RunAsync(configPath, "calls", "show", "no-such-call");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("no call with id no-such-call", unknown.StandardError.Trim());
    }

    internal static async Task<List<CallRecord>> WaitForRecordsAsync(string configPath, int count, ProxyFixture world)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var records = await ListAsync(configPath, "--format", "json");
            if (records.Count >= count)
            {
                return records;
            }

            Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < Bound, $"{records.Count} of {count} records stored\n{world.Describe()}");
            await Task.Delay(200);
        }
    }

    internal static async Task<List<CallRecord>> ListAsync(string configPath, params string[] arguments)
    {
        var result = await RunAsync(configPath, ["calls", .. arguments]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonSerializer.Deserialize<List<CallRecord>>(result.StandardOutput, CallRecordJson.Options)!;
    }

    private static Task<ProcessResult> RunAsync(string configPath, params string[] arguments) =>
        ProcessRunner.RunSipTrunkAsync([.. arguments, "--config", configPath], workingDirectory: Path.GetDirectoryName(configPath), timeout: Bound);
}
