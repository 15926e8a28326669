using SipTrunk.Configuration;

namespace SipTrunk.Tests.Configuration;

public class SipTrunkOptionsValidatorTests
{
    private static readonly RuleTable Rules = new()
    {
        { "domain empty", o => o with { Domain = "" }, "Domain" },
        { "domain not a host", o => o with { Domain = "bad domain!" }, "Domain" },
        { "no enabled listener", o => o.WithListener(l => l with { Enabled = false }), "Listeners" },
        { "no listeners", o => o with { Listeners = [] }, "Listeners" },
        { "listener name empty", o => o.WithListener(l => l with { Name = "" }), "Listeners[0].Name" },
        { "listener duplicate name", o => o with { Listeners = [o.Listeners[0], o.Listeners[0] with { Port = 5062 }] }, "Listeners[1].Name" },
        { "listener transport undefined", o => o.WithListener(l => l with { Transport = (SipTransport)9 }), "Listeners[0].Transport" },
        { "listener address not IP", o => o.WithListener(l => l with { Address = "localhost" }), "Listeners[0].Address" },
        { "listener port 0", o => o.WithListener(l => l with { Port = 0 }), "Listeners[0].Port" },
        { "listener port too big", o => o.WithListener(l => l with { Port = 65536 }), "Listeners[0].Port" },
        {
            "listeners clash tls/tcp on wildcard",
            o => o with { Listeners = [o.Listeners[0], new ListenerOptions { Name = "tcp", Transport = SipTransport.Tcp, Address = "127.0.0.1", Port = 5061 }] },
            "Listeners[1].Port"
        },
        { "client certificate on udp", o => o with { Listeners = [o.Listeners[0], o.Listeners[1] with { ClientCertificate = ClientCertificateMode.Optional }] }, "Listeners[1].ClientCertificate" },
        { "tls certificate empty", o => o with { Tls = o.Tls with { Certificate = "" } }, "Tls.Certificate" },
        { "tls key empty", o => o with { Tls = o.Tls with { PrivateKey = "" } }, "Tls.PrivateKey" },
        { "tls no CA with mTLS listener", o => o with { Tls = o.Tls with { TrustedCaCertificates = [] } }, "Tls.TrustedCaCertificates" },
        { "tls min protocol undefined", o => o with { Tls = o.Tls with { MinProtocol = (TlsProtocolVersion)7 } }, "Tls.MinProtocol" },
        { "tls CBC suite", o => o with { Tls = o.Tls with { CipherSuites = ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"] } }, "Tls.CipherSuites[0]" },
        { "tls unknown suite", o => o with { Tls = o.Tls with { CipherSuites = ["TLS_AES_128_GCM_SHA256", "NOT_A_SUITE"] } }, "Tls.CipherSuites[1]" },
        { "tls handshake timeout 0", o => o with { Tls = o.Tls with { HandshakeTimeoutSeconds = 0 } }, "Tls.HandshakeTimeoutSeconds" },
        { "tls handshake timeout 61", o => o with { Tls = o.Tls with { HandshakeTimeoutSeconds = 61 } }, "Tls.HandshakeTimeoutSeconds" },
        { "tls expiry warning negative", o => o with { Tls = o.Tls with { CertificateExpiryWarningDays = -1 } }, "Tls.CertificateExpiryWarningDays" },
        { "peer name empty", o => o.WithPeer(p => p with { Name = " " }), "Peers[0].Name" },
        { "peer duplicate name", o => o with { Peers = [o.Peers[0], o.Peers[0] with { Numbers = [] }] }, "Peers[1].Name" },
        { "peer subject missing", o => o.WithPeer(p => p with { Certificate = new CertificateIdentityOptions() }), "Peers[0].Certificate.Subject" },
        { "peer fingerprint short", o => o.WithPeer(p => p with { Certificate = p.Certificate with { Sha256Fingerprint = "abcd" } }), "Peers[0].Certificate.Sha256Fingerprint" },
        { "peer fingerprint not hex", o => o.WithPeer(p => p with { Certificate = p.Certificate with { Sha256Fingerprint = new string('g', 64) } }), "Peers[0].Certificate.Sha256Fingerprint" },
        { "peer digest username empty", o => o.WithPeer(p => p with { Digest = new PeerDigestOptions { Ha1Sha256 = ValidOptions.Sha256Hex } }), "Peers[0].Digest.Username" },
        { "peer digest no HA1", o => o.WithPeer(p => p with { Digest = new PeerDigestOptions { Username = "u" } }), "Peers[0].Digest" },
        {
            "peer digest HA1 only for unlisted algorithm",
            o => o.WithPeer(p => p with { Digest = new PeerDigestOptions { Username = "u", Ha1Md5 = ValidOptions.Md5Hex } }) with { Digest = o.Digest with { Algorithms = ["SHA-256"] } },
            "Peers[0].Digest"
        },
        { "peer digest sha256 HA1 bad", o => o.WithPeer(p => p with { Digest = new PeerDigestOptions { Username = "u", Ha1Sha256 = "xyz" } }), "Peers[0].Digest.Ha1Sha256" },
        { "peer digest md5 HA1 bad", o => o.WithPeer(p => p with { Digest = new PeerDigestOptions { Username = "u", Ha1Sha256 = ValidOptions.Sha256Hex, Ha1Md5 = new string('b', 31) } }), "Peers[0].Digest.Ha1Md5" },
        { "peer network not CIDR", o => o.WithPeer(p => p with { AllowedNetworks = ["127.0.0.1"] }), "Peers[0].AllowedNetworks[0]" },
        { "peer network host bits", o => o.WithPeer(p => p with { AllowedNetworks = ["::1/128", "10.0.0.1/8"] }), "Peers[0].AllowedNetworks[1]" },
        { "peer number too long", o => o.WithPeer(p => p with { Numbers = ["+1234567890123456"] }), "Peers[0].Numbers[0]" },
        { "peer number not digits", o => o.WithPeer(p => p with { Numbers = ["44a"] }), "Peers[0].Numbers[0]" },
        { "peer number claimed twice", o => o with { Peers = [o.Peers[0], o.Peers[0] with { Name = "pbx-b", Certificate = new() { Subject = "pbx-b" } }] }, "Peers[1].Numbers[0]" },
        { "peer max concurrent 0", o => o.WithPeer(p => p with { MaxConcurrentCalls = 0 }), "Peers[0].MaxConcurrentCalls" },
        { "peer max cps 0", o => o.WithPeer(p => p with { MaxCallsPerSecond = 0 }), "Peers[0].MaxCallsPerSecond" },
        { "peer uri not sip", o => o.WithPeer(p => p with { Uri = "http://pbx.example" }), "Peers[0].Uri" },
        { "carrier name empty", o => o.WithCarrier(c => c with { Name = "" }) with { Routes = [] }, "Carriers[0].Name" },
        { "carrier duplicate name", o => o with { Carriers = [o.Carriers[0], o.Carriers[0]] }, "Carriers[1].Name" },
        { "carrier uri empty", o => o.WithCarrier(c => c with { Uri = "" }), "Carriers[0].Uri" },
        { "carrier uri http", o => o.WithCarrier(c => c with { Uri = "http://carrier.example" }), "Carriers[0].Uri" },
        { "carrier uri no host", o => o.WithCarrier(c => c with { Uri = "sips:" }), "Carriers[0].Uri" },
        { "carrier uri port 0", o => o.WithCarrier(c => c with { Uri = "sips:carrier.example:0" }), "Carriers[0].Uri" },
        { "carrier uri bad IPv6", o => o.WithCarrier(c => c with { Uri = "sips:[::1" }), "Carriers[0].Uri" },
        { "carrier tls server name", o => o.WithCarrier(c => c with { TlsServerName = "bad name!" }), "Carriers[0].TlsServerName" },
        { "carrier fingerprint", o => o.WithCarrier(c => c with { Certificate = new() { Sha256Fingerprint = "zz" } }), "Carriers[0].Certificate.Sha256Fingerprint" },
        { "carrier CAs empty list", o => o.WithCarrier(c => c with { TrustedCaCertificates = [] }), "Carriers[0].TrustedCaCertificates" },
        { "carrier CAs system plus file", o => o.WithCarrier(c => c with { TrustedCaCertificates = ["system", "/tmp/x.pem"] }), "Carriers[0].TrustedCaCertificates" },
        { "carrier CA file missing", o => o.WithCarrier(c => c with { TrustedCaCertificates = ["/nonexistent-siptrunk-test/carrier-ca.pem"] }), "Carriers[0].TrustedCaCertificates[0]" },
        { "carrier priority negative", o => o.WithCarrier(c => c with { Priority = -1 }), "Carriers[0].Priority" },
        { "carrier weight too big", o => o.WithCarrier(c => c with { Weight = 65536 }), "Carriers[0].Weight" },
        { "carrier all weights 0", o => o.WithCarrier(c => c with { Weight = 0 }), "Carriers[0].Weight" },
        { "carrier auth half set", o => o.WithCarrier(c => c with { Auth = new CarrierAuthOptions { Username = "u" } }), "Carriers[0].Auth" },
        { "carrier srtp undefined", o => o.WithCarrier(c => c with { Srtp = (SrtpPolicy)9 }), "Carriers[0].Srtp" },
        { "carrier health interval negative", o => o.WithCarrier(c => c with { HealthCheck = new() { OptionsIntervalSeconds = -1 } }), "Carriers[0].HealthCheck.OptionsIntervalSeconds" },
        { "timers T1 too small", o => o with { Timers = new() { T1Milliseconds = 10 } }, "Timers.T1Milliseconds" },
        { "timers T2 below T1", o => o with { Timers = new() { T1Milliseconds = 1000, T2Milliseconds = 500 } }, "Timers.T2Milliseconds" },
        { "timers T4 zero", o => o with { Timers = new() { T4Milliseconds = 0 } }, "Timers.T4Milliseconds" },
        { "message limit above a datagram", o => o with { Limits = new() { MaxMessageBytes = 70000 } }, "Limits.MaxMessageBytes" },
        { "carrier health failures 0", o => o.WithCarrier(c => c with { HealthCheck = new() { FailuresBeforeDown = 0 } }), "Carriers[0].HealthCheck.FailuresBeforeDown" },
        { "carrier max concurrent 0", o => o.WithCarrier(c => c with { MaxConcurrentCalls = 0 }), "Carriers[0].MaxConcurrentCalls" },
        { "route prefix bad", o => o with { Routes = [o.Routes[0] with { Prefix = "44x" }] }, "Routes[0].Prefix" },
        { "route prefix duplicate", o => o with { Routes = [o.Routes[0], o.Routes[0]] }, "Routes[1].Prefix" },
        { "route without carriers", o => o with { Routes = [o.Routes[0] with { Carriers = [] }] }, "Routes[0].Carriers" },
        { "route unknown carrier", o => o with { Routes = [o.Routes[0] with { Carriers = ["carrier-1", "carrier-2"] }] }, "Routes[0].Carriers[1]" },
        { "route carrier twice", o => o with { Routes = [o.Routes[0] with { Carriers = ["carrier-1", "carrier-1"] }] }, "Routes[0].Carriers[1]" },
        { "failover code 2xx", o => o with { Routing = o.Routing with { FailoverOnCodes = [503, 200] } }, "Routing.FailoverOnCodes[1]" },
        { "failover code 700", o => o with { Routing = o.Routing with { FailoverOnCodes = [700] } }, "Routing.FailoverOnCodes[0]" },
        { "invite timeout 0", o => o with { Routing = o.Routing with { InviteTimeoutSeconds = 0 } }, "Routing.InviteTimeoutSeconds" },
        { "invite timeout 301", o => o with { Routing = o.Routing with { InviteTimeoutSeconds = 301 } }, "Routing.InviteTimeoutSeconds" },
        { "normalization undefined", o => o with { Routing = o.Routing with { NumberNormalization = (NumberNormalization)5 } }, "Routing.NumberNormalization" },
        { "digest realm empty", o => o with { Digest = o.Digest with { Realm = "" } }, "Digest.Realm" },
        { "digest no algorithms", o => o with { Digest = o.Digest with { Algorithms = [] } }, "Digest.Algorithms" },
        { "digest unknown algorithm", o => o with { Digest = o.Digest with { Algorithms = ["SHA-256", "SHA-1"] } }, "Digest.Algorithms[1]" },
        { "digest duplicate algorithm", o => o with { Digest = o.Digest with { Algorithms = ["MD5", "md5"] } }, "Digest.Algorithms[1]" },
        { "digest nonce lifetime 1", o => o with { Digest = o.Digest with { NonceLifetimeSeconds = 1 } }, "Digest.NonceLifetimeSeconds" },
        { "digest nonce lifetime 3601", o => o with { Digest = o.Digest with { NonceLifetimeSeconds = 3601 } }, "Digest.NonceLifetimeSeconds" },
        { "media address", o => o with { Media = o.Media with { Address = "any" } }, "Media.Address" },
        { "media advertised wildcard", o => o with { Media = o.Media with { AdvertisedAddress = "0.0.0.0" } }, "Media.AdvertisedAddress" },
        { "media advertised not IP", o => o with { Media = o.Media with { AdvertisedAddress = "media.example" } }, "Media.AdvertisedAddress" },
        { "media port min low", o => o with { Media = o.Media with { PortRange = new() { Min = 80, Max = 29999 } } }, "Media.PortRange.Min" },
        { "media port max high", o => o with { Media = o.Media with { PortRange = new() { Min = 20000, Max = 70000 } } }, "Media.PortRange.Max" },
        { "media range too small", o => o with { Media = o.Media with { PortRange = new() { Min = 20000, Max = 20002 } } }, "Media.PortRange" },
        { "media range inverted", o => o with { Media = o.Media with { PortRange = new() { Min = 30000, Max = 20000 } } }, "Media.PortRange" },
        { "media srtp mode undefined", o => o with { Media = o.Media with { SrtpMode = (SrtpMode)3 } }, "Media.SrtpMode" },
        { "media inactivity 4", o => o with { Media = o.Media with { InactivityTimeoutSeconds = 4 } }, "Media.InactivityTimeoutSeconds" },
        { "limits message small", o => o with { Limits = o.Limits with { MaxMessageBytes = 1023 } }, "Limits.MaxMessageBytes" },
        { "limits message big", o => o with { Limits = o.Limits with { MaxMessageBytes = 1048577 } }, "Limits.MaxMessageBytes" },
        { "limits connections 0", o => o with { Limits = o.Limits with { MaxConnectionsPerIp = 0 } }, "Limits.MaxConnectionsPerIp" },
        { "limits partial 0", o => o with { Limits = o.Limits with { PartialMessageSeconds = 0 } }, "Limits.PartialMessageSeconds" },
        { "limits idle 0", o => o with { Limits = o.Limits with { IdleConnectionSeconds = 0 } }, "Limits.IdleConnectionSeconds" },
        { "limits auth failures 0", o => o with { Limits = o.Limits with { AuthFailuresBeforeBan = 0 } }, "Limits.AuthFailuresBeforeBan" },
        { "limits ban 0", o => o with { Limits = o.Limits with { BanSeconds = 0 } }, "Limits.BanSeconds" },
        { "limits request rate 0", o => o with { Limits = o.Limits with { RequestsPerSecondPerIp = 0 } }, "Limits.RequestsPerSecondPerIp" },
        { "limits request burst 0", o => o with { Limits = o.Limits with { RequestBurstPerIp = 0 } }, "Limits.RequestBurstPerIp" },
        { "sip user agent with newline", o => o with { Sip = new() { UserAgent = "SipTrunk\r\nX-Injected: 1" } }, "Sip.UserAgent" },
        { "sip user agent too long", o => o with { Sip = new() { UserAgent = new string('a', 129) } }, "Sip.UserAgent" },
        { "storage provider undefined", o => o with { Storage = o.Storage with { Provider = (StorageProvider)4 } }, "Storage.Provider" },
        { "storage connection string empty", o => o with { Storage = o.Storage with { ConnectionString = " " } }, "Storage.ConnectionString" },
        { "storage retention 0", o => o with { Storage = o.Storage with { RetentionDays = 0 } }, "Storage.RetentionDays" },
        { "admin url not http", o => o with { Admin = new() { Urls = "ftp://127.0.0.1:8080" } }, "Admin.Urls" },
        { "admin url relative", o => o with { Admin = new() { Urls = "127.0.0.1:8080" } }, "Admin.Urls" },
        { "admin url with path", o => o with { Admin = new() { Urls = "http://127.0.0.1:8080/admin" } }, "Admin.Urls" },
        { "admin urls empty", o => o with { Admin = new() { Urls = "" } }, "Admin.Urls" },
        { "admin any address without token", o => o with { Admin = new() { Urls = "http://0.0.0.0:8080" } }, "Admin.Token" },
        { "admin public IP without token", o => o with { Admin = new() { Urls = "http://127.0.0.1:8080;https://192.0.2.10:8443" } }, "Admin.Token" },
        { "admin kestrel wildcard without token", o => o with { Admin = new() { Urls = "http://*:8080" } }, "Admin.Token" },
        { "admin host name without token", o => o with { Admin = new() { Urls = "http://admin.example.net:8080" } }, "Admin.Token" },
        { "drain negative", o => o with { DrainSeconds = -1 }, "DrainSeconds" },
        { "drain too long", o => o with { DrainSeconds = 3601 }, "DrainSeconds" },
    };

    public static TheoryData<string> BrokenRules => new(Rules.Keys);

    [Fact]
    public void Validate_ValidOptions_NoProblems()
    {
        Assert.Empty(SipTrunkOptionsValidator.Validate(ValidOptions.Create()));
    }

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void Validate_BrokenRule_ReportsExactlyThatKey(string rule)
    {
        var (breakRule, expectedKey) = Rules[rule];

        var problems = SipTrunkOptionsValidator.Validate(breakRule(ValidOptions.Create()));

        var problem = Assert.Single(problems);
        Assert.True(problem.Key == expectedKey, $"{rule}: expected {expectedKey}, got {problem}");
        Assert.False(string.IsNullOrWhiteSpace(problem.Reason));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var options = ValidOptions.Create()
            .WithListener(l => l with { Port = 0 })
            .WithCarrier(c => c with { Uri = "http://x" })
            with
        {
            Domain = "",
            Routes = [new RouteOptions { Prefix = "+44", Carriers = ["nope"] }],
            DrainSeconds = -5,
        };

        var keys = SipTrunkOptionsValidator.Validate(options).Select(p => p.Key).ToArray();

        Assert.Equal(["Domain", "Listeners[0].Port", "Carriers[0].Uri", "Routes[0].Carriers[0]", "DrainSeconds"], keys);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.2:8080")]
    [InlineData("http://localhost:8080")]
    [InlineData("https://[::1]:8443")]
    [InlineData("http://127.0.0.1:8080; http://[::1]:8080")]
    public void Validate_LoopbackAdminUrlWithoutToken_NoProblems(string urls)
    {
        var options = ValidOptions.Create() with { Admin = new AdminOptions { Urls = urls } };

        Assert.Empty(SipTrunkOptionsValidator.Validate(options));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://*:8080")]
    [InlineData("https://admin.example.net")]
    public void Validate_NonLoopbackAdminUrlWithToken_NoProblems(string urls)
    {
        var options = ValidOptions.Create() with { Admin = new AdminOptions { Urls = urls, Token = "a-long-random-token" } };

        Assert.Empty(SipTrunkOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_UdpAndTlsOnSamePort_NoProblems()
    {
        var options = ValidOptions.Create() with
        {
            Listeners =
            [
                new ListenerOptions { Name = "tls", Transport = SipTransport.Tls, Address = "0.0.0.0", Port = 5061 },
                new ListenerOptions { Name = "udp", Transport = SipTransport.Udp, Address = "0.0.0.0", Port = 5061 },
                new ListenerOptions { Name = "tcp-off", Transport = SipTransport.Tcp, Address = "0.0.0.0", Port = 5061, Enabled = false },
            ],
        };

        Assert.Empty(SipTrunkOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_ColonSeparatedFingerprintAndSystemCarrierStore_NoProblems()
    {
        var fingerprint = string.Join(':', Enumerable.Repeat("AB", 32));
        var options = ValidOptions.Create()
            .WithPeer(p => p with { Certificate = p.Certificate with { Sha256Fingerprint = fingerprint } })
            .WithCarrier(c => c with { TrustedCaCertificates = ["system"], Auth = new CarrierAuthOptions { Username = "u", Password = "p" } });

        Assert.Empty(SipTrunkOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_PeerDigestWithBothHa1_NoProblems()
    {
        var options = ValidOptions.Create().WithPeer(p => p with
        {
            Digest = new PeerDigestOptions { Username = "pbx-a", Ha1Sha256 = ValidOptions.Sha256Hex, Ha1Md5 = ValidOptions.Md5Hex },
        });

        Assert.Empty(SipTrunkOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_CertificateFilesMissingWithoutAutoGenerate_ReportsEachFile()
    {
        var options = ValidOptions.Create() with { Tls = ValidOptions.Create().Tls with { AutoGenerateDevCertificates = false } };

        var problems = SipTrunkOptionsValidator.Validate(options);

        Assert.Equal(["Tls.Certificate", "Tls.PrivateKey", "Tls.TrustedCaCertificates[0]"], problems.Select(p => p.Key));
        Assert.All(problems, p => Assert.Contains("file not found", p.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CarrierCaThatDevPkiWillCreate_NoProblems()
    {
        var options = ValidOptions.Create();
        options = options.WithCarrier(c => c with { TrustedCaCertificates = [options.Tls.TrustedCaCertificates[0]] });

        Assert.Empty(SipTrunkOptionsValidator.Validate(options));
    }

    private sealed class RuleTable : Dictionary<string, (Func<SipTrunkOptions, SipTrunkOptions> Break, string Key)>
    {
        public void Add(string rule, Func<SipTrunkOptions, SipTrunkOptions> breakRule, string key) => Add(rule, (breakRule, key));
    }
}
