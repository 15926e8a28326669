using System.Globalization;
using System.Text;

namespace SipTrunk.Testing.Peers;

/// <summary>What a finished SIPp run left: exit code, final counters, per-message counts, response times and logs.</summary>
public sealed class SippResult
{
    /// <summary>SIPp's exit code when every call succeeded.</summary>
    public const int AllCallsSucceeded = 0;

    /// <summary>SIPp's exit code when at least one call failed.</summary>
    public const int SomeCallsFailed = 1;

    /// <summary>SIPp's exit code when no call was processed at all (e.g. a UAS stopped before any call came).</summary>
    public const int NoCallsProcessed = 99;

    /// <summary>SIPp's exit code on a fatal error (e.g. its TCP connection was reset).</summary>
    public const int FatalError = 255;

    internal SippResult(
        int exitCode,
        SippStatistics statistics,
        IReadOnlyDictionary<string, long> messageCounts,
        IReadOnlyList<double> responseTimesMs,
        string errorLog,
        string screen,
        string output)
    {
        ExitCode = exitCode;
        Statistics = statistics;
        MessageCounts = messageCounts;
        ResponseTimesMs = responseTimesMs;
        ErrorLog = errorLog;
        Screen = screen;
        Output = output;
    }

    /// <summary>The process exit code (see the constants).</summary>
    public int ExitCode { get; }

    /// <summary>The final <c>-trace_stat</c> row.</summary>
    public SippStatistics Statistics { get; }

    /// <summary>
    /// The final <c>-trace_counts</c> row: columns like <c>4_200_Recv</c>, <c>7_BYE_Sent</c>, <c>4_200_Unexp</c>
    /// (scenario step index, message, what happened).
    /// </summary>
    public IReadOnlyDictionary<string, long> MessageCounts { get; }

    /// <summary>Every response-time sample in milliseconds (<c>-trace_rtt</c>; SIPp measures in steps of a few ms).</summary>
    public IReadOnlyList<double> ResponseTimesMs { get; }

    /// <summary>The unexpected-message and error log (<c>-trace_err</c>).</summary>
    public string ErrorLog { get; }

    /// <summary>SIPp's final screens (<c>-trace_screen</c>).</summary>
    public string Screen { get; }

    /// <summary>The tail of SIPp's console output.</summary>
    public string Output { get; }

    /// <summary>Shorthand for <see cref="SippStatistics.SuccessfulCalls"/>.</summary>
    public long SuccessfulCalls => Statistics.SuccessfulCalls;

    /// <summary>Shorthand for <see cref="SippStatistics.FailedCalls"/>.</summary>
    public long FailedCalls => Statistics.FailedCalls;

    /// <summary>
    /// How often <paramref name="message"/> (a method or a status code) was <paramref name="what"/> (<c>Sent</c>,
    /// <c>Recv</c>, <c>Unexp</c>, <c>Timeout</c>, <c>Retrans</c>), summed over every scenario step that names it.
    /// </summary>
    public long MessageCount(string message, string what)
    {
        var suffix = $"_{message}_{what}";
        return MessageCounts.Where(pair => pair.Key.EndsWith(suffix, StringComparison.Ordinal)).Sum(pair => pair.Value);
    }

    /// <summary>Exit code, counters, message counts and the logs' tails, for assertion messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"sipp exit code {ExitCode}; {Statistics}; {ResponseTimesMs.Count} response times\n");
        text.Append("counts: ").AppendJoin(", ", MessageCounts.Where(p => p.Value != 0).Select(p => $"{p.Key}={p.Value}")).Append('\n');
        text.Append("--- errors\n").Append(Tail(ErrorLog, 4000)).Append('\n');
        text.Append("--- screen\n").Append(Tail(Screen, 4000)).Append('\n');
        text.Append("--- console\n").Append(Tail(Output, 2000));
        return text.ToString();
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : "…" + text[^length..];
}
