using System.Globalization;
using System.Text;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing;
using SipTrunk.Testing.Peers;
using Xunit.Abstractions;

namespace SipTrunk.IntegrationTests.Flood;

/// <summary>
/// Issue 7 "must show": sipvicious (svmap, svwar, svcrack) and sipsak floods at SipTrunk's UDP listener on loopback while
/// a legitimate SIPp call load runs over the mTLS listener. The scanners run from 127.0.0.2–6, the peer from 127.0.0.1,
/// with the production rate limit (50 requests/s, burst 100).
/// </summary>
public sealed class FloodTests(ITestOutputHelper output)
{
    private const int Calls = 40;

    // RSS may grow by this much over the flood. Every per-source table is bounded (rate buckets 65,536 sources, UDP
    // flows 10,000, bans 100,000: a few MB each at most), transactions are bounded by 50 admitted requests/s per source
    // times Timer J (32 s), and the rest is the GC's own headroom on a 2-core machine; a leak of one object per flooded
    // datagram (about a million here) would blow through it.
    private const long RssGrowthBound = 96L * 1024 * 1024;

    [Fact]
    public async Task Flood_ScannersAndSipsakDuringCalls_ProcessSurvivesCallsSucceedScannersBannedNothingLeaks()
    {
        await using var world = new ProxyFixture("carrier-1");
        var carrier = await world.StartCarrierAsync("carrier-1", SippScenarios.Uas);
        var udpPort = FreePort.Udp();
        var logFile = world.Directory.Combine("siptrunk.log");
        var config = world.NewConfig() with
        {
            UdpListenerPort = udpPort,
            RequestsPerSecondPerIp = 50,
            RequestBurstPerIp = 100,
            LogFile = logFile,
        };
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-1", carrier.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("", "carrier-1"));
        var sipTrunk = await world.StartSipTrunkAsync(config);
        var peer = await world.StartPeerAsync();

        // 40 calls at 4/s: INVITE, ACK and BYE make 12 requests/s from 127.0.0.1, well inside its 50/s.
        var calls = ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, Calls, callsPerSecond: 4, TimeSpan.FromSeconds(60));
        var rssBefore = sipTrunk.ResidentBytes();
        var cpuBefore = sipTrunk.CpuSeconds();
        var floodStarted = TimeProvider.System.GetTimestamp();

        // The probes that must be answered go first, before their sources could be banned.
        var captured = new StringBuilder();
        using var probe = new UdpProbe("127.0.0.5", udpPort);
        var wait = TimeSpan.FromSeconds(5);
        var forbidden = await probe.ExchangeAsync(probe.Request("OPTIONS", "1 OPTIONS"), wait);
        var badCSeq = await probe.ExchangeAsync(probe.Request("OPTIONS", "one OPTIONS"), wait);
        var unparsable = await probe.ExchangeAsync(probe.Request("INVITE", "1 INVITE", "Content-Type: application/sdp\r\nContent-Length: x\r\n"), wait);
        captured.Append(forbidden).Append(badCSeq).Append(unparsable).Append('\n');
        captured.Append(await SipScanners.SipsakOptionsAsync("127.0.0.6", udpPort));
        captured.Append(await SipScanners.SvmapAsync("127.0.0.2", udpPort));

        var scans = await Task.WhenAll(SipScanners.SvwarAsync("127.0.0.3", udpPort), SipScanners.SvcrackAsync("127.0.0.3", udpPort));
        captured.AppendJoin("", scans);
        var (sent, rates) = await SipScanners.SipsakFloodAsync("127.0.0.4", udpPort, perRound: 100_000, rounds: 10, TimeSpan.FromSeconds(10));
        var floodSeconds = TimeProvider.System.GetElapsedTime(floodStarted).TotalSeconds;
        var cpuFlood = sipTrunk.CpuSeconds() - cpuBefore;

        var result = await calls;
        var rssAfter = sipTrunk.ResidentBytes();
        var log = await File.ReadAllTextAsync(logFile);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sipsak flood: {sent} requests, reported rates {string.Join(", ", rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} /s; SipTrunk CPU {cpuFlood:F2} s over {floodSeconds:F1} s ({100 * cpuFlood / floodSeconds:F0}% of one core); RSS {rssBefore / 1048576} MiB before, {rssAfter / 1048576} MiB after"));
        output.WriteLine(captured.ToString());

        Assert.False(sipTrunk.HasExited, world.Describe(result));
        Assert.True(result.ExitCode == 0, world.Describe(result));
        Assert.Equal(Calls, result.Statistics.SuccessfulCalls);
        Assert.Equal(0, result.Statistics.FailedCalls);

        // Answered (so the leak check below looks at real responses), generically, with the product and no version.
        Assert.StartsWith("SIP/2.0 403 Forbidden\r\n", forbidden, StringComparison.Ordinal);
        Assert.Contains("\r\nServer: SipTrunk\r\n", forbidden, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 400 ", badCSeq, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 400 ", unparsable, StringComparison.Ordinal);
        var responses = ResponseLeaks.Responses(captured.ToString());
        output.WriteLine($"{responses.Count} responses captured from the scanners and the probe");
        Assert.True(responses.Count >= 6, captured.ToString());
        Assert.All(responses, r => Assert.Contains("Server: SipTrunk\n", r, StringComparison.Ordinal));
        Assert.Empty(ResponseLeaks.Find(responses));

        // The flooders are banned (UDP floods: datagrams only); the peer on 127.0.0.1 never is.
        Assert.Contains("Banned 127.0.0.4: it kept sending over 50 requests/s over udp", log, StringComparison.Ordinal);
        Assert.Contains("Banned 127.0.0.3: it kept sending over 50 requests/s over udp", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Banned 127.0.0.1", log, StringComparison.Ordinal);
        Assert.True(rssAfter - rssBefore < RssGrowthBound, $"RSS grew from {rssBefore} to {rssAfter} bytes");
    }
}
