using System.Text;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Sip.Tests.Messages;

public sealed class SipResponsesTests
{
    [Theory]
    [InlineData("<sip:b@h>\r;x=1", "<sip:b@h> ;x=1")]
    [InlineData("<sip:b@h>\n;x=1", "<sip:b@h> ;x=1")]
    [InlineData("\"Bob\"\r\n\t <sip:b@h>", "\"Bob\" <sip:b@h>")]
    public void Unfold_StrayOrFoldingLineBreaks_BecomeOneSpace(string value, string expected)
    {
        // Found by fuzzing: Unfold passed a lone CR through, and the builder then threw on the To value.
        Assert.Equal(expected, SipResponses.Unfold(value));
    }

    [Fact]
    public void Create_CopiesDialogHeadersAndAddsToTag()
    {
        var invite = (SipRequest)SipParser.Parse(TestMessages.Crlf("""
            INVITE sip:b@h SIP/2.0
            Via: SIP/2.0/TLS p1;branch=z9hG4bK1, SIP/2.0/TLS p0;branch=z9hG4bK0
            Via: SIP/2.0/TLS ua;branch=z9hG4bKu
            From: <sip:a@h>;tag=f1
            To: "Bob"
             <sip:b@h>
            Call-ID: c1
            CSeq: 7 INVITE
            Timestamp: 54
            Contact: <sip:a@ua>
            """)).Message!;

        var response = (SipResponse)SipParser.Parse(SipResponses.Create(invite, 486, toTag: "t9").ToArray()).Message!;

        Assert.Equal(486, response.StatusCode);
        Assert.Equal("Busy Here", response.ReasonPhrase);
        Assert.Equal(3, response.GetValues(HeaderId.Via).Count());
        Assert.Equal("<sip:a@h>;tag=f1", response.GetFirstValueString(HeaderId.From));
        Assert.Equal("\"Bob\" <sip:b@h>;tag=t9", response.GetFirstValueString(HeaderId.To));
        Assert.Equal("c1", response.CallId);
        Assert.Equal("7 INVITE", response.GetFirstValueString(HeaderId.CSeq));
        Assert.False(response.Contains(HeaderId.Contact));
        Assert.False(response.Contains(HeaderId.Timestamp));
    }

    [Fact]
    public void Create_Trying_EchoesTimestampAndAddsNoTag()
    {
        var request = (SipRequest)SipParser.Parse(TestMessages.Crlf("INVITE sip:b@h SIP/2.0\nTo: <sip:b@h>\nTimestamp: 54\nCall-ID: 1")).Message!;

        var trying = SipParser.Parse(SipResponses.Create(request, 100, toTag: "t").ToArray()).Message!;

        Assert.Equal("54", trying.GetFirstValueString(HeaderId.Timestamp));
        Assert.Equal("<sip:b@h>", trying.GetFirstValueString(HeaderId.To));
    }

    [Fact]
    public void Create_ToAlreadyTagged_KeepsTheTag()
    {
        var request = (SipRequest)SipParser.Parse(TestMessages.Crlf("BYE sip:b@h SIP/2.0\nTo: <sip:b@h>;tag=old\nCall-ID: 1")).Message!;

        var response = SipParser.Parse(SipResponses.Create(request, 200, toTag: "new").ToArray()).Message!;

        Assert.Equal("<sip:b@h>;tag=old", response.GetFirstValueString(HeaderId.To));
    }

    [Theory]
    [InlineData("<sip:b@h>;tag=x", true)]
    [InlineData("<sip:b@h> ; TAG = x", true)]
    [InlineData("sip:b@h;tag=x", true)]
    [InlineData("<sip:b@h;tag=x>", false)]
    [InlineData("\"a;tag=x\" <sip:b@h>", false)]
    [InlineData("<sip:b@h>;tagged=x", false)]
    public void HasTag_RecognisesOnlyHeaderTagParameters(string value, bool expected)
    {
        Assert.Equal(expected, SipResponses.HasTag(Encoding.ASCII.GetBytes(value)));
    }
}
