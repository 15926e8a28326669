namespace SipTrunk.Core.Tests.Media;

/// <summary>
/// Waits for what a relay loop publishes after it sent a packet (its counters), which the test cannot order against
/// the packet's arrival. Bounded: fails after 10 s.
/// </summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what)
    {
        var limit = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > limit)
            {
                Assert.Fail($"Still not true after 10 s: {what}");
            }

            await Task.Delay(5);
        }
    }
}
