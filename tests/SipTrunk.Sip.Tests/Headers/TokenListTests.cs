using SipTrunk.Sip.Headers;

namespace SipTrunk.Sip.Tests.Headers;

public sealed class TokenListTests
{
    [Theory]
    [InlineData("timer, 100rel,path", new[] { "timer", "100rel", "path" })]
    [InlineData("INVITE,ACK ,  CANCEL,\r\n BYE", new[] { "INVITE", "ACK", "CANCEL", "BYE" })]
    [InlineData("", new string[0])]
    [InlineData(" , ,outbound,", new[] { "outbound" })]
    [InlineData("presence.winfo, dialog", new[] { "presence.winfo", "dialog" })]
    public void TryParse_Valid_SplitsOnCommas(string text, string[] expected)
    {
        Assert.True(TokenList.TryParse(text, out var list, out var error), error);
        Assert.Equal(expected, list);
    }

    [Theory]
    [InlineData("timer 100rel", "invalid character '1' in token list")]
    [InlineData("a;b", "invalid character ';' in token list")]
    [InlineData("\"a\"", "invalid character '\"' in token list")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(TokenList.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Contains_CaseInsensitive()
    {
        Assert.True(TokenList.TryParse("Timer, 100REL", out var list, out _));

        Assert.True(list.Contains("timer"));
        Assert.True(list.Contains("100rel"));
        Assert.False(list.Contains("path"));
    }

    [Fact]
    public void WithAndWithout_DeriveCopies()
    {
        var list = TokenList.Create("INVITE", "ACK");

        Assert.Equal("INVITE, ACK, BYE", list.With("BYE").ToString());
        Assert.Same(list, list.With("invite"));
        Assert.Equal("ACK", list.Without("invite").ToString());
        Assert.Equal(2, list.Count);
        Assert.Throws<ArgumentException>(() => TokenList.Create("a b"));
    }
}
