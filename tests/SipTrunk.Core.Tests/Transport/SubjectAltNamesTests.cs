using System.Net;
using SipTrunk.Core.Certificates;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Tests.Transport;

public sealed class SubjectAltNamesTests
{
    private readonly DevCertificateAuthority _ca = DevCertificateAuthority.Create();

    [Theory]
    [InlineData("carrier-1", true)]
    [InlineData("CARRIER-1.", true)]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[127.0.0.1]", true)]
    [InlineData("carrier-2", false)]
    [InlineData("x.carrier-1", false)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::1", false)]
    public void Matches_CarrierCertificate_DnsAndIpSansOnly(string name, bool expected)
    {
        using var certificate = _ca.Issue(CertificateRequestSpec.ForCarrier("carrier-1")).ToX509Certificate2();

        Assert.Equal(expected, SubjectAltNames.Read(certificate).Matches(name));
    }

    [Fact]
    public void Matches_WildcardSan_IsNotAcceptedForSipDomains()
    {
        var spec = new CertificateRequestSpec { CommonName = "wild", DnsNames = ["*.example.net"] };
        using var certificate = _ca.Issue(spec).ToX509Certificate2();

        Assert.False(SubjectAltNames.Read(certificate).Matches("sip.example.net"));
    }

    [Fact]
    public void Matches_SipUriSan_MatchesItsDomainButNotAUserUri()
    {
        var spec = new CertificateRequestSpec
        {
            CommonName = "ignored.example",
            Uris = [new Uri("sip:example.net"), new Uri("sip:alice@other.example")],
        };
        using var certificate = _ca.Issue(spec).ToX509Certificate2();
        var names = SubjectAltNames.Read(certificate);

        Assert.True(names.Matches("example.net"));
        Assert.False(names.Matches("other.example"));
        Assert.False(names.Matches("ignored.example"));
        Assert.Equal(["sip:example.net", "sip:alice@other.example"], names.PeerIdentities);
    }

    [Fact]
    public void Matches_NoSanAtAll_FallsBackToTheCommonName()
    {
        using var certificate = _ca.Issue(new CertificateRequestSpec { CommonName = "legacy.example" }).ToX509Certificate2();
        var names = SubjectAltNames.Read(certificate);

        Assert.True(names.Matches("legacy.example"));
        Assert.Equal(["legacy.example"], names.PeerIdentities);
    }

    [Fact]
    public void PeerIdentities_DnsThenUris_WithoutTheCommonName()
    {
        var spec = new CertificateRequestSpec
        {
            CommonName = "cn-only",
            DnsNames = ["pbx-a.example"],
            Uris = [new Uri("sip:pbx-a@example.net")],
            IPAddresses = [IPAddress.Loopback],
        };
        using var certificate = _ca.Issue(spec).ToX509Certificate2();

        Assert.Equal(["pbx-a.example", "sip:pbx-a@example.net"], SubjectAltNames.Read(certificate).PeerIdentities);
    }
}
