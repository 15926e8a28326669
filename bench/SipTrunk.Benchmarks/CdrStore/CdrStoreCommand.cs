using System.Diagnostics;
using System.Globalization;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Media;
using SipTrunk.Core.Storage;

namespace SipTrunk.Benchmarks.CdrStore;

/// <summary>
/// The <c>cdr-store</c> subcommand (bench/cdr-store.sh): how many call records per second a store takes, for each batch
/// size, with full-size records (attempts, TLS, media; about 1.3 KB of JSON). Each writer awaits its InsertAsync before
/// the next, like the CDR writer draining its channel, so the figure includes every commit's durability cost.
/// </summary>
internal static class CdrStoreCommand
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "cdr-store";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = CdrStoreOptions.Parse(args.AsSpan(1));
        await using ICallRecordStore store = options.Store == "postgresql"
            ? new PostgresCallRecordStore(options.Connection)
            : new SqliteCallRecordStore(options.Connection);
        await store.InitializeAsync(CancellationToken.None);

        Console.WriteLine("store       batch writers  records  seconds    records/s   inserts/s  p50 ms  p99 ms  max ms");
        foreach (var batch in options.Batches)
        {
            if (options.Warmup > 0)
            {
                await MeasureAsync(store, batch, options.Writers, TimeSpan.FromSeconds(options.Warmup));
            }

            var result = await MeasureAsync(store, batch, options.Writers, TimeSpan.FromSeconds(options.Seconds));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{options.Store,-10} {batch,6} {options.Writers,7} {result.Records,8} {result.Seconds,8:F2} {result.Records / result.Seconds,12:F0} {result.Latencies.Count / result.Seconds,11:F1} {Percentile(result.Latencies, 0.50),7:F2} {Percentile(result.Latencies, 0.99),7:F2} {result.Latencies[^1],7:F2}"));
        }

        var stored = await store.QueryAsync(new CallRecordQuery { Limit = 1 }, CancellationToken.None);
        Console.Error.WriteLine($"cdr-store: {options.Store} done, newest record {stored.Items[0].Id}");
        return 0;
    }

    private static async Task<Measurement> MeasureAsync(ICallRecordStore store, int batch, int writers, TimeSpan duration)
    {
        var template = Template();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perWriter = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            var records = new CallRecord[batch];
            while (Stopwatch.GetTimestamp() < end)
            {
                var now = DateTimeOffset.UtcNow;
                for (var i = 0; i < records.Length; i++)
                {
                    var id = Guid.CreateVersion7(now).ToString("N");
                    records[i] = template with { Id = id, CallId = id + "@pbx.example.com", StartedAt = now.AddMinutes(-3), AnsweredAt = now.AddMinutes(-2.9), EndedAt = now };
                }

                var before = Stopwatch.GetTimestamp();
                await store.InsertAsync(records, CancellationToken.None);
                latencies.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
            }

            return latencies;
        })));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var all = perWriter.SelectMany(l => l).Order().ToList();
        return new Measurement((long)all.Count * batch, seconds, all);
    }

    private static double Percentile(List<double> sorted, double quantile) =>
        sorted[Math.Min(sorted.Count - 1, (int)(quantile * sorted.Count))];

    private static CallRecord Template()
    {
        var t = DateTimeOffset.UtcNow;
        return new CallRecord
        {
            Id = "template",
            CallId = "template",
            Direction = "outbound",
            Peer = "pbx-berlin-1",
            Carrier = "carrier-a",
            From = "\"Reception\" <sip:+4930123456@pbx.example.com>;tag=8a7b6c",
            To = "<sip:+4940987654@carrier.example.net>",
            RequestUri = "sip:+4940987654@carrier.example.net;user=phone",
            SourceAddress = "192.0.2.10:51234",
            StartedAt = t,
            RingingAt = t,
            AnsweredAt = t,
            EndedAt = t,
            DurationSeconds = 174.2,
            Status = "answered",
            SipCode = 200,
            SipReason = "OK",
            EndedBy = "caller",
            EndReason = "BYE",
            Attempts = [new CallRecordAttempt("carrier-b", t, 503, "Service Unavailable"), new CallRecordAttempt("carrier-a", t, 200, "OK")],
            Tls = new CallRecordTls(
                new CallRecordTlsLeg("Tls13", "TLS_AES_256_GCM_SHA384", "CN=pbx-berlin-1, O=Example"),
                new CallRecordTlsLeg("Tls13", "TLS_AES_128_GCM_SHA256", "CN=sip.carrier.example.net")),
            Media = new MediaCallStats
            {
                Mode = "rekey",
                SrtpSuite = "AES_CM_128_HMAC_SHA1_80",
                PeerSrtpSuite = "AES_CM_128_HMAC_SHA1_80",
                CarrierSrtpSuite = "AES_CM_128_HMAC_SHA1_80",
                PacketsIn = 8_710,
                PacketsOut = 8_705,
                BytesIn = 1_497_120,
                BytesOut = 1_496_260,
                PacketsLost = 4,
                PacketsLostIn = 3,
                PacketsLostOut = 1,
                JitterMs = 2.81,
                JitterInMs = 2.81,
                JitterOutMs = 1.07,
            },
        };
    }

    private sealed record Measurement(long Records, double Seconds, List<double> Latencies);
}
