using Microsoft.AspNetCore.Http;
using SipTrunk.Admin;

namespace SipTrunk.Tests.Admin;

public sealed class CallQueryParserTests
{
    private static readonly DateTimeOffset Now = AdminTestServer.Now;

    [Theory]
    [InlineData("45s", 45)]
    [InlineData("30m", 30 * 60)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("2w", 14 * 86400)]
    public void TryParseInstant_Relative_ThatLongAgo(string text, int seconds)
    {
        Assert.True(CallQueryParser.TryParseInstant(text, Now, out var instant));
        Assert.Equal(Now.AddSeconds(-seconds), instant);
    }

    [Theory]
    [InlineData("2026-11-20", "2026-11-20T00:00:00Z")]
    [InlineData("2026-11-20T08:30", "2026-11-20T08:30:00Z")]
    [InlineData("2026-11-20T08:30:15Z", "2026-11-20T08:30:15Z")]
    [InlineData("2026-11-20T08:30:15.250Z", "2026-11-20T08:30:15.25Z")]
    [InlineData("2026-11-20T09:30:15+01:00", "2026-11-20T08:30:15Z")]
    [InlineData("2026-11-20T09:30:15 01:00", "2026-11-20T08:30:15Z")]
    [InlineData("2026-11-20T03:30:15-05:00", "2026-11-20T08:30:15Z")]
    public void TryParseInstant_Iso8601_UtcUnlessOffsetGiven(string text, string expected)
    {
        Assert.True(CallQueryParser.TryParseInstant(text, Now, out var instant));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("1y")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("99999999w")]
    [InlineData("11/20/2026")]
    [InlineData("2026-11-31")]
    [InlineData("yesterday")]
    public void TryParseInstant_Garbage_False(string text)
    {
        Assert.False(CallQueryParser.TryParseInstant(text, Now, out _));
    }

    [Fact]
    public void TryParse_NoParameters_DefaultQuery()
    {
        Assert.True(CallQueryParser.TryParse(Query(""), Now, out var query, out _));
        Assert.Equal(new Core.Cdr.CallRecordQuery(), query);
    }

    [Fact]
    public void TryParse_EmptyValues_Absent()
    {
        Assert.True(CallQueryParser.TryParse(Query("?peer=&carrier=&status=&number=&since=&until=&limit=&cursor="), Now, out var query, out _));
        Assert.Equal(new Core.Cdr.CallRecordQuery(), query);
    }

    [Fact]
    public void TryParse_SeveralProblems_ReportsEach()
    {
        Assert.False(CallQueryParser.TryParse(Query("?since=x&limit=-1&status=up&foo=1"), Now, out _, out var errors));
        Assert.Equal(["foo", "limit", "since", "status"], errors.Keys.Order(StringComparer.Ordinal));
    }

    private static QueryCollection Query(string text) => new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(text));
}
