using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Tests.Uris;

public sealed class TelUriTests
{
    // RFC 3966 §6 examples.
    [Theory]
    [InlineData("tel:+1-201-555-0123", "+12015550123", true, null)]
    [InlineData("tel:7042;phone-context=example.com", "7042", false, "example.com")]
    [InlineData("tel:863-1234;phone-context=+1-914-555", "8631234", false, "+1-914-555")]
    [InlineData("tel:+44(0)1632.960000", "+4401632960000", true, null)]
    [InlineData("tel:*21#;phone-context=example.com", "*21#", false, "example.com")]
    public void TryParse_Rfc3966Examples_Parses(string text, string number, bool global, string? context)
    {
        Assert.True(TelUri.TryParse(text, out var uri, out var error), error);
        Assert.Equal(number, uri.Number);
        Assert.Equal(global, uri.IsGlobal);
        Assert.Equal(context, uri.PhoneContext);
        Assert.Equal("tel", uri.Scheme);
        Assert.Equal(text, uri.ToString());
    }

    [Fact]
    public void TryParse_Extension_Exposed()
    {
        var uri = TelUri.Parse("tel:+1-201-555-0123;ext=1234");

        Assert.Equal("1234", uri.Extension);
        Assert.Equal("+1-201-555-0123", uri.RawNumber);
    }

    [Theory]
    [InlineData("tel:+1-201-555-0123", "tel:+12015550123")]
    [InlineData("tel:+1-201-555-0123", "TEL:+1.201.555.0123")]
    [InlineData("tel:863-1234;phone-context=+1-914-555", "tel:8631234;phone-context=+1914555")]
    [InlineData("tel:7042;phone-context=EXAMPLE.com", "tel:7042;phone-context=example.com")]
    [InlineData("tel:+1234;ext=1-2;foo=bar", "tel:+1234;FOO=BAR;ext=12")]
    [InlineData("tel:abc;phone-context=example.com", "tel:ABC;phone-context=example.com")]
    public void Equals_Rfc3966Equivalent_AreEqual(string left, string right)
    {
        var a = TelUri.Parse(left);
        var b = TelUri.Parse(right);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("tel:+1234", "tel:1234;phone-context=+1")]
    [InlineData("tel:+1234", "tel:+12345")]
    [InlineData("tel:+1234", "tel:+1234;ext=1")]
    [InlineData("tel:7042;phone-context=example.com", "tel:7042;phone-context=example.net")]
    [InlineData("tel:+1234;foo=a", "tel:+1234;bar=a")]
    public void Equals_Rfc3966NotEquivalent_AreNotEqual(string left, string right)
    {
        Assert.NotEqual(TelUri.Parse(left), TelUri.Parse(right));
    }

    [Theory]
    [InlineData("tel:7042", "local tel number requires phone-context")]
    [InlineData("tel:+", "tel number has no digits")]
    [InlineData("tel:+--", "tel number has no digits")]
    [InlineData("tel:", "tel number has no digits")]
    [InlineData("tel:+12a4", "invalid character in tel number")]
    [InlineData("tel:+1 234", "invalid character in tel number")]
    [InlineData("tel:1234;phone-context=bad_domain", "invalid phone-context")]
    [InlineData("tel:+1234;ext=12x", "invalid ext parameter")]
    [InlineData("tel:+1234;ext=1;ext=2", "duplicate parameter 'ext'")]
    [InlineData("tel:+1234;=x", "invalid tel URI parameter name")]
    [InlineData("tel:+1234;foo=%G0", "invalid value for tel URI parameter 'foo'")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(TelUri.TryParse(text, out var uri, out var error));
        Assert.Null(uri);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void WithParameter_AddsAndRemoves()
    {
        var uri = TelUri.Parse("tel:+1234").WithParameter("ext", "55");

        Assert.Equal("tel:+1234;ext=55", uri.ToString());
        Assert.Equal("tel:+1234", uri.WithoutParameter("EXT").ToString());
    }
}
