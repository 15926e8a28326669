using System.Diagnostics;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Drain;

/// <summary>What the drain tests read from a running SipTrunk's log.</summary>
internal static class SipTrunkLog
{
    /// <summary>Waits until the log holds <paramref name="text"/> at least <paramref name="count"/> times (bounded).</summary>
    public static async Task<bool> WaitForCountAsync(SipTrunkProcess sipTrunk, string text, int count, TimeSpan bound)
    {
        var started = Stopwatch.GetTimestamp();
        while (Count(sipTrunk.Output, text) < count)
        {
            if (Stopwatch.GetElapsedTime(started) > bound || sipTrunk.HasExited)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private static int Count(string haystack, string needle)
    {
        var count = 0;
        for (var at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
