using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Tests.Headers;

public sealed class NameAddressTests
{
    [Theory]
    [InlineData("\"Bob\" <sips:bob@biloxi.com>;tag=a48s", "Bob", "sips:bob@biloxi.com", "a48s")]
    [InlineData("Bob <sips:bob@biloxi.com>;tag=a48s", "Bob", "sips:bob@biloxi.com", "a48s")]
    [InlineData("Anonymous   Caller <sip:c8oqz84zk7z@privacy.org>;tag=hyh8", "Anonymous Caller", "sip:c8oqz84zk7z@privacy.org", "hyh8")]
    [InlineData("<sip:alice@atlanta.com>", null, "sip:alice@atlanta.com", null)]
    [InlineData("sip:+12125551212@phone2net.com;tag=887s", null, "sip:+12125551212@phone2net.com", "887s")]
    [InlineData("\"\" <sip:alice@atlanta.com>", "", "sip:alice@atlanta.com", null)]
    [InlineData("  <tel:+1-201-555-0123>  ", null, "tel:+1-201-555-0123", null)]
    [InlineData("\"Cullen Jennings\" <sip:fluffy@cisco.com>", "Cullen Jennings", "sip:fluffy@cisco.com", null)]
    [InlineData("<urn:service:sos>", null, "urn:service:sos", null)]
    public void TryParse_Valid_ParsesParts(string text, string? displayName, string uri, string? tag)
    {
        Assert.True(NameAddress.TryParse(text, out var value, out var error), error);
        Assert.Equal(displayName, value.DisplayName);
        Assert.Equal(uri, value.Uri.ToString());
        Assert.Equal(tag, value.Tag);
    }

    [Fact]
    public void TryParse_DisplayNameWithEscapedQuotes_Unescapes()
    {
        Assert.True(NameAddress.TryParse("\"\\\"The\\\" Boss \\\\o/\" <sip:boss@example.com>", out var value, out _));

        Assert.Equal("\"The\" Boss \\o/", value.DisplayName);
        Assert.Equal("\"\\\"The\\\" Boss \\\\o/\" <sip:boss@example.com>", value.ToString());
    }

    [Fact]
    public void TryParse_AddrSpecWithoutBrackets_ParametersBelongToHeader()
    {
        // RFC 3261 §20.10: without <>, ;params after the URI are header parameters.
        Assert.True(NameAddress.TryParse("sip:alice@atlanta.com;transport=tcp;tag=1", out var value, out _));

        var uri = Assert.IsType<SipUri>(value.Uri);
        Assert.Null(uri.Transport);
        Assert.Equal("tcp", value.Parameters["transport"]);
        Assert.Equal("1", value.Tag);
        Assert.Equal("<sip:alice@atlanta.com>;transport=tcp;tag=1", value.ToString());
    }

    [Fact]
    public void TryParse_BracketedUriWithParameters_ParametersBelongToUri()
    {
        Assert.True(NameAddress.TryParse("<sip:alice@atlanta.com;transport=tcp>;tag=1", out var value, out _));

        var uri = Assert.IsType<SipUri>(value.Uri);
        Assert.Equal("tcp", uri.Transport);
        Assert.False(value.Parameters.Contains("transport"));
        Assert.Equal("1", value.Tag);
    }

    [Fact]
    public void TryParse_FoldedLws_TreatedAsWhitespace()
    {
        var text = "\"Alice\r\n Liddell\"\r\n <sip:alice@atlanta.com>\r\n\t;\r\n tag\r\n =\r\n 1928301774";

        Assert.True(NameAddress.TryParse(text, out var value, out var error), error);
        Assert.Equal("Alice Liddell", value.DisplayName);
        Assert.Equal("1928301774", value.Tag);
        Assert.Equal("\"Alice Liddell\" <sip:alice@atlanta.com>;tag=1928301774", value.ToString());
    }

    [Fact]
    public void TryParse_TokenDisplayNameFolded_Collapsed()
    {
        Assert.True(NameAddress.TryParse("Bob\r\n  Smith <sip:bob@biloxi.com>", out var value, out _));

        Assert.Equal("Bob Smith", value.DisplayName);
    }

    [Fact]
    public void TryParse_QuotedParameterValue_RoundTrips()
    {
        var text = "<sip:a@b>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1";

        Assert.True(NameAddress.TryParse(text, out var value, out _));
        Assert.Equal("<urn:uuid:00000000-0000-1000-8000-000A95A0E128>", value.Parameters["+sip.instance"]);
        Assert.True(value.Parameters[0].IsQuoted);
        Assert.Equal(text, value.ToString());
    }

    [Theory]
    [InlineData("", "empty address")]
    [InlineData("   ", "empty address")]
    [InlineData("\"Bob <sip:bob@biloxi.com>", "display name: unterminated quoted string")]
    [InlineData("\"Bob\" sip:bob@biloxi.com", "expected '<' after display name")]
    [InlineData("<sip:bob@biloxi.com", "missing '>'")]
    [InlineData("<sip:bob@>", "missing host")]
    [InlineData("<sip:bob@biloxi.com>x", "unexpected character 'x' after address")]
    [InlineData("sip:bob@biloxi.com?subject=x", "a URI containing ',', ';' or '?' must be enclosed in <>")]
    [InlineData("sip:bob@biloxi.com,sip:carol@chicago.com", "a URI containing ',', ';' or '?' must be enclosed in <>")]
    [InlineData("<sip:bob@biloxi.com>;tag=1;tag=2", "duplicate parameter 'tag'")]
    [InlineData("<sip:bob@biloxi.com>;tag=", "missing value for parameter 'tag'")]
    [InlineData("<sip:bob@biloxi.com>;=1", "invalid character '=' where a parameter name was expected")]
    [InlineData("Bob <sip:bob @biloxi.com>", "URI contains whitespace")]
    [InlineData("bob@biloxi.com", "missing or invalid URI scheme")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(NameAddress.TryParse(text, out var value, out var error));
        Assert.Null(value);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void WithMethods_DeriveCopies()
    {
        Assert.True(NameAddress.TryParse("Bob <sip:bob@biloxi.com>", out var original, out _));

        var changed = original.WithTag("xyz").WithUri(SipUri.Parse("sips:bob@biloxi.com")).WithParameter("expires", "60").WithDisplayName(null);

        Assert.Equal("<sips:bob@biloxi.com>;tag=xyz;expires=60", changed.ToString());
        Assert.Equal("\"Bob\" <sip:bob@biloxi.com>", original.ToString());
        Assert.Equal("<sips:bob@biloxi.com>;tag=abc;expires=60", changed.WithTag("abc").ToString());
        Assert.Equal("<sips:bob@biloxi.com>;tag=xyz", changed.WithoutParameter("EXPIRES").ToString());
        Assert.Throws<ArgumentException>(() => original.WithTag("bad tag"));
        Assert.Throws<ArgumentException>(() => original.WithDisplayName("a\r\nb"));
    }

    [Fact]
    public void Create_WithParameters_WritesNameAddrForm()
    {
        var value = NameAddress.Create(SipUri.Parse("sip:proxy.example.net;lr"), parameters: HeaderParameters.Empty.With("flow", "7"));

        Assert.Equal("<sip:proxy.example.net;lr>;flow=7", value.ToString());
    }
}
