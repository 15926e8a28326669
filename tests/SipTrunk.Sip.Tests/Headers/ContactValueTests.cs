using SipTrunk.Sip.Headers;

namespace SipTrunk.Sip.Tests.Headers;

public sealed class ContactValueTests
{
    [Theory]
    [InlineData("*")]
    [InlineData("  * ")]
    [InlineData("\r\n *")]
    public void TryParse_Wildcard_IsWildcard(string text)
    {
        Assert.True(ContactValue.TryParse(text, out var contact, out _));
        Assert.True(contact.IsWildcard);
        Assert.Null(contact.Address);
        Assert.Equal("*", contact.ToString());
    }

    [Fact]
    public void TryParse_RegisterContact_ExposesExpiresAndQ()
    {
        Assert.True(ContactValue.TryParse("<sip:alice@192.0.2.4:5061;transport=tls>;q=0.7;expires=3600", out var contact, out var error), error);

        Assert.False(contact.IsWildcard);
        Assert.Equal(3600, contact.Expires);
        Assert.Equal(0.7, contact.Q);
        Assert.Equal("<sip:alice@192.0.2.4:5061;transport=tls>;q=0.7;expires=3600", contact.ToString());
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("0.", 0.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("0.123", 0.123)]
    [InlineData("1", 1.0)]
    [InlineData("1.0", 1.0)]
    [InlineData("1.000", 1.0)]
    public void TryParse_ValidQ_Parsed(string q, double expected)
    {
        Assert.True(ContactValue.TryParse($"<sip:a@b>;q={q}", out var contact, out var error), error);
        Assert.Equal(expected, contact.Q);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1.001")]
    [InlineData("0.1234")]
    [InlineData("2")]
    [InlineData("-0.5")]
    [InlineData(".5")]
    [InlineData("0,5")]
    [InlineData("abc")]
    public void TryParse_BadQ_ReturnsFalseWithReason(string q)
    {
        Assert.False(ContactValue.TryParse($"<sip:a@b>;q=\"{q}\"", out var contact, out var error));
        Assert.Null(contact);
        Assert.Equal("invalid q value (must be 0 to 1 with up to 3 decimals)", error);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("000", 0)]
    [InlineData("7200", 7200)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("4294967295", int.MaxValue)]
    [InlineData("99999999999999999999", int.MaxValue)]
    public void TryParse_Expires_ClampedDeltaSeconds(string expires, int expected)
    {
        Assert.True(ContactValue.TryParse($"<sip:a@b>;expires={expires}", out var contact, out _));
        Assert.Equal(expected, contact.Expires);
    }

    [Theory]
    [InlineData("<sip:a@b>;expires=-1", "invalid expires parameter")]
    [InlineData("<sip:a@b>;expires=1h", "invalid expires parameter")]
    [InlineData("<sip:a@b>;expires", "invalid expires parameter")]
    [InlineData("*;expires=0", "missing or invalid URI scheme")]
    [InlineData("<sip:a@>", "missing host")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(ContactValue.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void WithExpires_SetsAndRemoves()
    {
        Assert.True(ContactValue.TryParse("<sip:a@b>;expires=60", out var contact, out _));

        var longer = contact.WithExpires(3600);
        var none = contact.WithExpires(null);

        Assert.Equal(3600, longer.Expires);
        Assert.Equal("<sip:a@b>;expires=3600", longer.ToString());
        Assert.Null(none.Expires);
        Assert.Equal("<sip:a@b>", none.ToString());
        Assert.Equal(60, contact.Expires);
        Assert.Throws<InvalidOperationException>(() => ContactValue.Wildcard.WithExpires(0));
    }
}
