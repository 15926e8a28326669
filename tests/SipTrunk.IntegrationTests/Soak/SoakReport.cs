using System.Globalization;
using System.Text;

namespace SipTrunk.IntegrationTests.Soak;

/// <summary>
/// The soak's samples as a CSV and a curve, and the verdict: a least-squares line through the samples of the second
/// half of the run, whose rise over that half must stay under <see cref="FlatRssMiB"/>, <see cref="FlatFds"/> and
/// <see cref="FlatThreads"/> for "flat after warm-up".
/// </summary>
internal sealed class SoakReport(IReadOnlyList<ProcessSample> samples, TimeSpan duration)
{
    /// <summary>RSS may wander by a few MiB as the GC sizes its budgets; a leak keeps climbing past this.</summary>
    public const double FlatRssMiB = 4;

    /// <summary>Each call up holds 4 relay sockets: the count moves by a few as calls come and go, a leak climbs.</summary>
    public const double FlatFds = 4;

    /// <summary>
    /// Thread-pool workers come and go in a band about this wide (16–20 threads through a 10-minute run at 10 calls/s);
    /// threads that never end climb out of it.
    /// </summary>
    public const double FlatThreads = 4;

    public IReadOnlyList<ProcessSample> Samples => samples;

    /// <summary>The samples of the second half of the run, which the verdict judges.</summary>
    public IReadOnlyList<ProcessSample> SecondHalf => [.. samples.Where(s => s.Elapsed >= duration / 2)];

    /// <summary>Fitted rise over the second half: RSS in MiB, descriptors, threads.</summary>
    public (double RssMiB, double Fds, double Threads) SecondHalfRise()
    {
        var half = SecondHalf;
        var span = half.Count < 2 ? 0 : (half[^1].Elapsed - half[0].Elapsed).TotalSeconds;
        return (
            Slope(half, s => s.ResidentMiB) * span,
            Slope(half, s => s.FileDescriptors) * span,
            Slope(half, s => s.Threads) * span);
    }

    public bool IsFlat
    {
        get
        {
            var (rss, fds, threads) = SecondHalfRise();
            return SecondHalf.Count >= 3 && rss < FlatRssMiB && fds < FlatFds && threads < FlatThreads;
        }
    }

    public string ToCsv()
    {
        var csv = new StringBuilder("seconds,rss_mib,fds,threads\n");
        foreach (var s in samples)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{s.Elapsed.TotalSeconds:0},{s.ResidentMiB:0.0},{s.FileDescriptors},{s.Threads}\n");
        }

        return csv.ToString();
    }

    /// <summary>One line per sample with a bar for RSS, then the second half's fitted rise and the verdict.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var top = samples.Count == 0 ? 1 : samples.Max(s => s.ResidentMiB);
        text.AppendLine("  time   rss MiB   fds  threads");
        foreach (var s in samples)
        {
            var bar = new string('#', (int)Math.Round(40 * s.ResidentMiB / top));
            text.AppendLine(CultureInfo.InvariantCulture, $"{FormatTime(s.Elapsed),6} {s.ResidentMiB,9:0.0} {s.FileDescriptors,5} {s.Threads,8}  {bar}");
        }

        var (rss, fds, threads) = SecondHalfRise();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"second half ({SecondHalf.Count} samples from {FormatTime(duration / 2)}): fitted rise RSS {rss:+0.0;-0.0} MiB (flat < {FlatRssMiB}), fds {fds:+0.0;-0.0} (< {FlatFds}), threads {threads:+0.0;-0.0} (< {FlatThreads})");
        text.AppendLine(IsFlat ? "verdict: flat after warm-up" : "verdict: NOT flat after warm-up");
        return text.ToString();
    }

    private static string FormatTime(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}");

    // Least-squares slope of value against elapsed seconds.
    private static double Slope(IReadOnlyList<ProcessSample> points, Func<ProcessSample, double> value)
    {
        if (points.Count < 2)
        {
            return 0;
        }

        var meanX = points.Average(p => p.Elapsed.TotalSeconds);
        var meanY = points.Average(value);
        var covariance = points.Sum(p => (p.Elapsed.TotalSeconds - meanX) * (value(p) - meanY));
        var variance = points.Sum(p => Math.Pow(p.Elapsed.TotalSeconds - meanX, 2));
        return variance == 0 ? 0 : covariance / variance;
    }
}
