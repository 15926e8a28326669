using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Tests.Syntax;

public sealed class QuotedStringTests
{
    [Theory]
    [InlineData("\"abc\"", "abc", 5)]
    [InlineData("\"\"rest", "", 2)]
    [InlineData("\"say \\\"hi\\\"\"", "say \"hi\"", 12)]
    [InlineData("\"back\\\\slash\"", "back\\slash", 13)]
    [InlineData("\"a \r\n  b\"", "a b", 9)]
    [InlineData("\"caf\u00e9\"", "caf\u00e9", 6)]
    [InlineData("\"\\x\"", "x", 4)]
    public void TryParse_Valid_UnquotesAndAdvances(string text, string expected, int end)
    {
        var position = 0;

        Assert.True(QuotedString.TryParse(text, ref position, out var value, out var error), error);
        Assert.Equal(expected, value);
        Assert.Equal(end, position);
    }

    [Theory]
    [InlineData("\"abc", "unterminated quoted string")]
    [InlineData("\"abc\\", "bad escape in quoted string")]
    [InlineData("\"a\\\r\n b\"", "bad escape in quoted string")]
    [InlineData("\"a\r\nb\"", "line break in quoted string")]
    [InlineData("\"a\u0001b\"", "control character in quoted string")]
    [InlineData("abc", "expected quoted string")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        var position = 0;

        Assert.False(QuotedString.TryParse(text, ref position, out _, out var error));
        Assert.Equal(expected, error);
        Assert.Equal(0, position);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("", "\"\"")]
    public void Quote_Values_EscapesAndRoundTrips(string value, string expected)
    {
        var quoted = QuotedString.Quote(value);
        var position = 0;

        Assert.Equal(expected, quoted);
        Assert.True(QuotedString.TryParse(quoted, ref position, out var back, out _));
        Assert.Equal(value, back);
    }

    [Fact]
    public void Quote_LineBreak_Throws()
    {
        Assert.False(QuotedString.CanQuote("a\r\nb"));
        Assert.Throws<ArgumentException>(() => QuotedString.Quote("a\nb"));
    }
}
