using SipTrunk.Testing;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Harness;

/// <summary>
/// Proves the real-peer harness without SipTrunk in the path: SIPp UAC → stunnel client (peer certificate) → stunnel
/// server (carrier certificate, client certificate required) → SIPp UAS. When SipTrunk sits between the two stunnels,
/// a failure then points at SipTrunk, not at the scenarios or the TLS wrapping.
/// </summary>
public sealed class SippStunnelHarnessTests : IDisposable
{
    private const string Peer = "pbx-a";
    private const string Carrier = "carrier-1";

    // Far above what any of these runs needs (the longest is 2 s of calls); only a hang reaches it.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new();
    private readonly TestPki _pki;

    public SippStunnelHarnessTests()
    {
        _pki = TestPki.Create(_directory.Combine("pki"), [Peer], [Carrier]);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Uac_TwentyCallsAtTenCps_AllSucceedThroughBothStunnels()
    {
        await using var carrier = await SippCarrier.StartAsync(SippScenarios.Uas, _pki.Carriers[Carrier], _pki.CaCertificatePath);
        await using var peer = await StunnelProcess.StartClientAsync(carrier.TlsPort, _pki.Peers[Peer], _pki.CaCertificatePath, Carrier);
        await using var uac = await SippProcess.StartAsync(SippOptions.Client(SippScenarios.Uac, peer.AcceptPort, calls: 20, callsPerSecond: 10));

        var result = await uac.WaitForExitAsync(Bound);
        var uas = await carrier.Uas.StopAsync();

        var why = result.Describe() + "\n" + carrier.Describe() + "\n" + peer.Describe();
        Assert.True(result.ExitCode == SippResult.AllCallsSucceeded, why);
        Assert.True(result.SuccessfulCalls == 20, why);
        Assert.Equal(0, result.FailedCalls);
        Assert.Equal(20, result.MessageCount("BYE", "Sent"));
        Assert.Equal(20, result.ResponseTimesMs.Count);
        Assert.True(uas.SuccessfulCalls == 20, uas.Describe());

        // The calls crossed TLS with the certificates checked both ways, not some shortcut.
        Assert.Contains($"Certificate accepted at depth=0: CN={Peer}", carrier.Stunnel.ReadLog(), StringComparison.Ordinal);
        Assert.Contains($"Certificate accepted at depth=0: CN={Carrier}", peer.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UacCancel_CalleeRingsWithoutAnswer_EveryCallEndsWith487()
    {
        await using var carrier = await SippCarrier.StartAsync(SippScenarios.UasRingNoAnswer, _pki.Carriers[Carrier], _pki.CaCertificatePath);
        await using var peer = await StunnelProcess.StartClientAsync(carrier.TlsPort, _pki.Peers[Peer], _pki.CaCertificatePath, Carrier);
        await using var uac = await SippProcess.StartAsync(SippOptions.Client(SippScenarios.UacCancel, peer.AcceptPort, calls: 3, callsPerSecond: 10));

        var result = await uac.WaitForExitAsync(Bound);
        var uas = await carrier.Uas.StopAsync();

        var why = result.Describe() + "\n" + carrier.Describe();
        Assert.True(result.ExitCode == SippResult.AllCallsSucceeded && result.SuccessfulCalls == 3, why);
        Assert.Equal(3, result.MessageCount("CANCEL", "Sent"));
        Assert.Equal(3, result.MessageCount("487", "Recv"));
        Assert.Equal(3, result.MessageCount("ACK", "Sent"));
        Assert.True(uas.SuccessfulCalls == 3, uas.Describe());
    }

    [Fact]
    public async Task Uac_CarrierAnswers503_EveryCallCountedAsFailed()
    {
        await using var carrier = await SippCarrier.StartAsync(SippScenarios.Uas503, _pki.Carriers[Carrier], _pki.CaCertificatePath);
        await using var peer = await StunnelProcess.StartClientAsync(carrier.TlsPort, _pki.Peers[Peer], _pki.CaCertificatePath, Carrier);
        await using var uac = await SippProcess.StartAsync(SippOptions.Client(SippScenarios.Uac, peer.AcceptPort, calls: 3, callsPerSecond: 10));

        var result = await uac.WaitForExitAsync(Bound);

        var why = result.Describe() + "\n" + carrier.Describe();
        Assert.True(result.ExitCode == SippResult.SomeCallsFailed, why);
        Assert.True(result.FailedCalls == 3, why);
        Assert.Equal(0, result.SuccessfulCalls);
        Assert.Equal(3, result.Statistics.UnexpectedMessageFailures);
        Assert.Contains("SIP/2.0 503 Service Unavailable", result.ErrorLog, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other CA", "unable to get local issuer certificate")]
    [InlineData("expired", "certificate has expired")]
    [InlineData("serverAuth only", "unsuitable certificate purpose")]
    public async Task Uac_PeerCertificateTheCarrierMustRefuse_NoCallGetsThrough(string flaw, string verifyError)
    {
        var certificate = flaw switch
        {
            "other CA" => _pki.OtherCaPeer,
            "expired" => _pki.ExpiredPeer,
            _ => _pki.ServerAuthOnlyPeer,
        };
        await using var carrier = await SippCarrier.StartAsync(SippScenarios.Uas, _pki.Carriers[Carrier], _pki.CaCertificatePath);
        await using var peer = await StunnelProcess.StartClientAsync(carrier.TlsPort, certificate, _pki.CaCertificatePath, Carrier);
        await using var uac = await SippProcess.StartAsync(SippOptions.Client(SippScenarios.Uac, peer.AcceptPort, calls: 2, callsPerSecond: 10));

        var result = await uac.WaitForExitAsync(Bound);
        var uas = await carrier.Uas.StopAsync();

        var why = result.Describe() + "\n" + carrier.Describe() + "\n" + peer.Describe();
        Assert.True(result.ExitCode != SippResult.AllCallsSucceeded, why);
        Assert.True(result.SuccessfulCalls == 0, why);
        Assert.True(uas.Statistics.CallsCreated == 0, uas.Describe());
        var carrierLog = carrier.Stunnel.ReadLog();
        Assert.True(carrierLog.Contains($"Rejected by CERT at depth=0: CN={Peer}", StringComparison.Ordinal), why);
        Assert.True(carrierLog.Contains(verifyError, StringComparison.Ordinal), why);
    }
}
