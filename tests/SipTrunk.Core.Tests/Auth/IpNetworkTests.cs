using System.Net;
using SipTrunk.Core.Auth;

namespace SipTrunk.Core.Tests.Auth;

public class IpNetworkTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.4.0/22", "192.168.7.255", true)]
    [InlineData("192.168.4.0/22", "192.168.8.0", false)]
    [InlineData("192.168.4.0/22", "192.168.3.255", false)]
    [InlineData("203.0.113.7/32", "203.0.113.7", true)]
    [InlineData("203.0.113.7/32", "203.0.113.8", false)]
    [InlineData("0.0.0.0/0", "198.51.100.1", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8:0:80::/57", "2001:db8:0:ff::1", true)]
    [InlineData("2001:db8:0:80::/57", "2001:db8:0:7f::1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    public void Contains_CidrNetwork_MatchesOnlyThePrefix(string network, string address, bool expected)
    {
        Assert.Equal(expected, IpNetwork.Parse(network).Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("198.51.100.7", "198.51.100.7/32")]
    [InlineData("2001:db8::7", "2001:db8::7/128")]
    public void TryParse_BareAddress_IsAHostNetwork(string text, string expected)
    {
        Assert.True(IpNetwork.TryParse(text, out var network));

        Assert.Equal(expected, network.ToString());
        Assert.True(network.Contains(IPAddress.Parse(text)));
    }

    [Fact]
    public void TryParse_HostBitsSet_AreCleared()
    {
        var network = IpNetwork.Parse("10.1.2.3/8");

        Assert.Equal(IPAddress.Parse("10.0.0.0"), network.Network);
        Assert.Equal("10.0.0.0/8", network.ToString());
        Assert.True(network.Contains(IPAddress.Parse("10.200.0.1")));
        Assert.Equal("2001:db8:8000::/33", IpNetwork.Parse("2001:db8:ffff::1/33").ToString());
    }

    [Fact]
    public void Contains_IPv4MappedIPv6Address_MatchesItsIPv4Network()
    {
        var network = IpNetwork.Parse("192.0.2.0/24");

        Assert.True(network.Contains(IPAddress.Parse("::ffff:192.0.2.9")));
        Assert.False(network.Contains(IPAddress.Parse("::ffff:192.0.3.9")));
    }

    [Fact]
    public void TryParse_IPv4MappedNetwork_IsTheIPv4Network()
    {
        var network = IpNetwork.Parse("::ffff:192.0.2.1");

        Assert.Equal("192.0.2.1/32", network.ToString());
        Assert.True(network.Contains(IPAddress.Parse("192.0.2.1")));
    }

    [Fact]
    public void Contains_OtherAddressFamily_False()
    {
        Assert.False(IpNetwork.Parse("0.0.0.0/0").Contains(IPAddress.Parse("2001:db8::1")));
        Assert.False(IpNetwork.Parse("::/0").Contains(IPAddress.Parse("192.0.2.1")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("10.0.0.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/x")]
    [InlineData("example.com/8")]
    [InlineData("10.0.0.256")]
    [InlineData("fe80::1%2")]
    [InlineData("/8")]
    [InlineData("10/8")]
    [InlineData("10.1/16")]
    [InlineData("010.0.0.1")]
    [InlineData("0x0a.0.0.1")]
    public void TryParse_BadInput_False(string? text)
    {
        Assert.False(IpNetwork.TryParse(text, out var network));
        Assert.Null(network);
    }

    [Fact]
    public void Parse_BadInput_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => IpNetwork.Parse("10.0.0.0/33"));
    }
}
