using SipTrunk.Sip.Headers;

namespace SipTrunk.Sip.Tests.Headers;

public sealed class CSeqHeaderTests
{
    [Theory]
    [InlineData("4711 INVITE", 4711u, "INVITE")]
    [InlineData("  1   REGISTER  ", 1u, "REGISTER")]
    [InlineData("0\r\n ACK", 0u, "ACK")]
    [InlineData("00000000000000000042 BYE", 42u, "BYE")]
    [InlineData("2147483647 OPTIONS", 2147483647u, "OPTIONS")]
    [InlineData("9 NewMethod", 9u, "NewMethod")]
    public void TryParse_Valid_Parses(string text, uint sequence, string method)
    {
        Assert.True(CSeqHeader.TryParse(text, out var cseq, out var error), error);
        Assert.Equal(sequence, cseq.Sequence);
        Assert.Equal(method, cseq.Method);
    }

    [Theory]
    [InlineData("2147483648 INVITE", "CSeq number must be less than 2^31")]
    [InlineData("4294967296 INVITE", "CSeq number must be less than 2^31")]
    [InlineData("99999999999999999999999 INVITE", "CSeq number must be less than 2^31")]
    [InlineData("INVITE", "CSeq must start with a number")]
    [InlineData("-1 INVITE", "CSeq must start with a number")]
    [InlineData("", "CSeq must start with a number")]
    [InlineData("1INVITE", "expected whitespace between CSeq number and method")]
    [InlineData("1 ", "invalid CSeq method")]
    [InlineData("1 INV ITE", "invalid CSeq method")]
    [InlineData("1 INVITE;x", "invalid CSeq method")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(CSeqHeader.TryParse(text, out var cseq, out var error));
        Assert.Null(cseq);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void ToString_Normalized()
    {
        Assert.True(CSeqHeader.TryParse(" 007 \r\n INVITE", out var cseq, out _));
        Assert.Equal("7 INVITE", cseq.ToString());
        Assert.Equal("8 BYE", new CSeqHeader(8, "BYE").ToString());
    }

    [Fact]
    public void Constructor_Invalid_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CSeqHeader(CSeqHeader.Limit, "INVITE"));
        Assert.Throws<ArgumentException>(() => new CSeqHeader(1, "IN VITE"));
    }
}
