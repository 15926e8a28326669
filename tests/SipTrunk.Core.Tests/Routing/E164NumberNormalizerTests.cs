using SipTrunk.Core.Routing;

namespace SipTrunk.Core.Tests.Routing;

public class E164NumberNormalizerTests
{
    private readonly E164NumberNormalizer _normalizer = new();

    [Theory]
    [InlineData("+441632960123", "+441632960123")]
    [InlineData("00441632960123", "+441632960123")]
    [InlineData("441632960123", "+441632960123")]
    [InlineData("+1-212-555-0100", "+12125550100")]
    [InlineData("+1 (212) 555.0100", "+12125550100")]
    [InlineData("(0044) 1632-960123", "+441632960123")]
    [InlineData("+441632960123;phone-context=example.com", "+441632960123")]
    [InlineData("+44-1632;isub=12", "+441632")]
    [InlineData("1", "+1")]
    [InlineData("+123456789012345", "+123456789012345")]
    [InlineData("00123456789012345", "+123456789012345")]
    [InlineData("123456789012345", "+123456789012345")]
    public void Normalize_DiallableNumber_ReturnsE164(string user, string expected)
    {
        Assert.Equal(expected, _normalizer.Normalize(user));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("00")]
    [InlineData("-().")]
    [InlineData("+1234567890123456")]
    [InlineData("001234567890123456")]
    [InlineData("1234567890123456")]
    [InlineData("alice")]
    [InlineData("+44a1632")]
    [InlineData("12*34")]
    [InlineData("#123")]
    [InlineData("+4+4")]
    [InlineData("+0441632960123")]
    [InlineData("01632960123")]
    [InlineData("000441632")]
    [InlineData(";+441632960123")]
    [InlineData("+44\t1632")]
    public void Normalize_NotAnE164Number_ReturnsNull(string user)
    {
        Assert.Null(_normalizer.Normalize(user));
    }

    [Fact]
    public void Normalize_AlreadyNormal_ReturnsSameInstance()
    {
        var user = "+441632960123";

        Assert.Same(user, _normalizer.Normalize(user));
    }
}
