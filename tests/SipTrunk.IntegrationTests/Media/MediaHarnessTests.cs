using System.Globalization;
using System.Net;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing;
using SipTrunk.Testing.Media;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Media;

/// <summary>
/// Proves the media test harness on real calls while SipTrunk still forwards SDP unchanged: baresip carriers over TLS
/// (<see cref="BaresipCarrier"/>), a SIPp carrier echoing RTP (<see cref="SippScenarios.UasRtpEcho"/>), tshark on
/// loopback (<see cref="TsharkCapture"/>) and <see cref="RtpPacketClassifier"/> telling SRTP from plain G.711.
/// Every check reads a leg from its own endpoints (what it sent and was sent in SDP), so the tests hold unchanged
/// once SipTrunk relays the media on ports of its own.
/// </summary>
public sealed class MediaHarnessTests : IDisposable
{
    internal const string Carrier = "carrier-1";
    private const string OtherCarrier = "carrier-2";
    internal const string Number = "+441632960001";
    private const string Password = "media-peer-password-3";

    // 2 s of 20 ms audio each way, counted by baresip, and a bound on every wait for a process. The capture must hold
    // at least half of them: it judges what the packets are; baresip's counters say how many arrived.
    internal const int Packets = 100;
    internal const int CapturedPackets = Packets / 2;
    internal static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task BaresipCarrier_DirectCallSrtpMandatory_CarriesEncryptedAudioBothWays()
    {
        var (caller, callee, packets) = await RunDirectCallAsync("srtp-mand");
        AssertEncrypted(caller, callee, packets);
    }

    [Fact]
    public async Task BaresipCarrier_DirectCallWithoutMediaEncryption_CarriesPlainG711BothWays()
    {
        var (caller, callee, packets) = await RunDirectCallAsync(mediaEncryption: null);
        AssertPlain(caller, callee, packets);
    }

    [Fact]
    public async Task BaresipCarrier_SrtpCallFromRegisteredBaresipThroughSipTrunk_CarriesEncryptedAudioBothWays()
    {
        var (caller, callee, packets) = await RunCallThroughSipTrunkAsync("srtp-mand");
        AssertEncrypted(caller, callee, packets);
    }

    [Fact]
    public async Task BaresipCarrier_PlainCallFromRegisteredBaresipThroughSipTrunk_CarriesPlainG711BothWays()
    {
        var (caller, callee, packets) = await RunCallThroughSipTrunkAsync(mediaEncryption: null);
        AssertPlain(caller, callee, packets);
    }

    [Fact]
    public async Task BaresipCarrier_SippCallThroughSipTrunk_AnswersOverVerifiedTls()
    {
        await using var fixture = new ProxyFixture(Carrier);
        await using var carrier = await StartCarrierAsync(fixture.Pki, Carrier, Number, mediaEncryption: null);
        await StartSipTrunkAsync(fixture, carrier.TlsPort, srtp: "none", digest: false);
        var peer = await fixture.StartPeerAsync();

        // SIPp's UAC (INVITE with RTP/AVP PCMU, ACK, BYE after 100 ms) as pbx-a: SipTrunk dials the carrier's
        // sips:+441632960001@127.0.0.1:PORT, checking its certificate against TlsServerName carrier-1.
        var result = await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 1, callsPerSecond: 1, TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0 && result.Statistics.SuccessfulCalls == 1, fixture.Describe(result) + carrier.Describe());
        var established = await carrier.Baresip.WaitForEventAsync("CALL_ESTABLISHED", Step);
        Assert.Equal("incoming", established.GetProperty("direction").GetString());
        await carrier.Baresip.WaitForEventAsync("CALL_CLOSED", Step);
        var invite = Assert.Single(carrier.Baresip.SipTrace, message => !message.Sent && message.Method == "INVITE");
        Assert.StartsWith($"INVITE sips:{Number}@127.0.0.1:{carrier.TlsPort} ", invite.StartLine, StringComparison.Ordinal);
        Assert.Contains(carrier.Baresip.SipTrace, message => message.Sent && message.StatusCode == 200 && message.CSeqMethod == "INVITE");
    }

    [Fact]
    public async Task SippRtpEchoCarrier_DirectPlainCallFromBaresip_EchoesEveryRtpPacketBack()
    {
        var pki = TestPki.Create(_directory.Combine("pki"), carriers: [Carrier, OtherCarrier]);
        var mediaPort = FreePort.Udp();
        await using var echo = await SippCarrier.StartAsync(
            SippOptions.RtpEchoServer(SippScenarios.UasRtpEcho, mediaPort), pki.Carriers[Carrier], pki.CaCertificatePath);
        await using var caller = await StartCarrierAsync(pki, OtherCarrier, "+441632960999", mediaEncryption: null);

        var (leg, packets) = await RunEchoCallAsync(caller.Baresip, $"sip:{Number}@127.0.0.1:{echo.TlsPort};transport=tls", mediaPort);

        Assert.Equal(1, (await echo.Uas.StopAsync()).Statistics.SuccessfulCalls);
        AssertEchoed(leg, packets, mediaPort);
    }

    [Fact]
    public async Task SippRtpEchoCarrier_PlainCallFromRegisteredBaresipThroughSipTrunk_EchoesEveryRtpPacketBack()
    {
        await using var fixture = new ProxyFixture(Carrier);
        var mediaPort = FreePort.Udp();
        await using var echo = await SippCarrier.StartAsync(
            SippOptions.RtpEchoServer(SippScenarios.UasRtpEcho, mediaPort), fixture.Pki.Carriers[Carrier], fixture.Pki.CaCertificatePath);
        await StartSipTrunkAsync(fixture, echo.TlsPort, srtp: "none");
        await using var caller = await StartRegisteredCallerAsync(fixture, mediaEncryption: null);

        var (leg, packets) = await RunEchoCallAsync(caller, $"sip:{Number}@localhost", mediaPort);

        Assert.True((await echo.Uas.StopAsync()).Statistics.SuccessfulCalls == 1, echo.Describe() + fixture.Describe());
        AssertEchoed(leg, packets, mediaPort);
    }

    // Two carrier-style baresips on TLS, one dialling the other's number at its TLS port.
    private async Task<(CallMedia Caller, CallMedia Callee, IReadOnlyList<CapturedUdpPacket> Packets)> RunDirectCallAsync(string? mediaEncryption)
    {
        var pki = TestPki.Create(_directory.Combine("pki"), carriers: [Carrier, OtherCarrier]);
        await using var callee = await StartCarrierAsync(pki, Carrier, Number, mediaEncryption);
        await using var caller = await StartCarrierAsync(pki, OtherCarrier, "+441632960999", mediaEncryption);
        return await RunCallAsync(caller.Baresip, callee.Baresip, $"sip:{Number}@127.0.0.1:{callee.TlsPort};transport=tls");
    }

    // A registered baresip (pbx-a) calls the number SipTrunk routes to a baresip carrier.
    private static async Task<(CallMedia Caller, CallMedia Callee, IReadOnlyList<CapturedUdpPacket> Packets)> RunCallThroughSipTrunkAsync(
        string? mediaEncryption)
    {
        await using var fixture = new ProxyFixture(Carrier);
        await using var carrier = await StartCarrierAsync(fixture.Pki, Carrier, Number, mediaEncryption);
        await StartSipTrunkAsync(fixture, carrier.TlsPort, srtp: mediaEncryption is null ? "none" : "require");
        await using var caller = await StartRegisteredCallerAsync(fixture, mediaEncryption);
        try
        {
            return await RunCallAsync(caller, carrier.Baresip, $"sip:{Number}@localhost");
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\n{fixture.Describe()}\n{carrier.Describe()}", ex);
        }
    }

    // Dials, waits until both ends are up, captures their RTP ports while each sends and receives 2 s more audio, hangs
    // up from the caller and waits until both have closed.
    internal static async Task<(CallMedia Caller, CallMedia Callee, IReadOnlyList<CapturedUdpPacket> Packets)> RunCallAsync(
        BaresipProcess caller, BaresipProcess callee, string uri, Func<Task>? duringCall = null)
    {
        await caller.SendCommandAsync($"/dial {uri}");
        await caller.WaitForEventAsync("CALL_ESTABLISHED", Step);
        await callee.WaitForEventAsync("CALL_ESTABLISHED", Step);

        // Only this call's RTP ports, known from the SDP once it is up: loopback may carry other tests' media too (a
        // relay load run), and a capture of all of it can drop packets.
        var ports = new[] { caller, callee }
            .SelectMany(end => new[] { end.SentSdp[^1], end.ReceivedSdp[^1] })
            .Select(sdp => SdpSummary.Parse(sdp).AudioPort ?? 0)
            .Distinct();
        await using var capture = await TsharkCapture.StartAsync($"udp and ({string.Join(" or ", ports.Select(port => $"port {port}"))})");
        if (duringCall is not null)
        {
            await duringCall();
        }

        var (callerSoFar, calleeSoFar) = (await caller.GetAudioStatsAsync(), await callee.GetAudioStatsAsync());
        var callerAudio = await caller.WaitForAudioAsync(Math.Max(callerSoFar.PacketsSent, callerSoFar.PacketsReceived) + Packets, Step);
        var calleeAudio = await callee.WaitForAudioAsync(Math.Max(calleeSoFar.PacketsSent, calleeSoFar.PacketsReceived) + Packets, Step);

        await caller.SendCommandAsync("/hangup");
        await caller.WaitForEventAsync("CALL_CLOSED", Step);
        await callee.WaitForEventAsync("CALL_CLOSED", Step);
        var packets = await capture.StopAsync();
        return (CallMedia.Read("caller", caller, callerAudio), CallMedia.Read("callee", callee, calleeAudio), packets);
    }

    // Dials an echoing SIPp, waits until 2 s of audio has gone out and the call's RTP came back, hangs up.
    internal static async Task<(CallMedia Leg, IReadOnlyList<CapturedUdpPacket> Packets)> RunEchoCallAsync(BaresipProcess caller, string uri, int mediaPort)
    {
        await using var capture = await TsharkCapture.StartAsync(string.Create(CultureInfo.InvariantCulture, $"udp port {mediaPort}"));
        await caller.SendCommandAsync($"/dial {uri}");
        await caller.WaitForEventAsync("CALL_ESTABLISHED", Step);
        await caller.WaitForEventAsync("CALL_RTPESTAB", Step);
        var audio = await caller.WaitForAudioAsync(Packets, Step);
        await caller.SendCommandAsync("/hangup");
        await caller.WaitForEventAsync("CALL_CLOSED", Step);
        var packets = await capture.StopAsync();
        return (CallMedia.Read("caller", caller, audio), packets);
    }

    internal static void AssertEncrypted(CallMedia caller, CallMedia callee, IReadOnlyList<CapturedUdpPacket> packets)
    {
        foreach (var leg in new[] { caller, callee })
        {
            Assert.True(leg.Audio.Secure, $"{leg.Name}: {leg.Audio.Text}");
            Assert.Equal("srtp-mand", leg.Audio.MediaEncryption);
            Assert.Contains(leg.Events, message => message.Contains("\"CALL_MENC\"", StringComparison.Ordinal)
                && message.Contains("AES_CM_128_HMAC_SHA1_80", StringComparison.Ordinal));
            AssertSdpMatchesAudio(leg);
            foreach (var sdp in new[] { leg.SentSdp, leg.ReceivedSdp })
            {
                Assert.Equal("RTP/SAVP", sdp.AudioProtocol);
                Assert.StartsWith("1 AES_CM_128_HMAC_SHA1_80 inline:", Assert.Single(sdp.Crypto), StringComparison.Ordinal);
            }

            // Each direction has its own key (RFC 4568 §6.1): what a leg sent is not what it received.
            Assert.NotEqual(Assert.Single(leg.SentSdp.CryptoKeys), Assert.Single(leg.ReceivedSdp.CryptoKeys));
        }

        var streams = RtpPacketClassifier.Summarize(packets);
        foreach (var stream in LegStreams(streams, caller, callee))
        {
            Assert.True(stream.G711Packets >= CapturedPackets && stream.Verdict == RtpPayloadVerdict.Encrypted, Describe(streams));

            // 160 bytes of 20 ms PCMU and the 10-byte HMAC-SHA1-80 tag (RFC 3711 §3.1, RFC 4568 §6.2) after the header.
            Assert.Equal([170], stream.PayloadLengths.Keys);
            Assert.True(stream.PayloadEntropy >= 7.5, Describe(streams));
        }
    }

    private static void AssertPlain(CallMedia caller, CallMedia callee, IReadOnlyList<CapturedUdpPacket> packets)
    {
        foreach (var leg in new[] { caller, callee })
        {
            Assert.False(leg.Audio.Secure, $"{leg.Name}: {leg.Audio.Text}");
            Assert.Null(leg.Audio.MediaEncryption);
            AssertSdpMatchesAudio(leg);
            foreach (var sdp in new[] { leg.SentSdp, leg.ReceivedSdp })
            {
                Assert.Equal("RTP/AVP", sdp.AudioProtocol);
                Assert.Empty(sdp.Crypto);
            }
        }

        var streams = RtpPacketClassifier.Summarize(packets);
        foreach (var stream in LegStreams(streams, caller, callee))
        {
            Assert.True(stream.G711Packets >= CapturedPackets && stream.Verdict == RtpPayloadVerdict.Plain, Describe(streams));
            Assert.Equal([160], stream.PayloadLengths.Keys);
            Assert.True(stream.PayloadEntropy < 6.5, Describe(streams));
        }
    }

    // SIPp's side: whoever sends to its media port (the caller today, a relay later) gets every packet back as sent.
    private static void AssertEchoed(CallMedia leg, IReadOnlyList<CapturedUdpPacket> packets, int mediaPort)
    {
        AssertSdpMatchesAudio(leg);
        Assert.Equal("RTP/AVP", leg.ReceivedSdp.AudioProtocol);
        Assert.Empty(leg.ReceivedSdp.Crypto);

        var streams = RtpPacketClassifier.Summarize(packets);
        var toEcho = Assert.Single(streams, stream => stream.Destination.Port == mediaPort);
        var fromEcho = Assert.Single(streams, stream => stream.Source.Port == mediaPort);
        Assert.Equal(toEcho.Source, fromEcho.Destination);
        Assert.True(toEcho.G711Packets >= CapturedPackets && toEcho.Verdict == RtpPayloadVerdict.Plain, Describe(streams));
        Assert.True(fromEcho.G711Packets >= CapturedPackets && fromEcho.Verdict == RtpPayloadVerdict.Plain, Describe(streams));
        var sent = packets.Where(p => p.Destination.Port == mediaPort).Select(p => Convert.ToHexString(p.Payload.Span)).ToHashSet();
        Assert.All(packets.Where(p => p.Source.Port == mediaPort), echoed => Assert.Contains(Convert.ToHexString(echoed.Payload.Span), sent));
    }

    internal static Task<BaresipCarrier> StartCarrierAsync(TestPki pki, string name, string number, string? mediaEncryption) =>
        BaresipCarrier.StartAsync(new BaresipCarrierOptions
        {
            Certificate = pki.Carriers[name],
            CaPemPath = pki.CaCertificatePath,
            Number = number,
            MediaEncryption = mediaEncryption,
        });

    // pbx-a is identified by its certificate, and for a registering baresip also by MD5 digest (libre answers MD5 only).
    internal static async Task StartSipTrunkAsync(ProxyFixture fixture, int carrierTlsPort, string srtp, bool digest = true, string srtpMode = "rekey")
    {
        var config = fixture.NewConfig() with { LogLevel = "Debug", SrtpMode = srtpMode };
        config.Peers.Add(digest ? config.DigestPeer(ProxyFixture.Peer, Password, md5Only: true) : ProxyTestConfig.Peer(ProxyFixture.Peer));
        var carrier = ProxyTestConfig.Carrier(Carrier, carrierTlsPort);
        carrier["Srtp"] = srtp;
        config.Carriers.Add(carrier);
        config.Routes.Add(ProxyTestConfig.Route("+44", Carrier));
        await fixture.StartSipTrunkAsync(config);
    }

    internal static async Task<BaresipProcess> StartRegisteredCallerAsync(ProxyFixture fixture, string? mediaEncryption)
    {
        var caller = await BaresipProcess.StartAsync(
            fixture.PeerBaresip(Password) with { MediaEncryption = mediaEncryption, SipTrace = true }, CancellationToken.None);
        try
        {
            await caller.WaitForRegisteredAsync(Step);
            return caller;
        }
        catch
        {
            await caller.DisposeAsync();
            throw;
        }
    }

    // The SDP a leg sent carries the port it receives on, and the SDP it received the address it sends to: so its
    // trace was split into sent and received the right way round.
    private static void AssertSdpMatchesAudio(CallMedia leg)
    {
        Assert.Equal($"0.0.0.0:{leg.SentSdp.AudioPort}", leg.Audio.LocalRtp);
        Assert.Equal(leg.Remote.ToString(), leg.Audio.RemoteRtp);
        Assert.True(leg.Audio.PacketsSent >= Packets && leg.Audio.PacketsReceived >= Packets, $"{leg.Name}: {leg.Audio.Text}");
    }

    // Both directions of both legs: each end → where it sends, and back. While SDP passes unchanged the two legs are
    // one pair of streams; behind a relay they are two.
    internal static IEnumerable<RtpStreamSummary> LegStreams(IReadOnlyList<RtpStreamSummary> streams, CallMedia caller, CallMedia callee)
    {
        foreach (var leg in new[] { caller, callee })
        {
            yield return Find(streams, leg.Local, leg.Remote);
            yield return Find(streams, leg.Remote, leg.Local);
        }
    }

    private static RtpStreamSummary Find(IReadOnlyList<RtpStreamSummary> streams, IPEndPoint source, IPEndPoint destination) =>
        streams.FirstOrDefault(stream => stream.Source.Equals(source) && stream.Destination.Equals(destination))
        ?? throw new Xunit.Sdk.XunitException($"no packets {source} -> {destination} captured\n{Describe(streams)}");

    internal static string Describe(IReadOnlyList<RtpStreamSummary> streams) => string.Join('\n', streams);
}
