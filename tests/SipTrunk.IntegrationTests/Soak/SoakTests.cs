using System.Globalization;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing.Peers;
using Xunit.Abstractions;

namespace SipTrunk.IntegrationTests.Soak;

/// <summary>
/// Steady calls through the real <c>siptrunk run</c>: SIPp calls at a moderate rate (pbx-a over stunnel, a SIPp
/// carrier; relay ports, transactions, dialogs and call records for each) and a few SRTP calls at any time, each a
/// registered baresip calling a baresip carrier again and again with audio both ways through the rekeying relay.
/// SipTrunk's RSS, descriptors and threads are sampled from /proc; after warm-up they must not grow beyond what the
/// calls up at any moment account for. The samples are kept as <c>artifacts/soak.csv</c>; <c>bench/soak.sh</c> runs
/// the same for 10 minutes.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const string SippCarrierName = "carrier-sipp";
    private const string Password = "soak-peer-password";

    // Relay sockets per call up: RTP and RTCP on both legs (MediaPortPool binds a pair per leg).
    private const int SocketsPerCall = 4;

    // Descriptors that may come and go besides calls: a reconnecting flow, the store's journal, a log file.
    private const int OtherFds = 8;

    // The GC sizes its generation budgets and the pools grow in steps after the warm-up: a few MiB each. A leak of a
    // call's whole state (dialog, transactions, SDP, relay buffers: tens of KiB) at 5 calls a second climbs past this
    // within the second half of the CI run; the 10-minute run's fitted slope catches smaller ones.
    private const double RssSlackMiB = 24;

    [Fact]
    public async Task Soak_SteadySippAndSrtpCalls_DescriptorsAndMemoryFlatAfterWarmUp()
    {
        var settings = SoakSettings.FromEnvironment();
        var srtpCarriers = Enumerable.Range(0, settings.SrtpCalls).Select(i => string.Create(CultureInfo.InvariantCulture, $"carrier-srtp-{i}")).ToArray();
        await using var world = new ProxyFixture([SippCarrierName, .. srtpCarriers]);
        var sippCarrier = await world.StartCarrierAsync(SippCarrierName, SippScenarios.Uas);
        var loops = new List<SrtpCallLoop>();
        var owned = new List<IAsyncDisposable>();
        try
        {
            var config = world.NewConfig() with { LogLevel = "Warning" };
            var peer = ProxyTestConfig.Peer(ProxyFixture.Peer);
            peer["Register"] = true;
            config.Peers.Add(peer);
            config.Carriers.Add(ProxyTestConfig.Carrier(SippCarrierName, sippCarrier.TlsPort));
            config.Routes.Add(ProxyTestConfig.Route("+44", SippCarrierName));
            var carriers = new List<BaresipCarrier>();
            for (var i = 0; i < srtpCarriers.Length; i++)
            {
                var carrier = await BaresipCarrier.StartAsync(new BaresipCarrierOptions
                {
                    Certificate = world.Pki.Carriers[srtpCarriers[i]],
                    CaPemPath = world.Pki.CaCertificatePath,
                    Number = Number(i),
                    MediaEncryption = "srtp-mand",
                    SipTrace = false,
                });
                owned.Add(carrier);
                carriers.Add(carrier);
                var carrierConfig = ProxyTestConfig.Carrier(srtpCarriers[i], carrier.TlsPort);
                carrierConfig["Srtp"] = "require";
                config.Carriers.Add(carrierConfig);
                config.Routes.Add(ProxyTestConfig.Route(Number(i), srtpCarriers[i]));
            }

            var sipTrunk = await world.StartSipTrunkAsync(config);
            var sippPeer = await world.StartPeerAsync();
            for (var i = 0; i < carriers.Count; i++)
            {
                var caller = await BaresipProcess.StartAsync(world.PeerBaresip(Password) with { MediaEncryption = "srtp-mand" }, CancellationToken.None);
                owned.Add(caller);
                await caller.WaitForRegisteredAsync(TimeSpan.FromSeconds(20));
                loops.Add(new SrtpCallLoop(caller, carriers[i].Baresip, Number(i), settings.SrtpCallSeconds));
            }

            var duration = TimeSpan.FromSeconds(settings.Seconds);
            var callLimit = Math.Max(4, settings.CallsPerSecond * 2);
            var sippCalls = settings.CallsPerSecond * settings.Seconds;
            var started = TimeProvider.System.GetUtcNow();
            await using var uac = await SippProcess.StartAsync(
                SippOptions.Client(SippScenarios.Uac, sippPeer.AcceptPort, sippCalls, settings.CallsPerSecond) with { CallLimit = callLimit });
            var srtp = Task.WhenAll(loops.Select(loop => loop.RunAsync(started + duration, TimeProvider.System, CancellationToken.None)));
            var samples = await SampleAsync(sipTrunk, started, duration, TimeSpan.FromSeconds(settings.SampleSeconds), srtp);
            var sipp = await uac.WaitForExitAsync(TimeSpan.FromSeconds(60));
            await srtp.WaitAsync(TimeSpan.FromSeconds(60));

            var report = new SoakReport(samples, duration);
            var srtpCalls = loops.Sum(loop => loop.CompletedCalls);
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"soak: {settings.Seconds} s, SIPp {sipp.SuccessfulCalls}/{sippCalls} calls at {settings.CallsPerSecond} cps, {srtpCalls} SRTP calls ({settings.SrtpCalls} at a time, {settings.SrtpCallSeconds} s of audio each)\n{report.Describe()}");
            SaveArtifacts(report, summary, settings.CsvPath);
            output.WriteLine(summary);

            Assert.False(sipTrunk.HasExited, world.Describe());
            Assert.True(sipp.ExitCode == SippResult.AllCallsSucceeded && sipp.SuccessfulCalls == sippCalls, world.Describe(sipp));
            Assert.All(loops, loop => Assert.True(loop.CompletedCalls > 0, summary));

            // Peak against peak: the second half may hold no more descriptors than the calls up at any moment explain
            // on top of the peak between warm-up and half time, nor markedly more memory.
            var reference = samples.Where(s => s.Elapsed >= settings.WarmUp && s.Elapsed < duration / 2).ToList();
            var judged = report.SecondHalf;
            Assert.True(reference.Count >= 2 && judged.Count >= 3, summary);
            var fdBound = reference.Max(s => s.FileDescriptors) + (SocketsPerCall * (callLimit + settings.SrtpCalls)) + OtherFds;
            Assert.True(judged.Max(s => s.FileDescriptors) <= fdBound, $"descriptors above {fdBound}\n{summary}");
            var rssBound = reference.Max(s => s.ResidentMiB) + RssSlackMiB;
            Assert.True(judged.Max(s => s.ResidentMiB) <= rssBound, $"RSS above {rssBound:0.0} MiB\n{summary}");
        }
        finally
        {
            for (var i = owned.Count - 1; i >= 0; i--)
            {
                await owned[i].DisposeAsync();
            }
        }
    }

    // The SRTP carriers' numbers: one route prefix each.
    private static string Number(int carrier) => string.Create(CultureInfo.InvariantCulture, $"+3310000000{carrier}");

    // A sample every `interval` from the start until `duration` has passed, and one more at the end; stops early if
    // the SRTP calls fail (their exception is the test's failure).
    private static async Task<List<ProcessSample>> SampleAsync(SipTrunkProcess sipTrunk, DateTimeOffset started, TimeSpan duration, TimeSpan interval, Task srtp)
    {
        var samples = new List<ProcessSample>();
        using var timer = new PeriodicTimer(interval);
        while (true)
        {
            var elapsed = TimeProvider.System.GetUtcNow() - started;
            if (sipTrunk.HasExited || srtp.IsFaulted)
            {
                return samples;
            }

            samples.Add(ProcessSample.Read(sipTrunk.ProcessId, elapsed));
            if (elapsed >= duration)
            {
                return samples;
            }

            await timer.WaitForNextTickAsync();
        }
    }

    private static void SaveArtifacts(SoakReport report, string summary, string? csvPath)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "soak.csv"), report.ToCsv());
        File.WriteAllText(Path.Combine(directory, "soak.txt"), summary);
        if (csvPath is not null)
        {
            File.WriteAllText(csvPath, report.ToCsv());
            File.WriteAllText(Path.ChangeExtension(csvPath, ".txt"), summary);
        }
    }
}
