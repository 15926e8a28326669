using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Tests.Uris;

public sealed class AbsoluteUriTests
{
    [Theory]
    [InlineData("sip:alice@atlanta.com", typeof(SipUri), "sip")]
    [InlineData("SIPS:alice@atlanta.com", typeof(SipUri), "sips")]
    [InlineData("tel:+1-201-555-0123", typeof(TelUri), "tel")]
    [InlineData("Tel:+12015550123", typeof(TelUri), "tel")]
    [InlineData("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", typeof(GenericUri), "urn")]
    [InlineData("mailto:alice@atlanta.com", typeof(GenericUri), "mailto")]
    [InlineData("http://www.example.com/a?b=c#d", typeof(GenericUri), "http")]
    public void TryParse_DispatchesOnScheme(string text, Type type, string scheme)
    {
        Assert.True(AbsoluteUri.TryParse(text, out var uri, out var error), error);
        Assert.IsType(type, uri);
        Assert.Equal(scheme, uri.Scheme);
    }

    [Theory]
    [InlineData("alice@atlanta.com", "missing or invalid URI scheme")]
    [InlineData(":alice", "missing or invalid URI scheme")]
    [InlineData("1sip:alice", "missing or invalid URI scheme")]
    [InlineData("urn:", "empty URI after scheme")]
    [InlineData("urn:a b", "URI contains whitespace")]
    [InlineData("urn:a<b", "invalid character '<' in URI")]
    [InlineData("urn:a%g1", "bad escape sequence in URI")]
    [InlineData("sip:alice@", "missing host")]
    [InlineData("tel:12", "local tel number requires phone-context")]
    [InlineData("", "missing or invalid URI scheme")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(AbsoluteUri.TryParse(text, out var uri, out var error));
        Assert.Null(uri);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_TooLong_ReturnsFalse()
    {
        Assert.False(AbsoluteUri.TryParse("urn:" + new string('x', 5000), out _, out var error));
        Assert.Equal("URI too long", error);
    }

    [Fact]
    public void GenericUri_KeptVerbatim_ComparedCaseSensitivelyExceptScheme()
    {
        var a = (GenericUri)AbsoluteUri.Parse("URN:Example:Thing");
        var b = (GenericUri)AbsoluteUri.Parse("urn:Example:Thing");
        var c = (GenericUri)AbsoluteUri.Parse("urn:example:thing");

        Assert.Equal("URN:Example:Thing", a.ToString());
        Assert.Equal("Example:Thing", a.SchemeSpecificPart);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(b, c);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => AbsoluteUri.Parse("nothing"));
    }
}
