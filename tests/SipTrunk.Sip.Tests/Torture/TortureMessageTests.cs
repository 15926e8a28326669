using SipTrunk.Sip.Messages;

namespace SipTrunk.Sip.Tests.Torture;

/// <summary>
/// The RFC 4475 and RFC 5118 torture messages, bit-exact, against the parser and the validator.
/// Expectations come from the manifests; every departure is listed below with the reason.
/// </summary>
public sealed class TortureMessageTests
{
    /// <summary>
    /// Invalid messages a proxy is right to forward, because the broken part is a header it never interprets.
    /// </summary>
    private static readonly Dictionary<string, string> ForwardedUnjudged = new()
    {
        // RFC 4475 §3.1.2.13: a bad Date; a proxy does not interpret Date and forwards it.
        ["Rfc4475/baddate.sip"] = "Date is forwarded untouched",
    };

    /// <summary>
    /// Messages that are well formed but must be refused by a later stage than parsing and validation.
    /// The assertion for these is that they parse and validate, so that stage gets to see them.
    /// </summary>
    private static readonly Dictionary<string, string> RefusedLater = new()
    {
        ["Rfc4475/bext01.sip"] = "420 for an unsupported Proxy-Require: the proxy core (RFC 3261 §16.3 step 5)",
        ["Rfc4475/zeromf.sip"] = "483 for Max-Forwards 0: the proxy core (RFC 3261 §16.3 step 3)",
        ["Rfc4475/invut.sip"] = "415 for a body type the media anchor cannot rewrite: the call handler",
        ["Rfc4475/sdp01.sip"] = "406 for an Accept the UAS cannot satisfy: the UAS, not a proxy",
        ["Rfc4475/bcast.sip"] = "a response whose Via matches no transaction is dropped by the transaction layer",
        ["Rfc4475/unksm2.sip"] = "400 from the registrar: a REGISTER's To must be a SIP or SIPS URI (RFC 3261 §10.3)",
        ["Rfc4475/multi01.sip"] = "multiple single-value headers: judged below",
    };

    [Theory]
    [MemberData(nameof(TortureCase.All), "parse", MemberType = typeof(TortureCase))]
    public void ValidMessage_ParsesWithTheStatedValues(TortureCase c)
    {
        var bytes = c.LoadBytes();
        var result = SipParser.Parse(bytes);

        Assert.True(result.Success, $"{c}: {result.Error}");
        var message = result.Message;
        var verdict = Validate(message);
        Assert.True(verdict.IsValid, $"{c}: {verdict.StatusCode} {verdict.Reason}");
        AssertFacts(c, message, bytes);
    }

    [Theory]
    [MemberData(nameof(TortureCase.All), "reject", MemberType = typeof(TortureCase))]
    public void InvalidMessage_IsRejectedWithAReason(TortureCase c)
    {
        var result = SipParser.Parse(c.LoadBytes());
        if (ForwardedUnjudged.ContainsKey(c.ToString()))
        {
            Assert.True(result.Success && Validate(result.Message).IsValid, $"{c} should be forwarded: {ForwardedUnjudged[c.ToString()]}");
            return;
        }

        if (!result.Success)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Error));
            return;
        }

        var verdict = Validate(result.Message);
        Assert.False(verdict.IsValid, $"{c} was accepted");
        Assert.Equal(400, verdict.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
    }

    [Theory]
    [MemberData(nameof(TortureCase.All), "parse-then-reject", MemberType = typeof(TortureCase))]
    public void WellFormedButUnacceptable_ParsesThenIsRefusedWithTheRightCode(TortureCase c)
    {
        var result = SipParser.Parse(c.LoadBytes());
        Assert.True(result.Success, $"{c}: {result.Error}");

        var verdict = Validate(result.Message);
        if (RefusedLater.ContainsKey(c.ToString()) && c.File != "multi01.sip")
        {
            Assert.True(verdict.IsValid, $"{c}: {verdict.Reason}; expected to reach: {RefusedLater[c.ToString()]}");
            return;
        }

        Assert.False(verdict.IsValid, $"{c} was accepted");
        if (c.File == "mismatch02.sip")
        {
            // RFC 4475 §3.3.? allows 400 or 501 for an unknown method whose CSeq method differs.
            Assert.Contains(verdict.StatusCode, new[] { 400, 501 });
        }
        else
        {
            Assert.Equal(c.Response, verdict.StatusCode);
        }
    }

    [Fact]
    public void Manifests_CoverEveryDataFile()
    {
        foreach (var folder in new[] { "Rfc4475", "Rfc5118" })
        {
            var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Data", folder), "*.sip").Select(Path.GetFileName).Order();
            var listed = new[] { "parse", "reject", "parse-then-reject" }
                .SelectMany(TortureCase.All).Select(o => (TortureCase)o[0]).Where(c => c.Folder == folder).Select(c => c.File).Order();
            Assert.Equal(files, listed);
        }
    }

    private static SipValidation Validate(SipMessage message) => message switch
    {
        SipRequest request => SipMessageValidator.ValidateRequest(request),
        SipResponse response => SipMessageValidator.ValidateResponse(response) is { } error ? SipValidation.BadRequest(error) : SipValidation.Valid,
        _ => throw new InvalidOperationException(),
    };

    private static void AssertFacts(TortureCase c, SipMessage message, byte[] bytes)
    {
        if (c.Method is not null)
        {
            Assert.Equal(c.Method, ((SipRequest)message).MethodName);
        }

        if (c.RequestUri is not null)
        {
            Assert.Equal(c.RequestUri, ((SipRequest)message).RequestUriText);
        }

        if (c.StatusCode is { } status)
        {
            Assert.Equal(status, ((SipResponse)message).StatusCode);
        }

        if (c.CallId is not null)
        {
            Assert.Equal(c.CallId, message.CallId);
        }

        if (c.Cseq is not null)
        {
            Assert.Equal(c.Cseq, $"{message.CSeq!.Sequence} {message.CSeq.Method}");
        }

        if (c.ViaCount is { } vias)
        {
            Assert.Equal(vias, message.GetValues(HeaderId.Via).Count());
        }

        if (c.TopViaBranch is not null)
        {
            Assert.Equal(c.TopViaBranch, message.Via!.Branch);
        }

        if (c.MaxForwards is { } hops)
        {
            Assert.Equal(hops, message.MaxForwards);
        }

        if (c.ContentLength is { } declared)
        {
            Assert.Equal(declared, message.DeclaredContentLength);
            Assert.Equal(declared, message.Body.Length);
        }

        if (c.BodyLength is { } afterHeaders)
        {
            Assert.Equal(afterHeaders, bytes.Length - (message.Buffer.Length - message.Body.Length));
        }

        if (c.ToTag is not null)
        {
            Assert.Equal(c.ToTag, message.To!.Tag);
        }

        if (c.FromTag is not null)
        {
            Assert.Equal(c.FromTag, message.From!.Tag);
        }

        if (c.HeaderCount is { } count)
        {
            Assert.Equal(count, message.Headers.Length);
        }
    }
}
