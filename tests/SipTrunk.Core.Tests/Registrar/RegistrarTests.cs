using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Auth;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Core.Tests.Transport;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;
using static SipTrunk.Core.Tests.Registrar.RegisterRequests;
using SipRegistrar = SipTrunk.Core.Registrar.Registrar;

namespace SipTrunk.Core.Tests.Registrar;

public sealed class RegistrarTests
{
    private const string Instance = "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly LocationService _locations;
    private readonly SipRegistrar _registrar;
    private readonly TestFlow _flow;
    private readonly PeerDefinition _peer = new()
    {
        Name = "pbx1",
        CertificateSubject = "pbx1.example.com",
        Credentials = new PeerCredentials("pbx1-digest", null, null),
    };

    public RegistrarTests()
    {
        _locations = new LocationService(new MemoryRegistrationStore(), _time, new ListLogger<LocationService>());
        _registrar = new SipRegistrar(new RegistrarSettings(), _locations, _time);
        _flow = new TestFlow(SipTransportKind.Tls, _time, id: 7);
    }

    [Fact]
    public void Register_NewContact_BindsWithFlowAndReturnsContactAndDate()
    {
        var result = Register("Contact: <sip:pbx1@192.0.2.10:5061;transport=tls>\r\nExpires: 600\r\n");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(["<sip:pbx1@192.0.2.10:5061;transport=tls>;expires=600"], Values(result, HeaderId.Contact));
        Assert.Equal(["Sun, 01 Mar 2026 12:00:00 GMT"], Values(result, HeaderId.Date));
        Assert.Empty(Values(result, HeaderId.Require));
        var binding = Assert.Single(_locations.Get(Aor));
        Assert.Equal("pbx1", binding.Peer);
        Assert.Equal(Aor, binding.Aor);
        Assert.Equal("sip:pbx1@192.0.2.10:5061;transport=tls", binding.ContactUri);
        Assert.Equal(_time.GetUtcNow().AddSeconds(600), binding.ExpiresAt);
        Assert.Equal("reg-1@pbx.example.com", binding.CallId);
        Assert.Equal(1, binding.CSeq);
        Assert.Equal(7, binding.FlowId);
        Assert.Equal(_flow.RemoteEndPoint.ToString(), binding.RemoteEndPoint);
        Assert.Equal("tls", binding.Transport);
        Assert.Equal("TestPBX/2.1", binding.UserAgent);
        Assert.Equal(_time.GetUtcNow(), binding.UpdatedAt);
        Assert.Null(binding.Q);
        Assert.Null(binding.RegId);
    }

    [Fact]
    public void Register_NoExpiresAnywhere_UsesDefault()
    {
        Register("Contact: <sip:pbx1@192.0.2.10>\r\n");

        Assert.Equal(_time.GetUtcNow().AddHours(1), Assert.Single(_locations.Get(Aor)).ExpiresAt);
    }

    [Fact]
    public void Register_ContactParameterAndHeader_ParameterWins()
    {
        Register("Contact: <sip:pbx1@192.0.2.10>;expires=120\r\nExpires: 900\r\n");

        Assert.Equal(_time.GetUtcNow().AddSeconds(120), Assert.Single(_locations.Get(Aor)).ExpiresAt);
    }

    [Fact]
    public void Register_Refresh_ExtendsExpiryAndReportsRemainingRoundedDown()
    {
        Register("Contact: <sip:pbx1@192.0.2.10>\r\nExpires: 600\r\n", cseq: 1);
        _time.Advance(TimeSpan.FromSeconds(300));

        var result = Register("Contact: <sip:pbx1@192.0.2.10>\r\nExpires: 600\r\n", cseq: 2);
        _time.Advance(TimeSpan.FromSeconds(10.5));
        var query = Register("", cseq: 3);

        Assert.Equal(200, result.StatusCode);
        var binding = Assert.Single(_locations.Get(Aor));
        Assert.Equal(2, binding.CSeq);
        Assert.Equal(["<sip:pbx1@192.0.2.10>;expires=589"], Values(query, HeaderId.Contact));
    }

    [Fact]
    public void Register_NoContact_ReturnsBindingsWithoutChangingThem()
    {
        Register("Contact: <sip:a@192.0.2.10>, <sip:b@192.0.2.10>\r\nExpires: 600\r\n");
        var before = _locations.Get(Aor);

        var result = Register("", cseq: 2);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(["<sip:a@192.0.2.10>;expires=600", "<sip:b@192.0.2.10>;expires=600"], Values(result, HeaderId.Contact));
        Assert.Equal(before, _locations.Get(Aor));
    }

    [Fact]
    public void Register_ContactsOnSeveralLinesAndCommas_BindsEach()
    {
        var result = Register(
            "Contact: <sip:a@192.0.2.10>;q=0.5, \"B\" <sip:b@192.0.2.10;transport=tls>\r\n"
            + "m: <sip:c@192.0.2.10>;expires=300\r\nExpires: 600\r\n");

        Assert.Equal(3, Values(result, HeaderId.Contact).Count);
        var bindings = _locations.Get(Aor);
        Assert.Equal(["sip:a@192.0.2.10", "sip:b@192.0.2.10;transport=tls", "sip:c@192.0.2.10"], bindings.Select(b => b.ContactUri));
        Assert.Equal(0.5, bindings[0].Q);
        Assert.Equal(_time.GetUtcNow().AddSeconds(300), bindings[2].ExpiresAt);
    }

    [Fact]
    public void Register_ExpiresZeroOnOneContact_RemovesOnlyThatBinding()
    {
        Register("Contact: <sip:a@192.0.2.10>, <sip:b@192.0.2.10>\r\n");

        var result = Register("Contact: <sip:a@192.0.2.10>;expires=0\r\n", cseq: 2);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(["sip:b@192.0.2.10"], _locations.Get(Aor).Select(b => b.ContactUri));
        Assert.Equal(["<sip:b@192.0.2.10>;expires=3600"], Values(result, HeaderId.Contact));
    }

    [Fact]
    public void Register_EquivalentUri_UpdatesTheSameBinding()
    {
        Register("Contact: <sip:pbx1@PBX.example.com;transport=tls;foo=1>\r\n");

        Register("Contact: <sip:pbx1@pbx.example.com;transport=TLS>\r\nExpires: 120\r\n", cseq: 2);

        var binding = Assert.Single(_locations.Get(Aor));
        Assert.Equal(2, binding.CSeq);
    }

    [Fact]
    public void Register_WildcardWithExpiresZero_RemovesEveryBinding()
    {
        Register("Contact: <sip:a@192.0.2.10>, <sip:b@192.0.2.10>\r\n");

        var result = Register("Contact: *\r\nExpires: 0\r\n", cseq: 2);

        Assert.Equal(200, result.StatusCode);
        Assert.Empty(Values(result, HeaderId.Contact));
        Assert.Empty(_locations.Get(Aor));
    }

    [Theory]
    [InlineData("Contact: *\r\n")]
    [InlineData("Contact: *\r\nExpires: 60\r\n")]
    [InlineData("Contact: *, <sip:a@192.0.2.10>\r\nExpires: 0\r\n")]
    [InlineData("Contact: *\r\nContact: *\r\nExpires: 0\r\n")]
    public void Register_WildcardMisused_Returns400AndKeepsBindings(string headers)
    {
        Register("Contact: <sip:a@192.0.2.10>\r\n");

        var result = Register(headers, cseq: 2);

        Assert.Equal(400, result.StatusCode);
        Assert.Single(_locations.Get(Aor));
    }

    [Fact]
    public void Register_WildcardSameCallIdOlderCSeq_Returns500()
    {
        Register("Contact: <sip:a@192.0.2.10>\r\n", cseq: 5);

        var result = Register("Contact: *\r\nExpires: 0\r\n", cseq: 5);

        Assert.Equal((500, "Out of order"), (result.StatusCode, result.Reason));
        Assert.Single(_locations.Get(Aor));
    }

    [Fact]
    public void Register_BelowMinExpires_Returns423WithMinExpiresAndChangesNothing()
    {
        Register("Contact: <sip:a@192.0.2.10>\r\n");

        var result = Register("Contact: <sip:a@192.0.2.10>;expires=3600, <sip:b@192.0.2.10>;expires=30\r\n", cseq: 2);

        Assert.Equal((423, "Interval Too Brief"), (result.StatusCode, result.Reason));
        Assert.Equal(["60"], Values(result, HeaderId.MinExpires));
        Assert.Equal(1, Assert.Single(_locations.Get(Aor)).CSeq);
    }

    [Fact]
    public void Register_AboveMaxExpires_IsCapped()
    {
        var result = Register("Contact: <sip:a@192.0.2.10>\r\nExpires: 99999999999\r\n");

        Assert.Equal(["<sip:a@192.0.2.10>;expires=3600"], Values(result, HeaderId.Contact));
        Assert.Equal(_time.GetUtcNow().AddHours(1), Assert.Single(_locations.Get(Aor)).ExpiresAt);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public void Register_SameCallIdCSeqNotHigher_Returns500AndChangesNothing(int cseq)
    {
        Register("Contact: <sip:a@192.0.2.10>\r\nExpires: 600\r\n", cseq: 4);

        var result = Register("Contact: <sip:a@192.0.2.10>\r\nExpires: 0\r\n", cseq: cseq);

        Assert.Equal((500, "Out of order"), (result.StatusCode, result.Reason));
        Assert.Equal(4, Assert.Single(_locations.Get(Aor)).CSeq);
    }

    [Fact]
    public void Register_OtherCallIdLowerCSeq_Updates()
    {
        Register("Contact: <sip:a@192.0.2.10>\r\nExpires: 600\r\n", cseq: 40);

        var result = Register("Contact: <sip:a@192.0.2.10>\r\nExpires: 900\r\n", cseq: 1, callId: "rebooted@pbx.example.com");

        Assert.Equal(200, result.StatusCode);
        var binding = Assert.Single(_locations.Get(Aor));
        Assert.Equal(("rebooted@pbx.example.com", 1L), (binding.CallId, binding.CSeq));
    }

    [Fact]
    public void Register_ForeignAor_Returns403()
    {
        var result = _registrar.Register(Create("Contact: <sip:a@192.0.2.10>\r\n", to: "<sip:pbx2@trunk.example.com>"), _flow, _peer);

        Assert.Equal((403, "Not your address of record"), (result.StatusCode, result.Reason));
        Assert.Equal(0, _locations.Count);
    }

    [Fact]
    public void Register_DigestUsernameAsUser_IsAccepted()
    {
        var result = _registrar.Register(Create("Contact: <sip:a@192.0.2.10>\r\n", to: "<sip:pbx1-digest@trunk.example.com>"), _flow, _peer);

        Assert.Equal(200, result.StatusCode);
        Assert.Single(_locations.Get("sip:pbx1-digest@trunk.example.com"));
    }

    [Fact]
    public void Register_SipsToWithPortAndUpperCaseHost_UsesCanonicalAor()
    {
        _registrar.Register(Create("Contact: <sips:a@192.0.2.10>\r\n", to: "<sips:pbx1@Trunk.EXAMPLE.com:5061;transport=tls>"), _flow, _peer);

        Assert.Single(_locations.Get(Aor));
    }

    [Fact]
    public void Register_NonSipAor_Returns404()
    {
        var result = _registrar.Register(Create("Contact: <sip:a@192.0.2.10>\r\n", to: "<tel:+15551234>"), _flow, _peer);

        Assert.Equal(404, result.StatusCode);
    }

    [Fact]
    public void Register_PeerNotAllowedToRegister_Returns403()
    {
        var result = _registrar.Register(Create("Contact: <sip:a@192.0.2.10>\r\n"), _flow, _peer with { Register = false });

        Assert.Equal((403, "Registration not allowed"), (result.StatusCode, result.Reason));
        Assert.Equal(0, _locations.Count);
    }

    [Fact]
    public void Register_TooManyContacts_Returns403AndChangesNothing()
    {
        var registrar = new SipRegistrar(new RegistrarSettings { MaxContactsPerAor = 2 }, _locations, _time);
        registrar.Register(Create("Contact: <sip:a@192.0.2.10>, <sip:b@192.0.2.10>\r\n"), _flow, _peer);

        var result = registrar.Register(Create("Contact: <sip:c@192.0.2.10>\r\n", cseq: 2), _flow, _peer);

        Assert.Equal((403, "Too many contacts"), (result.StatusCode, result.Reason));
        Assert.Equal(2, _locations.Get(Aor).Count);
    }

    [Fact]
    public void Register_OutboundSameInstanceAndRegId_ReplacesBindingWithNewUriAndRequiresOutbound()
    {
        var contact = $";+sip.instance=\"{Instance}\";reg-id=1\r\nSupported: path, outbound\r\n";
        Register("Contact: <sip:pbx1@192.0.2.10;transport=tls;ob>" + contact, cseq: 1);

        var result = Register("Contact: <sip:pbx1@192.0.2.99;transport=tls;ob>" + contact, cseq: 1, callId: "after-reboot");

        Assert.Equal(["outbound"], Values(result, HeaderId.Require));
        var binding = Assert.Single(_locations.Get(Aor));
        Assert.Equal("sip:pbx1@192.0.2.99;transport=tls;ob", binding.ContactUri);
        Assert.Equal((Instance, (int?)1), (binding.InstanceId, binding.RegId));
        Assert.Equal([$"<sip:pbx1@192.0.2.99;transport=tls;ob>;expires=3600;+sip.instance=\"{Instance}\";reg-id=1"], Values(result, HeaderId.Contact));
    }

    [Fact]
    public void Register_OutboundTwoRegIdsSameUri_KeepsBoth()
    {
        Register($"Contact: <sip:pbx1@192.0.2.10;ob>;+sip.instance=\"{Instance}\";reg-id=1\r\nSupported: outbound\r\n");

        Register($"Contact: <sip:pbx1@192.0.2.10;ob>;+sip.instance=\"{Instance}\";reg-id=2\r\nSupported: outbound\r\n", cseq: 1, callId: "second-flow");

        Assert.Equal([1, 2], _locations.Get(Aor).Select(b => b.RegId ?? 0));
    }

    [Fact]
    public void Register_RegIdWithoutSupportedOutbound_BindsByUriWithoutRequire()
    {
        Register($"Contact: <sip:pbx1@192.0.2.10>;+sip.instance=\"{Instance}\";reg-id=1\r\n");

        var result = Register($"Contact: <sip:pbx1@192.0.2.99>;+sip.instance=\"{Instance}\";reg-id=1\r\n", cseq: 2);

        Assert.Empty(Values(result, HeaderId.Require));
        Assert.Equal(2, _locations.Get(Aor).Count);
        Assert.All(_locations.Get(Aor), b => Assert.Null(b.RegId));
    }

    [Fact]
    public void Register_PathWithSupportedPath_IsRecordedAndEchoed()
    {
        var result = Register(
            "Path: <sip:edge1.example.com;lr>, <sip:edge2.example.com;lr>\r\nPath: <sip:edge3.example.com;lr>\r\n"
            + "Supported: path\r\nContact: <sip:a@192.0.2.10>\r\n");

        string[] path = ["<sip:edge1.example.com;lr>", "<sip:edge2.example.com;lr>", "<sip:edge3.example.com;lr>"];
        Assert.Equal(path, Assert.Single(_locations.Get(Aor)).Path);
        Assert.Equal(path, Values(result, HeaderId.Path));
    }

    [Fact]
    public void Register_PathWithoutSupportedPath_IsRecordedButNotEchoed()
    {
        var result = Register("Path: <sip:edge1.example.com;lr>\r\nContact: <sip:a@192.0.2.10>\r\n");

        Assert.Equal(["<sip:edge1.example.com;lr>"], Assert.Single(_locations.Get(Aor)).Path);
        Assert.Empty(Values(result, HeaderId.Path));
    }

    [Fact]
    public void Register_AfterExpiry_BindingsAreGoneAndExpiredOnesDoNotBlockOrdering()
    {
        Register("Contact: <sip:a@192.0.2.10>\r\nExpires: 60\r\n", cseq: 9);
        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.Empty(_locations.Get(Aor));
        Assert.Equal(0, _locations.Count);
        Assert.Empty(Values(Register("", cseq: 10), HeaderId.Contact));

        // The expired binding no longer exists, so an equal CSeq is a new registration, not a reordering.
        Assert.Equal(200, Register("Contact: <sip:a@192.0.2.10>\r\n", cseq: 9).StatusCode);
    }

    [Theory]
    [InlineData("Contact: <sip:a@192.0.2.10>;expires=abc\r\n")]
    [InlineData("Contact: <sip:a@192.0.2.10\r\n")]
    [InlineData("Contact: <sip:a@192.0.2.10>\r\nExpires: soon\r\n")]
    public void Register_MalformedContactOrExpires_Returns400(string headers)
    {
        Assert.Equal(400, Register(headers).StatusCode);
        Assert.Equal(0, _locations.Count);
    }

    private RegisterResult Register(string headers, int cseq = 1, string callId = "reg-1@pbx.example.com") =>
        _registrar.Register(Create(headers, cseq, callId), _flow, _peer);

    private static List<string> Values(RegisterResult result, HeaderId id) =>
        [.. result.Headers.Where(h => h.Id == id).Select(h => h.Value)];
}
