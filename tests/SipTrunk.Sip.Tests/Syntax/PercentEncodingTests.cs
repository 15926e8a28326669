using System.Buffers;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Tests.Syntax;

public sealed class PercentEncodingTests
{
    private static readonly SearchValues<char> Letters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz");

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a%20b", "a b")]
    [InlineData("%41%62", "Ab")]
    [InlineData("%e9", "\u00e9")]
    [InlineData("%00", "\0")]
    public void TryDecode_Valid_Unescapes(string text, string expected)
    {
        Assert.True(PercentEncoding.TryDecode(text, Letters, "user", out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("a%2", "bad escape sequence in user")]
    [InlineData("a%zz", "bad escape sequence in user")]
    [InlineData("a%", "bad escape sequence in user")]
    [InlineData("a b", "invalid character U+0020 in user")]
    [InlineData("a%20!", "invalid character '!' in user")]
    public void TryDecode_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(PercentEncoding.TryDecode(text, Letters, "user", out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a b", "a%20b")]
    [InlineData("A", "%41")]
    [InlineData("\u00e9", "%E9")]
    [InlineData("\u0100", "%C4%80")]
    [InlineData("\U0001F600", "%F0%9F%98%80")]
    public void Encode_CharactersOutsideSet_Escaped(string value, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Encode(value, Letters));
    }

    [Theory]
    [InlineData("a%41b", true)]
    [InlineData("a%4", false)]
    [InlineData("%%41", false)]
    [InlineData("", true)]
    public void HasValidEscapes_Examples(string text, bool expected)
    {
        Assert.Equal(expected, PercentEncoding.HasValidEscapes(text));
    }
}
