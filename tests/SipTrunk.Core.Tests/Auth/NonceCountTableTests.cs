using SipTrunk.Core.Auth;

namespace SipTrunk.Core.Tests.Auth;

public class NonceCountTableTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(300);

    [Fact]
    public void Advance_NoncesOlderThanTheLifetime_AreDropped()
    {
        var table = new NonceCountTable(100, Lifetime);
        Assert.Equal(DigestOutcome.Authenticated, table.Advance(1_000, 1, 1, nowMs: 1_000));
        Assert.Equal(DigestOutcome.Authenticated, table.Advance(2_000, 2, 1, nowMs: 2_000));

        Assert.Equal(DigestOutcome.Authenticated, table.Advance(400_000, 3, 1, nowMs: 400_000));

        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Advance_FullTable_EvictsTheOldestAndRefusesItAsStale()
    {
        var table = new NonceCountTable(2, Lifetime);
        table.Advance(1_000, 1, 1, nowMs: 3_000);
        table.Advance(2_000, 2, 1, nowMs: 3_000);

        Assert.Equal(DigestOutcome.Authenticated, table.Advance(3_000, 3, 1, nowMs: 3_000));

        Assert.Equal(2, table.Count);
        Assert.Equal(DigestOutcome.Stale, table.Advance(1_000, 1, 2, nowMs: 3_000));
        Assert.Equal(DigestOutcome.Authenticated, table.Advance(2_000, 2, 2, nowMs: 3_000));
    }
}
