using System.Globalization;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// SIPp's final statistics row (<c>-trace_stat</c>; <c>sipp -h stat</c> lists the columns). Counter columns come in
/// pairs: <c>Name(P)</c> for the last period, <c>Name(C)</c> cumulative; the properties read the cumulative ones.
/// </summary>
public sealed class SippStatistics
{
    private SippStatistics(IReadOnlyDictionary<string, string> columns)
    {
        Columns = columns;
    }

    /// <summary>Every column of the last row, by its header name.</summary>
    public IReadOnlyDictionary<string, string> Columns { get; }

    /// <summary>Calls that ran the scenario to its end.</summary>
    public long SuccessfulCalls => Cumulative("SuccessfulCall");

    /// <summary>Calls that failed for any reason (unexpected message, timeout, closed connection, …).</summary>
    public long FailedCalls => Cumulative("FailedCall");

    /// <summary>Calls started (UAC) or accepted (UAS).</summary>
    public long CallsCreated => Counter("TotalCallCreated");

    /// <summary>Messages received that matched no expected step.</summary>
    public long UnexpectedMessageFailures => Cumulative("FailedUnexpectedMessage");

    /// <summary>The cumulative value of counter <paramref name="name"/> (<c>name(C)</c>); 0 when absent.</summary>
    public long Cumulative(string name) => Counter(name + "(C)");

    /// <summary>The integer in <paramref name="column"/>; 0 when absent or not a number.</summary>
    public long Counter(string column) =>
        Columns.TryGetValue(column, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : 0;

    /// <summary>Reads the statistics file; an absent or empty file (SIPp died before its first dump) reads as all zero.</summary>
    internal static SippStatistics Read(string path) => new(SippCsv.LastRow(SippProcess.ReadIfExists(path)));

    public override string ToString() =>
        $"created {CallsCreated}, successful {SuccessfulCalls}, failed {FailedCalls} (unexpected message {UnexpectedMessageFailures})";
}
