using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Media;
using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Benchmarks.RelayLoad;

/// <summary>
/// <c>relay-server</c>: the relay alone in its process, so its CPU can be read from /proc. Opens the streams, leg A
/// toward the generator's A socket and leg B toward its B socket, prints <c>stream INDEX PORT_A PORT_B</c> lines and
/// <c>ready</c>, then answers <c>stats</c> on stdin until <c>quit</c>, end of input or <c>--max-seconds</c>.
/// </summary>
internal static class RelayServer
{
    public static async Task<int> RunAsync(RelayLoadOptions options)
    {
        var aTarget = options.ATarget ?? throw new ArgumentException("--a-target is required.");
        var bTarget = options.BTarget ?? throw new ArgumentException("--b-target is required.");
        var settings = new MediaRelaySettings
        {
            BindAddress = IPAddress.Loopback,
            PortMin = options.PortMin,
            PortMax = options.PortMax,
            ReceiveMode = options.Receive switch { "epoll" => RelayReceiveMode.Epoll, "async" => RelayReceiveMode.Async, _ => RelayReceiveMode.Auto },
            ReceiveThreads = options.Threads,
        };
        var metrics = new SipTrunkMetrics();
        var contexts = new List<SrtpContext>();
        using var lifetime = new CancellationTokenSource(TimeSpan.FromSeconds(options.MaxSeconds));
        await using var relay = new MediaRelay(settings, metrics, TimeProvider.System, NullLogger<MediaRelay>.Instance);
        var streams = new RelayStream[options.Streams];
        try
        {
            for (var i = 0; i < streams.Length; i++)
            {
                var stream = streams[i] = relay.CreateStream();
                stream.A.Configure(new RelayLegMedia { RtpTarget = aTarget, Decrypt = Key(options, i, "a-up", contexts), Encrypt = Key(options, i, "a-down", contexts) });
                stream.B.Configure(new RelayLegMedia { RtpTarget = bTarget, Decrypt = Key(options, i, "b-up", contexts), Encrypt = Key(options, i, "b-down", contexts) });
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stream {i} {stream.A.RtpPort} {stream.B.RtpPort}"));
            }

            Console.WriteLine("ready");
            while (await Console.In.ReadLineAsync(lifetime.Token) is { } line && line != "quit")
            {
                if (line == "stats")
                {
                    Console.WriteLine(Stats(streams, metrics));
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("relay-server: --max-seconds reached");
        }
        finally
        {
            await relay.DisposeAsync();
            contexts.ForEach(c => c.Dispose());
        }

        return 0;
    }

    private static SrtpContext? Key(RelayLoadOptions options, int stream, string hop, List<SrtpContext> contexts)
    {
        if (!options.Rekey)
        {
            return null;
        }

        var context = RelayLoadKeys.Context(options.Suite, stream, hop);
        contexts.Add(context);
        return context;
    }

    // stats RELAYED DROPPED AUTH_FAILED IN OUT ALLOCATED_BYTES GEN0 GEN1 GEN2
    private static string Stats(RelayStream[] streams, SipTrunkMetrics metrics)
    {
        long relayed = 0, dropped = 0, authFailed = 0;
        foreach (var stream in streams)
        {
            foreach (var direction in (ReadOnlySpan<RelayDirection>)[RelayDirection.AToB, RelayDirection.BToA])
            {
                var stats = stream.GetStats(direction);
                relayed += stats.Packets;
                dropped += stats.Dropped + stats.Replayed;
                authFailed += stats.AuthenticationFailures;
            }
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"stats {relayed} {dropped} {authFailed} {metrics.MediaPackets.Get("in")} {metrics.MediaPackets.Get("out")} {GC.GetTotalAllocatedBytes(precise: true)} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)}");
    }
}
