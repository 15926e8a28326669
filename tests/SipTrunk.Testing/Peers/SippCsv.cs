namespace SipTrunk.Testing.Peers;

/// <summary>SIPp's CSV traces: one header row, then rows of ';'-separated values (each row ends with a ';').</summary>
internal static class SippCsv
{
    /// <summary>The last row of <paramref name="text"/> by column name; empty when there is no data row.</summary>
    public static IReadOnlyDictionary<string, string> LastRow(string text)
    {
        var rows = Rows(text);
        if (rows.Count < 2)
        {
            return new Dictionary<string, string>();
        }

        var header = rows[0];
        var last = rows[^1];
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length && i < last.Length; i++)
        {
            if (header[i].Length > 0)
            {
                columns[header[i]] = last[i];
            }
        }

        return columns;
    }

    /// <summary>Every row, header first, split on ';' (the empty field after the trailing ';' dropped).</summary>
    public static IReadOnlyList<string[]> Rows(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.TrimEnd(';').Split(';'))
            .ToList();
}
