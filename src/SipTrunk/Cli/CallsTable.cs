using System.Globalization;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Cli;

/// <summary>
/// The table of <c>siptrunk calls</c>: aligned plain-text columns that fit 120 characters. The id (needed for
/// <c>calls show</c>) and the short fixed columns are never cut; long peer, carrier, number and reason values are
/// truncated with "…" (a number only beyond the 16 characters of a full E.164 number).
/// </summary>
internal static class CallsTable
{
    public const int MaxWidth = 120;

    private const string Gap = "  ";

    private static readonly Column[] Columns =
    [
        new("STARTED (UTC)", r => r.StartedAt.UtcDateTime.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture), 0, 0),
        new("DIR", r => r.Direction switch { "outbound" => "out", "inbound" => "in", var other => other }, 0, 0),
        new("PEER", r => r.Peer, 4, 3),
        new("CARRIER", r => r.Carrier, 7, 2),
        new("NUMBER", r => CallsText.Number(r), 16, 4),
        new("STATUS", r => r.Status, 0, 0),
        new("SIP", r => r.SipCode == 0 ? null : r.SipCode.ToString(CultureInfo.InvariantCulture), 0, 0),
        new("DURATION", r => CallsText.Duration(r.DurationSeconds), 0, 0),
        new("REASON", r => r.EndReason, 6, 1),
        new("ID", r => r.Id, 0, 0),
    ];

    public static void Write(TextWriter output, IReadOnlyList<CallRecord> records, bool more)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            output.WriteLine("No calls.");
            return;
        }

        var rows = records.Select(r => Columns.Select(c => CallsText.Clean(c.Value(r)) is { Length: > 0 } text ? text : "-").ToArray()).ToList();
        var widths = Fit([.. Columns.Select((c, i) => Math.Max(c.Header.Length, rows.Max(row => row[i].Length)))]);
        output.WriteLine(Line(Columns.Select(c => c.Header).ToArray(), widths));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{records.Count} call(s)")
            + (more ? "; more match: raise --limit or narrow --since/--until" : ""));
    }

    // Shrinks the truncatable columns until the line fits MaxWidth, one character at a time from the one furthest above
    // its minimum (so one outlier is cut before the others), ties going to the lower ShrinkOrder (the reason first).
    private static int[] Fit(int[] widths)
    {
        var excess = widths.Sum() + (Gap.Length * (widths.Length - 1)) - MaxWidth;
        while (excess > 0)
        {
            var widest = -1;
            for (var i = 0; i < Columns.Length; i++)
            {
                if (Columns[i].ShrinkOrder > 0 && widths[i] > Columns[i].MinWidth
                    && (widest < 0 || Slack(i) > Slack(widest) || (Slack(i) == Slack(widest) && Columns[i].ShrinkOrder < Columns[widest].ShrinkOrder)))
                {
                    widest = i;
                }
            }

            if (widest < 0)
            {
                break;
            }

            widths[widest]--;
            excess--;
        }

        return widths;

        int Slack(int i) => widths[i] - Columns[i].MinWidth;
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join(Gap, cells.Select((cell, i) => Truncate(cell, widths[i]).PadRight(widths[i]))).TrimEnd();

    private static string Truncate(string value, int width) => value.Length <= width ? value : string.Concat(value.AsSpan(0, width - 1), "…");

    // MinWidth is never below the header's length: headers are not cut. The minimums add up so that a line of
    // truncated values is exactly MaxWidth.
    private sealed record Column(string Header, Func<CallRecord, string?> Value, int MinWidth, int ShrinkOrder);
}
