using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Tests.Headers;

/// <summary>Header values taken from the RFC 4475 torture messages, exercised at the typed-view level.</summary>
public sealed class TortureCaseTests
{
    [Fact]
    public void NameAddress_Rfc4475WsinvTo_ParsesControlEscapesAndUnusualUser()
    {
        // RFC 4475 §3.1.1.1: quoted-pairs of BEL, NUL and DEL, and a user part full of user-unreserved characters.
        var text = "\"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007F\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>";

        Assert.True(NameAddress.TryParse(text, out var to, out var error), error);

        Assert.Equal("BEL:\u0007 NUL:\u0000 DEL:\u007F", to.DisplayName);
        var uri = Assert.IsType<SipUri>(to.Uri);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", uri.User);
        Assert.Equal("example.com", uri.Host);
        Assert.Equal(text, to.ToString());
    }

    [Fact]
    public void NameAddress_Rfc4475DisplayNameWithoutSpace_Parses()
    {
        Assert.True(NameAddress.TryParse("caller<sip:caller@example.com>;tag=141334", out var from, out _));

        Assert.Equal("caller", from.DisplayName);
        Assert.Equal("141334", from.Tag);
    }

    [Theory]
    [InlineData("\"Mr. J. User <sip:j.user@example.com>")]
    [InlineData("Bell, Alexander <sip:a.g.bell@example.com>;tag=43")]
    [InlineData("\"Watson, Thomas\" < sip:t.watson@example.org >")]
    [InlineData("<sip:user@example.com; lr>")]
    public void NameAddress_Rfc4475InvalidValues_Rejected(string text)
    {
        Assert.False(NameAddress.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("SIP/2.0/SCTP t3.example.com;branch=z9hG4bKsctp", "SCTP")]
    [InlineData("SIP/2.0/TLS t4.example.com:5061;branch=z9hG4bKtls", "TLS")]
    [InlineData("SIP/2.0/UNKNOWN t5.example.com:5060;branch=z9hG4bKunknown", "UNKNOWN")]
    [InlineData("SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~", "TCP")]
    public void Via_Rfc4475TransportsAndTokenBranch_Accepted(string text, string transport)
    {
        Assert.True(ViaHeader.TryParse(text, out var via, out var error), error);
        Assert.Equal(transport, via.Transport);
        Assert.True(via.HasMagicCookie);
        Assert.Equal(text, via.ToString());
    }

    [Theory]
    [InlineData("SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3;ttl=4294967297", "invalid ttl parameter")]
    [InlineData("36893488147419103232 INVITE", "CSeq number must be less than 2^31")]
    public void OverlargeValues_Rfc4475_RejectedWithReason(string text, string expected)
    {
        var ok = text.StartsWith("SIP", StringComparison.Ordinal)
            ? ViaHeader.TryParse(text, out _, out var error)
            : CSeqHeader.TryParse(text, out _, out error);

        Assert.False(ok);
        Assert.Equal(expected, error);
    }
}
