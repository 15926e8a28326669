using System.Globalization;
using SipTrunk.Cli;

namespace SipTrunk.Tests.Cli;

public sealed class CallsTimeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T12:00:00Z", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("30s", "2026-11-23T11:59:30Z")]
    [InlineData("15m", "2026-11-23T11:45:00Z")]
    [InlineData("1h", "2026-11-23T11:00:00Z")]
    [InlineData("7d", "2026-11-16T12:00:00Z")]
    [InlineData("2w", "2026-11-09T12:00:00Z")]
    [InlineData("90m", "2026-11-23T10:30:00Z")]
    [InlineData("2026-11-20", "2026-11-20T00:00:00Z")]
    [InlineData("2026-11-20T08:15", "2026-11-20T08:15:00Z")]
    [InlineData("2026-11-20T08:15:30Z", "2026-11-20T08:15:30Z")]
    [InlineData("2026-11-20T08:15:30.250Z", "2026-11-20T08:15:30.25Z")]
    [InlineData("2026-11-20T09:15:30+01:00", "2026-11-20T08:15:30Z")]
    [InlineData("2026-11-20 08:15:30", "2026-11-20T08:15:30Z")]
    public void TryParse_DurationOrIsoTime_TheInstant(string text, string expected)
    {
        Assert.True(CallsTime.TryParse(text, Now, out var value, out var error), error);

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), value);
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("1")]
    [InlineData("-1h")]
    [InlineData("+1h")]
    [InlineData("1.5h")]
    [InlineData("1 h")]
    [InlineData("1y")]
    [InlineData("1M")]
    [InlineData("99999999999d")]
    [InlineData("yesterday")]
    [InlineData("2026-11-31")]
    [InlineData("23/11/2026")]
    public void TryParse_Neither_FalseWithAReason(string text)
    {
        Assert.False(CallsTime.TryParse(text, Now, out _, out var error));

        Assert.Contains("30s, 15m, 1h, 7d", error, StringComparison.Ordinal);
    }
}
