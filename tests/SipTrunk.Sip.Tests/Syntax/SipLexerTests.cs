using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Tests.Syntax;

public sealed class SipLexerTests
{
    [Theory]
    [InlineData("INVITE", true)]
    [InlineData("z9hG4bK-1.2!%*_+`'~", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a:b", false)]
    [InlineData("a\"b", false)]
    [InlineData("\u00e9", false)]
    public void IsToken_Examples_Classified(string text, bool expected)
    {
        Assert.Equal(expected, SipLexer.IsToken(text));
    }

    [Theory]
    [InlineData("  x", 0, 2)]
    [InlineData("\t \r\n x", 0, 5)]
    [InlineData("\r\n\tx", 0, 3)]
    [InlineData("\n x", 0, 2)]
    [InlineData(" \r\nx", 0, 1)]
    [InlineData("\r\n", 0, 0)]
    [InlineData("x  ", 1, 3)]
    [InlineData("x", 0, 0)]
    public void SkipLws_FoldsAndSpaces_SkipsOnlyLws(string text, int start, int expected)
    {
        Assert.Equal(expected, SipLexer.SkipLws(text, start));
    }

    [Theory]
    [InlineData("  a \r\n  b\t\tc  ", "a b c")]
    [InlineData("abc", "abc")]
    [InlineData(" \r\n ", "")]
    public void NormalizeLws_CollapsesRuns(string text, string expected)
    {
        Assert.Equal(expected, SipLexer.NormalizeLws(text));
    }

    [Theory]
    [InlineData('a', "'a'")]
    [InlineData('\r', "U+000D")]
    [InlineData('\u00e9', "U+00E9")]
    public void Describe_Characters_SafeForReasonPhrase(char c, string expected)
    {
        Assert.Equal(expected, SipLexer.Describe(c));
    }
}
