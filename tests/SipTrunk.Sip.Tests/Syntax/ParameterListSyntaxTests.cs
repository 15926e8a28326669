using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Tests.Syntax;

public sealed class ParameterListSyntaxTests
{
    [Theory]
    [InlineData("tag=abc;x", "tag", "abc", false, 7)]
    [InlineData(" lr ;x", "lr", null, false, 3)]
    [InlineData("lr", "lr", null, false, 2)]
    [InlineData(" q = 0.5", "q", "0.5", false, 8)]
    [InlineData("x=\"a;b\"", "x", "a;b", true, 7)]
    [InlineData("received=2001:db8::9:255", "received", "2001:db8::9:255", false, 24)]
    [InlineData("maddr=[::1],", "maddr", "[::1]", false, 11)]
    [InlineData("nonce=abc==", "nonce", "abc==", false, 11)]
    [InlineData("a\r\n =\r\n b", "a", "b", false, 9)]
    public void TryParseParameter_Valid_ParsesOne(string text, string name, string? value, bool quoted, int end)
    {
        var position = 0;

        Assert.True(ParameterListSyntax.TryParseParameter(text, ref position, out var parsedName, out var parsedValue, out var isQuoted, out var error), error);
        Assert.Equal(name, parsedName);
        Assert.Equal(value, parsedValue);
        Assert.Equal(quoted, isQuoted);
        Assert.Equal(end, position);
    }

    [Theory]
    [InlineData("", "empty parameter")]
    [InlineData("=x", "invalid character '=' where a parameter name was expected")]
    [InlineData("a=", "missing value for parameter 'a'")]
    [InlineData("a=;", "missing value for parameter 'a'")]
    [InlineData("a=\"x", "parameter 'a': unterminated quoted string")]
    public void TryParseParameter_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        var position = 0;

        Assert.False(ParameterListSyntax.TryParseParameter(text, ref position, out _, out _, out _, out var error));
        Assert.Equal(expected, error);
    }
}
