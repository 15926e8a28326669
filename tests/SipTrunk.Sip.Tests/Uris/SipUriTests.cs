using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Tests.Uris;

public sealed class SipUriTests
{
    // RFC 3261 §19.1.3 examples.
    [Theory]
    [InlineData("sip:alice@atlanta.com", "alice", null, "atlanta.com", null)]
    [InlineData("sip:alice:secretword@atlanta.com;transport=tcp", "alice", "secretword", "atlanta.com", null)]
    [InlineData("sips:alice@atlanta.com?subject=project%20x&priority=urgent", "alice", null, "atlanta.com", null)]
    [InlineData("sip:+1-212-555-1212:1234@gateway.com;user=phone", "+1-212-555-1212", "1234", "gateway.com", null)]
    [InlineData("sips:1212@gateway.com", "1212", null, "gateway.com", null)]
    [InlineData("sip:alice@192.0.2.4", "alice", null, "192.0.2.4", null)]
    [InlineData("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", null, null, "atlanta.com", null)]
    [InlineData("sip:alice;day=tuesday@atlanta.com", "alice;day=tuesday", null, "atlanta.com", null)]
    [InlineData("sip:alice@atlanta.com:5061", "alice", null, "atlanta.com", 5061)]
    public void TryParse_Rfc3261Examples_ParsesComponents(string text, string? user, string? password, string host, int? port)
    {
        Assert.True(SipUri.TryParse(text, out var uri, out var error), error);
        Assert.Equal(user, uri.User);
        Assert.Equal(password, uri.Password);
        Assert.Equal(host, uri.Host);
        Assert.Equal(port, uri.Port);
        Assert.Null(error);
    }

    [Fact]
    public void TryParse_SipsWithHeaders_UnescapesHeaderValues()
    {
        var uri = SipUri.Parse("sips:alice@atlanta.com?subject=project%20x&priority=urgent");

        Assert.True(uri.IsSecure);
        Assert.Equal("sips", uri.Scheme);
        Assert.Equal(2, uri.Headers.Count);
        Assert.Equal("project x", uri.Headers["subject"]);
        Assert.Equal("urgent", uri.Headers["Priority"]);
    }

    [Fact]
    public void TryParse_KnownParameters_ExposedAsProperties()
    {
        var uri = SipUri.Parse("sip:+15551234@gw.example.com;user=phone;transport=TLS;lr;maddr=192.0.2.1;method=INVITE;ttl=15");

        Assert.Equal("phone", uri.UserParameter);
        Assert.Equal("TLS", uri.Transport);
        Assert.True(uri.IsLooseRouting);
        Assert.Equal("192.0.2.1", uri.Maddr);
        Assert.Equal("INVITE", uri.Method);
        Assert.True(uri.Parameters.TryGetValue("LR", out var lr));
        Assert.Null(lr);
        Assert.Equal(6, uri.Parameters.Count);
    }

    [Fact]
    public void TryParse_EscapedAtInUserParameter_KeepsWholeUserPart()
    {
        // RFC 4475 §3.1.1.6 ("escnull"-like) style: the user part contains ";par=u@example.net" escaped.
        var uri = SipUri.Parse("sip:user;par=u%40example.net@example.com");

        Assert.Equal("user;par=u@example.net", uri.User);
        Assert.Equal("example.com", uri.Host);
        Assert.Empty(uri.Parameters);
        Assert.Equal("sip:user;par=u%40example.net@example.com", uri.ToString());
    }

    [Fact]
    public void TryParse_EscapedCharactersInUser_Unescapes()
    {
        var uri = SipUri.Parse("sip:sips%3Auser%40example.com@example.net");

        Assert.Equal("sips:user@example.com", uri.User);
        Assert.Equal("sip:sips%3Auser%40example.com@example.net", uri.ToString());
    }

    [Fact]
    public void TryParse_EscapedNull_KeptAsCharacter()
    {
        var uri = SipUri.Parse("sip:null-%00-null@example.com");

        Assert.Equal("null-\0-null", uri.User);
        Assert.Equal("sip:null-%00-null@example.com", uri.ToString());
    }

    [Fact]
    public void ToString_UnnecessaryEscapes_Normalized()
    {
        Assert.Equal("sip:alice@atlanta.com;transport=TCP", SipUri.Parse("sip:%61lice@atlanta.com;transport=TCP").ToString());
    }

    [Theory]
    [InlineData("sip:[2001:db8::10]:5070", "[2001:db8::10]", 5070)]
    [InlineData("sip:[2001:db8::10:5070]", "[2001:db8::10:5070]", null)]
    [InlineData("sip:alice@[2001:db8::10]", "[2001:db8::10]", null)]
    [InlineData("sips:[::1]", "[::1]", null)]
    [InlineData("sip:[2001:db8::192.0.2.1];transport=tcp", "[2001:db8::192.0.2.1]", null)]
    public void TryParse_Rfc5118IPv6Reference_KeepsBrackets(string text, string host, int? port)
    {
        Assert.True(SipUri.TryParse(text, out var uri, out var error), error);
        Assert.Equal(host, uri.Host);
        Assert.Equal(UriHostKind.IPv6, uri.HostKind);
        Assert.Equal(port, uri.Port);
        Assert.Equal(text, uri.ToString());
    }

    [Fact]
    public void Equals_Rfc5118PortInsideBrackets_DiffersFromPortOutside()
    {
        // RFC 5118 §4.9/§4.10: [2001:db8::10:5070] is an address with no port, not address 2001:db8::10 port 5070.
        Assert.NotEqual(SipUri.Parse("sip:[2001:db8::10:5070]"), SipUri.Parse("sip:[2001:db8::10]:5070"));
    }

    [Theory]
    [InlineData("sip:alice@atlanta.com", UriHostKind.Domain)]
    [InlineData("sip:alice@atlanta.com.", UriHostKind.Domain)]
    [InlineData("sip:alice@192.0.2.4", UriHostKind.IPv4)]
    [InlineData("sip:alice@[::ffff:192.0.2.4]", UriHostKind.IPv6)]
    public void TryParse_HostForms_ReportsKind(string text, UriHostKind kind)
    {
        Assert.Equal(kind, SipUri.Parse(text).HostKind);
    }

    [Theory]
    [InlineData("sip:", "missing host")]
    [InlineData("sip:alice@", "missing host")]
    [InlineData("sip:alice@;transport=tcp", "missing host")]
    [InlineData("sip:@atlanta.com", "empty user part")]
    [InlineData("sip:alice@atlanta.com:", "bad port")]
    [InlineData("sip:alice@atlanta.com:65536", "port out of range")]
    [InlineData("sip:alice@atlanta.com:50x0", "bad port")]
    [InlineData("sip:alice@atlanta.com:-1", "bad port")]
    [InlineData("sip:al%4ice@atlanta.com", "bad escape sequence in user part")]
    [InlineData("sip:alice%2@atlanta.com", "bad escape sequence in user part")]
    [InlineData("sip:alice@atlanta.com;x=%zz", "bad escape sequence in URI parameter")]
    [InlineData("sip:alice @atlanta.com", "URI contains whitespace")]
    [InlineData("sip:alice@atlanta.com\r\n", "URI contains whitespace")]
    [InlineData("sip:alice@atl\u0001anta.com", "invalid character U+0001 in URI")]
    [InlineData("sip:user@2001:db8::10", "IPv6 address must be enclosed in []")]
    [InlineData("sip:[2001:db8::10", "unterminated IPv6 reference")]
    [InlineData("sip:[2001:db8:::10]", "invalid IPv6 reference")]
    [InlineData("sip:[2001:db8::10]x", "unexpected characters after IPv6 reference")]
    [InlineData("sip:[fe80::1%25eth0]", "invalid IPv6 reference")]
    [InlineData("sip:alice@256.0.0.1", "invalid IPv4 address")]
    [InlineData("sip:alice@1.2.3", "invalid IPv4 address")]
    [InlineData("sip:alice@-atlanta.com", "invalid host name")]
    [InlineData("sip:alice@atlanta..com", "invalid host name")]
    [InlineData("sip:alice@atlanta.123", "invalid host name")]
    [InlineData("sip:alice@atl_anta.com", "invalid character '_' in host")]
    [InlineData("sip:alice@atlanta.com;", "empty URI parameter")]
    [InlineData("sip:alice@atlanta.com;=x", "empty URI parameter name")]
    [InlineData("sip:alice@atlanta.com;lr;lr", "duplicate parameter 'lr'")]
    [InlineData("sip:alice@atlanta.com;ttl=256", "invalid ttl parameter")]
    [InlineData("sip:alice@atlanta.com;maddr=bad_host", "invalid maddr parameter")]
    [InlineData("sip:alice@atlanta.com;transport", "invalid transport parameter")]
    [InlineData("sip:alice@atlanta.com;transport=", "empty value for URI parameter 'transport'")]
    [InlineData("sip:alice@atlanta.com?", "URI header must be name=value")]
    [InlineData("sip:alice@atlanta.com?subject", "URI header must be name=value")]
    [InlineData("sip:alice@atlanta.com?a=b@c", "invalid character '@' in URI header")]
    [InlineData("sip:a@b@atlanta.com", "invalid character '@' in host")]
    [InlineData("tel:+1234", "not a sip or sips URI")]
    [InlineData("sip:alice<@atlanta.com", "invalid character '<' in user part")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(SipUri.TryParse(text, out var uri, out var error));
        Assert.Null(uri);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_TooLong_ReturnsFalse()
    {
        var text = "sip:" + new string('a', AbsoluteUri.MaxLength) + "@example.com";

        Assert.False(SipUri.TryParse(text, out _, out var error));
        Assert.Equal("URI too long", error);
    }

    [Fact]
    public void TryParse_MaxLengthExactly_Accepted()
    {
        var suffix = "@example.com";
        var text = "sip:" + new string('a', AbsoluteUri.MaxLength - 4 - suffix.Length) + suffix;

        Assert.Equal(AbsoluteUri.MaxLength, text.Length);
        Assert.True(SipUri.TryParse(text, out _, out _));
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        var exception = Assert.Throws<FormatException>(() => SipUri.Parse("sip:alice@"));
        Assert.Contains("missing host", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sip:alice@atlanta.com")]
    [InlineData("sip:alice:secretword@atlanta.com;transport=tcp")]
    [InlineData("sips:alice@atlanta.com?subject=project%20x&priority=urgent")]
    [InlineData("sip:+1-212-555-1212:1234@gateway.com;user=phone")]
    [InlineData("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com")]
    [InlineData("sip:alice;day=tuesday@atlanta.com")]
    [InlineData("sip:proxy.example.net;lr")]
    [InlineData("sip:[2001:db8::10]:5070;transport=tls;lr")]
    [InlineData("sip:a%20b@x.example;p%3Bq=v%3Dw?h%26=v%3D")]
    [InlineData("sip:user@host;param=[x]:y/z&+$")]
    [InlineData("sip:host?Route=%3Csip:a%3E&Route=%3Csip:b%3E")]
    public void ToString_WireForm_RoundTrips(string text)
    {
        var uri = SipUri.Parse(text);

        Assert.Equal(text, uri.ToString());
        Assert.Equal(uri, SipUri.Parse(uri.ToString()));
    }

    [Fact]
    public void ToString_SchemeUpperCase_WrittenLowerCase()
    {
        Assert.Equal("sips:bob@biloxi.com", SipUri.Parse("SIPS:bob@biloxi.com").ToString());
    }

    [Fact]
    public void WithUser_ReservedCharacters_EscapedInWireForm()
    {
        var uri = SipUri.Create("example.com").WithUser("a b@c\u00e9");

        Assert.Equal("sip:a%20b%40c%E9@example.com", uri.ToString());
        Assert.Equal("a b@c\u00e9", SipUri.Parse(uri.ToString()).User);
    }

    [Fact]
    public void WithMethods_DeriveCopies_LeaveOriginalUnchanged()
    {
        var original = SipUri.Parse("sip:alice@atlanta.com?subject=x");

        var changed = original.WithHost("[2001:db8::1]").WithPort(5061).WithScheme(true)
            .WithParameter("transport", "tls").WithParameter("lr", null).WithoutHeaders().WithUser("bob");

        Assert.Equal("sips:bob@[2001:db8::1]:5061;transport=tls;lr", changed.ToString());
        Assert.Equal(UriHostKind.IPv6, changed.HostKind);
        Assert.Equal("sip:alice@atlanta.com?subject=x", original.ToString());
        Assert.Equal("sips:bob@[2001:db8::1]:5061;lr", changed.WithoutParameter("TRANSPORT").ToString());
        Assert.Equal("sips:[2001:db8::1]:5061;transport=tls;lr", changed.WithUser(null).ToString());
        Assert.Equal("sips:bob@[2001:db8::1];transport=tls;lr", changed.WithPort(null).ToString());
    }

    [Fact]
    public void WithParameter_Existing_ReplacedInPlace()
    {
        var uri = SipUri.Parse("sip:a@b;transport=udp;lr").WithParameter("Transport", "tcp");

        Assert.Equal("sip:a@b;transport=tcp;lr", uri.ToString());
    }

    [Theory]
    [InlineData("bad host")]
    [InlineData("2001:db8:::1")]
    [InlineData("[2001:db8::1")]
    [InlineData("")]
    public void WithHost_Invalid_Throws(string host)
    {
        Assert.Throws<ArgumentException>(() => SipUri.Create("example.com").WithHost(host));
    }

    [Fact]
    public void WithHost_BareIPv6_Bracketed()
    {
        var uri = SipUri.Create("example.com").WithHost("2001:db8::1");

        Assert.Equal("[2001:db8::1]", uri.Host);
        Assert.Equal(UriHostKind.IPv6, uri.HostKind);
        Assert.Equal("sip:[::1]:5061", SipUri.Create("::1", 5061).ToString());
    }

    [Fact]
    public void WithPort_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SipUri.Create("example.com").WithPort(70000));
    }

    [Fact]
    public void Create_Components_BuildsUri()
    {
        var uri = SipUri.Create("trunk.example.net", 5061, "+441632960000", secure: true);

        Assert.Equal("sips:+441632960000@trunk.example.net:5061", uri.ToString());
    }
}
