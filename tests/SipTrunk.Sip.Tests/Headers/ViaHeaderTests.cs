using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Tests.Headers;

public sealed class ViaHeaderTests
{
    [Theory]
    [InlineData("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds", "UDP", "pc33.atlanta.com", null, "z9hG4bK776asdhds")]
    [InlineData("SIP/2.0/UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7", "UDP", "erlang.bell-telephone.com", 5060, "z9hG4bK87asdks7")]
    [InlineData("SIP/2.0/tls client.example.com:5061;branch=z9hG4bK1", "TLS", "client.example.com", 5061, "z9hG4bK1")]
    [InlineData("SIP/2.0/ws df7jal23ls0d.invalid;branch=z9hG4bKasudf", "WS", "df7jal23ls0d.invalid", null, "z9hG4bKasudf")]
    [InlineData("SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK2", "TCP", "[2001:db8::1]", 5061, "z9hG4bK2")]
    [InlineData("SIP/2.0/UDP 192.0.2.1", "UDP", "192.0.2.1", null, null)]
    public void TryParse_Valid_ParsesParts(string text, string transport, string host, int? port, string? branch)
    {
        Assert.True(ViaHeader.TryParse(text, out var via, out var error), error);
        Assert.Equal("SIP", via.ProtocolName);
        Assert.Equal("2.0", via.ProtocolVersion);
        Assert.Equal(transport, via.Transport);
        Assert.Equal(host, via.Host);
        Assert.Equal(port, via.Port);
        Assert.Equal(branch, via.Branch);
        Assert.Equal(branch is not null, via.HasMagicCookie);
    }

    [Fact]
    public void TryParse_Rfc4475WhitespaceTorture_Accepted()
    {
        // RFC 4475 §3.1.1.3 (wsinv): LWS, including folds, around the slashes of sent-protocol.
        Assert.True(ViaHeader.TryParse("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw", out var via, out var error), error);

        Assert.Equal("UDP", via.Transport);
        Assert.Equal("192.0.2.2", via.Host);
        Assert.Equal("390skdjuw", via.Branch);
        Assert.False(via.HasMagicCookie);
        Assert.Equal("SIP/2.0/UDP 192.0.2.2;branch=390skdjuw", via.ToString());
    }

    [Fact]
    public void TryParse_LwsAroundColonAndSemicolons_Accepted()
    {
        Assert.True(ViaHeader.TryParse(" SIP / 2.0 / TCP host.example.com : 5070 ; branch = z9hG4bK9 ;\r\n rport ", out var via, out var error), error);

        Assert.Equal(5070, via.Port);
        Assert.Equal("z9hG4bK9", via.Branch);
        Assert.True(via.HasRport);
        Assert.Equal("SIP/2.0/TCP host.example.com:5070;branch=z9hG4bK9;rport", via.ToString());
    }

    [Fact]
    public void TryParse_Rfc3581Rport_ValueAndFlag()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988;branch=z9hG4bKkjshdyff", out var answered, out _));
        Assert.True(ViaHeader.TryParse("SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff", out var requested, out _));

        Assert.True(answered.HasRport);
        Assert.Equal(9988, answered.Rport);
        Assert.Equal("192.0.2.1", answered.Received);
        Assert.True(requested.HasRport);
        Assert.Null(requested.Rport);
        Assert.Null(requested.Received);
    }

    [Theory]
    [InlineData("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3-111", "[2001:db8::9:255]")]
    [InlineData("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3-111", "2001:db8::9:255")]
    public void TryParse_Rfc5118IPv6Received_BothFormsAccepted(string text, string received)
    {
        Assert.True(ViaHeader.TryParse(text, out var via, out var error), error);

        Assert.Equal("[2001:db8::9:1]", via.Host);
        Assert.Equal(UriHostKind.IPv6, via.HostKind);
        Assert.Equal(received, via.Received);
        Assert.Equal(text, via.ToString());
    }

    [Fact]
    public void TryParse_MaddrTtlAndExtensions_Exposed()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/UDP host;maddr=224.2.0.1;ttl=16;branch=z9hG4bKa;x=\"y z\";flag", out var via, out _));

        Assert.Equal("224.2.0.1", via.Maddr);
        Assert.Equal(16, via.Ttl);
        Assert.Equal("y z", via.Parameters["x"]);
        Assert.True(via.Parameters.Contains("flag"));
        Assert.Equal(5, via.Parameters.Count);
        Assert.Equal("SIP/2.0/UDP host;maddr=224.2.0.1;ttl=16;branch=z9hG4bKa;x=\"y z\";flag", via.ToString());
    }

    [Theory]
    [InlineData("", "missing Via protocol name")]
    [InlineData("SIP/2.0", "expected '/' in Via sent-protocol")]
    [InlineData("SIP/2.0/", "missing Via transport")]
    [InlineData("SIP/2.0/UDP", "expected whitespace before sent-by")]
    [InlineData("SIP/2.0/UDP ", "Via sent-by: missing host")]
    [InlineData("SIP/2.0/UDP host:99999", "Via sent-by: port out of range")]
    [InlineData("SIP/2.0/UDP host:", "Via sent-by: bad port")]
    [InlineData("SIP/2.0/UDP [2001:db8::1", "Via sent-by: invalid IPv6 reference")]
    [InlineData("SIP/2.0/UDP host;received=example.com", "invalid received parameter")]
    [InlineData("SIP/2.0/UDP host;received=[192.0.2.1]", "invalid received parameter")]
    [InlineData("SIP/2.0/UDP host;rport=x", "invalid rport parameter")]
    [InlineData("SIP/2.0/UDP host;rport=70000", "invalid rport parameter")]
    [InlineData("SIP/2.0/UDP host;ttl=300", "invalid ttl parameter")]
    [InlineData("SIP/2.0/UDP host;ttl=\"\"", "invalid ttl parameter")]
    [InlineData("SIP/2.0/UDP host;rport=\"\"", "invalid rport parameter")]
    [InlineData("SIP/2.0/UDP host;received=\"\"", "invalid received parameter")]
    [InlineData("SIP/2.0/UDP host;maddr=a_b", "invalid maddr parameter")]
    [InlineData("SIP/2.0/UDP host;branch", "invalid branch parameter")]
    [InlineData("SIP/2.0/UDP host;branch=\"a b\"", "invalid branch parameter")]
    [InlineData("SIP/2.0/UDP host;branch=a;BRANCH=b", "duplicate parameter 'BRANCH'")]
    [InlineData("SIP/2.0/UDP host junk", "unexpected character 'j' in Via")]
    [InlineData("SIP/2.0/UDP host,SIP/2.0/UDP other", "unexpected character ',' in Via")]
    [InlineData("SIP/2.0/UDP host;x=\"open", "parameter 'x': unterminated quoted string")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(ViaHeader.TryParse(text, out var via, out var error));
        Assert.Null(via);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void WithMethods_DeriveCopies()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bKold;rport", out var via, out _));

        var stamped = via.WithReceived("203.0.113.9").WithRport(40211);

        Assert.Equal("SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bKold;rport=40211;received=203.0.113.9", stamped.ToString());
        Assert.Equal(40211, stamped.Rport);
        Assert.Null(via.Rport);
        Assert.Equal("z9hG4bKnew", stamped.WithBranch("z9hG4bKnew").Branch);
        Assert.Equal("SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bKold;received=203.0.113.9", stamped.WithoutParameter("rport").ToString());
        Assert.Throws<ArgumentException>(() => via.WithReceived("not-an-ip"));
        Assert.Throws<ArgumentException>(() => via.WithParameter("ttl", "999"));
    }

    [Fact]
    public void Create_Components_WritesViaWithBranch()
    {
        var via = ViaHeader.Create("tls", "[2001:db8::5]", 5061, "z9hG4bKabc");

        Assert.Equal("SIP/2.0/TLS [2001:db8::5]:5061;branch=z9hG4bKabc", via.ToString());
        Assert.True(via.HasMagicCookie);
        Assert.Equal("[::1]", ViaHeader.Create("udp", "::1", null, "z9hG4bK1").Host);
        Assert.Throws<ArgumentException>(() => ViaHeader.Create("tls", "bad host", null, "z9hG4bK1"));
    }
}
