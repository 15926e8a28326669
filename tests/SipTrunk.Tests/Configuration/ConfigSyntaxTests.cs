using SipTrunk.Configuration;

namespace SipTrunk.Tests.Configuration;

public class ConfigSyntaxTests
{
    [Theory]
    [InlineData("sip:carrier.example.net")]
    [InlineData("sips:127.0.0.1:5081")]
    [InlineData("SIPS:carrier.example.net:5061;transport=tls")]
    [InlineData("sip:trunk@carrier.example.net")]
    [InlineData("sips:[2001:db8::1]:5061")]
    [InlineData("sip:[::1]")]
    [InlineData("sip:carrier.example.net?subject=x")]
    public void CheckSipUri_Valid_ReturnsNull(string uri)
    {
        Assert.Null(ConfigSyntax.CheckSipUri(uri));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("carrier.example.net")]
    [InlineData("tel:+441632960000")]
    [InlineData("sips:")]
    [InlineData("sips:host:0")]
    [InlineData("sips:host:65536")]
    [InlineData("sips:host:abc")]
    [InlineData("sips:[::1")]
    [InlineData("sips:[not-v6]:5061")]
    [InlineData("sips:[::1]x")]
    [InlineData("sips:bad host")]
    public void CheckSipUri_Invalid_ReturnsReason(string? uri)
    {
        Assert.NotNull(ConfigSyntax.CheckSipUri(uri));
    }

    [Theory]
    [InlineData("+441632960", true)]
    [InlineData("+123456789012345", true)]
    [InlineData("+1234567890123456", false)]
    [InlineData("+", false)]
    [InlineData("0044", true)]
    [InlineData("1", true)]
    [InlineData("", false)]
    [InlineData("+44 1632", false)]
    [InlineData("44-1632", false)]
    public void IsNumber_Value_Expected(string value, bool expected)
    {
        Assert.Equal(expected, ConfigSyntax.IsNumber(value));
    }

    [Theory]
    [InlineData("127.0.0.0/8", true)]
    [InlineData("::1/128", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("192.0.2.0/33", false)]
    [InlineData("192.0.2.1/24", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("example.net/24", false)]
    public void CheckNetwork_Value_Expected(string value, bool valid)
    {
        Assert.Equal(valid, ConfigSyntax.CheckNetwork(value) is null);
    }

    [Theory]
    [InlineData("trunk.example.net", true)]
    [InlineData("localhost", true)]
    [InlineData("bad host", false)]
    [InlineData("", false)]
    [InlineData("192.0.2.1", false)]
    public void IsHostName_Value_Expected(string value, bool expected)
    {
        Assert.Equal(expected, ConfigSyntax.IsHostName(value));
    }
}
