using System.Globalization;

namespace SipTrunk.IntegrationTests.Soak;

/// <summary>
/// How long and how hard the soak runs. CI runs the defaults (75 s); <c>bench/soak.sh</c> sets the environment for
/// the long run by hand: <c>SIPTRUNK_SOAK_SECONDS</c>, <c>SIPTRUNK_SOAK_CPS</c>, <c>SIPTRUNK_SOAK_SRTP_CALLS</c>,
/// <c>SIPTRUNK_SOAK_SAMPLE_SECONDS</c>, <c>SIPTRUNK_SOAK_CSV</c>.
/// </summary>
internal sealed record SoakSettings
{
    /// <summary>Seconds of load, warm-up included.</summary>
    public int Seconds { get; init; } = 75;

    /// <summary>SIPp calls per second (INVITE with SDP, 200, ACK, 100 ms, BYE): signalling, relay ports and CDRs.</summary>
    public int CallsPerSecond { get; init; } = 5;

    /// <summary>SRTP calls up at any time, each a baresip pair calling again and again with audio both ways.</summary>
    public int SrtpCalls { get; init; } = 2;

    /// <summary>Seconds between samples of SipTrunk's RSS, descriptors and threads.</summary>
    public int SampleSeconds { get; init; } = 5;

    /// <summary>Seconds of audio each SRTP call carries before it hangs up (50 packets a second each way).</summary>
    public int SrtpCallSeconds { get; init; } = 3;

    /// <summary>Where to write the samples as CSV, besides the test's artifacts directory.</summary>
    public string? CsvPath { get; init; }

    /// <summary>The first part of the run, not judged: JIT, pools, caches and the GC's budgets settle then.</summary>
    public TimeSpan WarmUp => TimeSpan.FromSeconds(Math.Max(20, Seconds / 4));

    public static SoakSettings FromEnvironment() => new SoakSettings() with
    {
        Seconds = Read("SIPTRUNK_SOAK_SECONDS", 75, 60, 24 * 3600),
        CallsPerSecond = Read("SIPTRUNK_SOAK_CPS", 5, 1, 200),
        SrtpCalls = Read("SIPTRUNK_SOAK_SRTP_CALLS", 2, 1, 8),
        SampleSeconds = Read("SIPTRUNK_SOAK_SAMPLE_SECONDS", 5, 1, 60),
        CsvPath = Environment.GetEnvironmentVariable("SIPTRUNK_SOAK_CSV") is { Length: > 0 } path ? path : null,
    };

    private static int Read(string name, int fallback, int min, int max)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(name, text, $"{name} must be {min}-{max}");
    }
}
