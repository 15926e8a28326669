using SipTrunk.Sip.Messages;

namespace SipTrunk.Sip.Tests.Messages;

public sealed class SipMessageValidatorTests
{
    private const string Good = """
        INVITE sip:+441632960000@trunk.example.net SIP/2.0
        Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bKx
        Max-Forwards: 70
        From: <sip:pbx-a@trunk.example.net>;tag=a
        To: <sip:+441632960000@trunk.example.net>
        Call-ID: c1
        CSeq: 1 INVITE
        Contact: <sip:pbx-a@192.0.2.1:5061;transport=tls>
        """;

    [Fact]
    public void ValidateRequest_WellFormed_IsValidAndTypedViewsWork()
    {
        var request = Request(Good);

        Assert.True(SipMessageValidator.ValidateRequest(request).IsValid);
        Assert.Equal("z9hG4bKx", request.Via!.Branch);
        Assert.Equal("a", request.From!.Tag);
        Assert.Null(request.To!.Tag);
        Assert.Equal(1u, request.CSeq!.Sequence);
        Assert.Equal(70, request.MaxForwards);
        Assert.Equal("sip", request.RequestUri!.Scheme);
    }

    [Theory]
    [InlineData("Call-ID: c1\n", "", "Missing Call-ID header")]
    [InlineData("Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bKx\n", "", "Missing Via header")]
    [InlineData("CSeq: 1 INVITE", "CSeq: 1 BYE", "CSeq method does not match the request method")]
    [InlineData("CSeq: 1 INVITE", "CSeq: 2147483648 INVITE", "Malformed CSeq")]
    [InlineData("Max-Forwards: 70", "Max-Forwards: 256", "Malformed Max-Forwards")]
    [InlineData("Call-ID: c1", "Call-ID: c1\nCall-ID: c2", "Multiple Call-ID headers")]
    [InlineData("From: <sip:pbx-a@trunk.example.net>;tag=a", "From: \"unterminated <sip:a@b>", "Malformed From")]
    [InlineData("Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bKx", "Via: SIP/2.0/TLS 192.0.2.1:5061;;branch=z9hG4bKx", "Malformed Via")]
    [InlineData("Contact: <sip:pbx-a@192.0.2.1:5061;transport=tls>", "Contact: <sip:pbx-a@>", "Malformed Contact")]
    [InlineData("Max-Forwards: 70", "Max-Forwards: 70\nRoute: <sip:x;lr", "Malformed Route")]
    [InlineData("Max-Forwards: 70", "Max-Forwards: 70\nExpires: soon", "Malformed Expires")]
    public void ValidateRequest_Broken_Is400WithReason(string replace, string with, string reason)
    {
        var verdict = SipMessageValidator.ValidateRequest(Request(Good.Replace(replace, with, StringComparison.Ordinal)));

        Assert.Equal(400, verdict.StatusCode);
        Assert.StartsWith(reason, verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INVITE sip:+441632960000@trunk.example.net SIP/2.0", "INVITE sip:+441632960000@trunk.example.net SIP/3.0", 505)]
    [InlineData("INVITE sip:+441632960000@trunk.example.net SIP/2.0", "INVITE mailto:a@b SIP/2.0", 416)]
    [InlineData("INVITE sip:+441632960000@trunk.example.net SIP/2.0", "INVITE sip:a@b?Route=x SIP/2.0", 400)]
    [InlineData("INVITE sip:+441632960000@trunk.example.net SIP/2.0", "INVITE sip:a@ SIP/2.0", 400)]
    public void ValidateRequest_BadStartLine_GetsTheRightCode(string replace, string with, int code)
    {
        Assert.Equal(code, SipMessageValidator.ValidateRequest(Request(Good.Replace(replace, with, StringComparison.Ordinal))).StatusCode);
    }

    [Fact]
    public void ValidateRequest_TelRequestUri_IsAccepted()
    {
        var request = Request(Good.Replace("sip:+441632960000@trunk.example.net SIP", "tel:+441632960000 SIP", StringComparison.Ordinal));

        Assert.True(SipMessageValidator.ValidateRequest(request).IsValid);
    }

    [Fact]
    public void ValidateResponse_MissingCSeq_IsDropped()
    {
        var response = (SipResponse)SipParser.Parse(TestMessages.Ok200).Message!;
        var broken = (SipResponse)SipParser.Parse(TestMessages.Crlf("SIP/2.0 200 OK\nVia: SIP/2.0/TLS h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\nTo: <sip:c@d>\nCall-ID: 1")).Message!;

        Assert.Null(SipMessageValidator.ValidateResponse(response));
        Assert.Equal("Missing CSeq header", SipMessageValidator.ValidateResponse(broken));
    }

    private static SipRequest Request(string text) => (SipRequest)SipParser.Parse(TestMessages.Crlf(text)).Message!;
}
