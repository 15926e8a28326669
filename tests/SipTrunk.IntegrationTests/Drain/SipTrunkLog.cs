using System.Diagnostics;
using System.Text.RegularExpressions;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Drain;

/// <summary>What the drain tests read from a running SipTrunk's log.</summary>
internal static partial class SipTrunkLog
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

    /// <summary>The admin base URL the process logged (its port is picked at start).</summary>
    public static Uri AdminUrl(SipTrunkProcess sipTrunk)
    {
        var match = AdminListening().Match(sipTrunk.Output);
        Assert.True(match.Success, "no admin URL in the log:\n" + sipTrunk.Output);
        return new Uri(match.Groups[1].Value);
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

    [GeneratedRegex(@"Admin listening on (http://[0-9.:]+)")]
    private static partial Regex AdminListening();
}
