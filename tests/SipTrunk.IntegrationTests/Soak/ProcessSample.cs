namespace SipTrunk.IntegrationTests.Soak;

/// <summary>One reading of a process's footprint from /proc: resident memory, open file descriptors and threads.</summary>
internal sealed record ProcessSample(TimeSpan Elapsed, long ResidentBytes, int FileDescriptors, int Threads)
{
    public double ResidentMiB => ResidentBytes / (1024.0 * 1024.0);

    /// <summary>Reads /proc/<paramref name="processId"/>: VmRSS and Threads from <c>status</c>, the entries of <c>fd/</c>.</summary>
    public static ProcessSample Read(int processId, TimeSpan elapsed)
    {
        long resident = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = long.Parse(Value(line), System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(Value(line), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var descriptors = Directory.GetFileSystemEntries($"/proc/{processId}/fd").Length;
        return new ProcessSample(elapsed, resident, descriptors, threads);
    }

    private static string Value(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1];
}
