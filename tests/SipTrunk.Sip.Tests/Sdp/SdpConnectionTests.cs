using System.Net;
using SipTrunk.Sip.Sdp;

namespace SipTrunk.Sip.Tests.Sdp;

public sealed class SdpConnectionTests
{
    [Theory]
    [InlineData("IN IP4 192.0.2.1", "192.0.2.1", null, null)]
    [InlineData("IN IP4 224.2.1.1/127", "224.2.1.1", 127, null)]
    [InlineData("IN IP4 224.2.1.1/127/3", "224.2.1.1", 127, 3)]
    [InlineData("IN IP6 ff15::101/3", "ff15::101", null, 3)]
    [InlineData("IN IP4 media.example.com", "media.example.com", null, null)]
    public void TryParse_Valid_SplitsSuffixesAndFormatsBack(string value, string address, int? ttl, int? count)
    {
        Assert.True(SdpConnection.TryParse(value, out SdpConnection? connection));

        Assert.Equal(address, connection.Address);
        Assert.Equal(ttl, connection.Ttl);
        Assert.Equal(count, connection.AddressCount);
        Assert.Equal(value, connection.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("IN IP4")]
    [InlineData("IN IP4 1.2.3.4 extra")]
    [InlineData("IN IP4 224.2.1.1/256")]
    [InlineData("IN IP4 224.2.1.1/1/2/3")]
    [InlineData("IN IP4 224.2.1.1//2")]
    [InlineData("IN IP6 ff15::1/1/2")]
    [InlineData("IN IP4 224.2.1.1/1/0")]
    [InlineData("IN IP4 /1")]
    public void TryParse_Malformed_ReturnsFalse(string value)
    {
        Assert.False(SdpConnection.TryParse(value, out SdpConnection? connection));
        Assert.Null(connection);
    }

    [Fact]
    public void FromIPAddress_V4MappedAndV6WithScope_ProducesPlainLiteral()
    {
        Assert.Equal("IN IP4 192.0.2.7", SdpConnection.FromIPAddress(IPAddress.Parse("::ffff:192.0.2.7")).ToString());
        Assert.Equal("IN IP6 fe80::1", SdpConnection.FromIPAddress(IPAddress.Parse("fe80::1%3")).ToString());
    }

    [Fact]
    public void TryGetIPAddress_FqdnOrFamilyMismatch_ReturnsFalse()
    {
        Assert.False(new SdpConnection("IN", "IP4", "media.example.com").TryGetIPAddress(out _));
        Assert.False(new SdpConnection("IN", "IP4", "2001:db8::1").TryGetIPAddress(out _));
        Assert.True(new SdpConnection("IN", "IP4", "0.0.0.0").TryGetIPAddress(out IPAddress? any));
        Assert.Equal(IPAddress.Any, any);
    }

    [Fact]
    public void Constructor_InvalidSuffixOrToken_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SdpConnection("IN", "IP6", "ff15::1", ttl: 5));
        Assert.Throws<ArgumentException>(() => new SdpConnection("IN", "IP4", "224.2.1.1", addressCount: 2));
        Assert.Throws<ArgumentException>(() => new SdpConnection("IN", "IP4", "1.2.3.4 5"));
    }
}
