using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing.Media;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Media;

/// <summary>
/// Issue 5's proofs on real peers: baresip ⇄ baresip through SipTrunk's relay over TLS in rekey and passthrough mode
/// (captured with tshark: every packet of both legs is SRTP, each leg with its own keys), SRTP bridged to a plain-RTP
/// carrier (SIPp echoing RTP), a forged SRTP packet from the caller's own address dropped and counted while the call
/// goes on, and a silent call hung up by SipTrunk after the inactivity timeout.
/// </summary>
public sealed partial class MediaRelayCallTests
{
    private const string Carrier = MediaHarnessTests.Carrier;
    private const string Number = MediaHarnessTests.Number;
    private static readonly TimeSpan Step = MediaHarnessTests.Step;

    [Fact]
    public async Task Rekey_BaresipToBaresip_EverySrtpPacketRelayedWithItsOwnKeysPerLeg()
    {
        await using var fixture = new ProxyFixture(Carrier);
        await using var carrier = await MediaHarnessTests.StartCarrierAsync(fixture.Pki, Carrier, Number, "srtp-mand");
        await MediaHarnessTests.StartSipTrunkAsync(fixture, carrier.TlsPort, srtp: "require");
        await using var caller = await MediaHarnessTests.StartRegisteredCallerAsync(fixture, "srtp-mand");

        var (a, b, packets) = await MediaHarnessTests.RunCallAsync(caller, carrier.Baresip, $"sip:{Number}@localhost");

        MediaHarnessTests.AssertEncrypted(a, b, packets);
        AssertAnchored(a, b);
        // Rekey: no party learns another's key. What the caller sends with is not what the carrier was told, and back.
        Assert.NotEqual(Assert.Single(a.SentSdp.CryptoKeys), Assert.Single(b.ReceivedSdp.CryptoKeys));
        Assert.NotEqual(Assert.Single(b.SentSdp.CryptoKeys), Assert.Single(a.ReceivedSdp.CryptoKeys));
        AssertEveryPacketEncrypted(packets);
        var record = await CallRecordAsync(fixture);
        Assert.Contains("media: rekey AES_CM_128_HMAC_SHA1_80", record, StringComparison.Ordinal);
        // baresip's SRTP and SRTCP authenticate under SipTrunk's implementation. At most its RTCP BYEs sent as a short
        // call closes (the first RTCP of the call, after libre has dropped the call's SRTP state) fail; a call long
        // enough for periodic RTCP shows none in the middle.
        Assert.True(int.Parse(AuthFailures().Match(record).Groups[1].Value, CultureInfo.InvariantCulture) <= 2, fixture.Describe());
    }

    [Fact]
    public async Task Passthrough_BaresipToBaresip_KeysForwardedAndSrtpRelayedByteForByte()
    {
        await using var fixture = new ProxyFixture(Carrier);
        await using var carrier = await MediaHarnessTests.StartCarrierAsync(fixture.Pki, Carrier, Number, "srtp-mand");
        await MediaHarnessTests.StartSipTrunkAsync(fixture, carrier.TlsPort, srtp: "require", srtpMode: "passthrough");
        await using var caller = await MediaHarnessTests.StartRegisteredCallerAsync(fixture, "srtp-mand");

        var (a, b, packets) = await MediaHarnessTests.RunCallAsync(caller, carrier.Baresip, $"sip:{Number}@localhost");

        MediaHarnessTests.AssertEncrypted(a, b, packets);
        AssertAnchored(a, b);
        Assert.Equal(Assert.Single(a.SentSdp.CryptoKeys), Assert.Single(b.ReceivedSdp.CryptoKeys));
        Assert.Equal(Assert.Single(b.SentSdp.CryptoKeys), Assert.Single(a.ReceivedSdp.CryptoKeys));
        AssertEveryPacketEncrypted(packets);

        // Byte for byte: what the caller sent to the relay is what the relay sent the carrier.
        var fromCaller = packets.Where(p => p.Source.Equals(a.Local)).Select(p => Convert.ToHexString(p.Payload.Span)).ToHashSet();
        var toCarrier = packets.Where(p => p.Destination.Equals(b.Local)).ToList();
        Assert.NotEmpty(toCarrier);
        Assert.All(toCarrier, p => Assert.Contains(Convert.ToHexString(p.Payload.Span), fromCaller));
        Assert.Contains("media: passthrough", await CallRecordAsync(fixture), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bridge_SrtpCallerToPlainRtpCarrier_RtpOnTheCarrierLegOnly()
    {
        await using var fixture = new ProxyFixture(Carrier);
        var mediaPort = Testing.FreePort.Udp();
        await using var echo = await SippCarrier.StartAsync(
            SippOptions.RtpEchoServer(SippScenarios.UasRtpEcho, mediaPort), fixture.Pki.Carriers[Carrier], fixture.Pki.CaCertificatePath);
        await MediaHarnessTests.StartSipTrunkAsync(fixture, echo.TlsPort, srtp: "none");
        await using var caller = await MediaHarnessTests.StartRegisteredCallerAsync(fixture, "srtp-mand");

        await caller.SendCommandAsync($"/dial sip:{Number}@localhost");
        await caller.WaitForEventAsync("CALL_ESTABLISHED", Step);
        var local = SdpSummary.Parse(caller.SentSdp[^1]).AudioPort!.Value;
        var relay = SdpSummary.Parse(caller.ReceivedSdp[^1]).AudioPort!.Value;
        IReadOnlyList<CapturedUdpPacket> packets;
        BaresipAudioStats audio;
        await using (var capture = await TsharkCapture.StartAsync(string.Create(CultureInfo.InvariantCulture, $"udp and (port {local} or port {relay} or port {mediaPort})")))
        {
            var soFar = await caller.GetAudioStatsAsync();
            audio = await caller.WaitForAudioAsync(Math.Max(soFar.PacketsSent, soFar.PacketsReceived) + MediaHarnessTests.Packets, Step);
            await caller.SendCommandAsync("/hangup");
            await caller.WaitForEventAsync("CALL_CLOSED", Step);
            packets = await capture.StopAsync();
        }

        Assert.True((await echo.Uas.StopAsync()).Statistics.SuccessfulCalls == 1, echo.Describe() + fixture.Describe());
        // The caller's leg is SRTP both ways (its echo came back decryptable); SIPp's leg is plain RTP both ways.
        Assert.True(audio.Secure && audio.PacketsReceived >= MediaHarnessTests.Packets, audio.Text);
        Assert.Equal("RTP/SAVP", SdpSummary.Parse(caller.ReceivedSdp[^1]).AudioProtocol);
        var streams = RtpPacketClassifier.Summarize(packets);
        var callerLeg = streams.Where(s => s.Source.Port == local || s.Destination.Port == local).ToList();
        var carrierLeg = streams.Where(s => s.Source.Port == mediaPort || s.Destination.Port == mediaPort).ToList();
        Assert.Equal(2, callerLeg.Count);
        Assert.Equal(2, carrierLeg.Count);
        Assert.All(callerLeg, s => Assert.True(s.Verdict == RtpPayloadVerdict.Encrypted && s.G711Packets >= MediaHarnessTests.CapturedPackets, MediaHarnessTests.Describe(streams)));
        Assert.All(carrierLeg, s => Assert.True(s.Verdict == RtpPayloadVerdict.Plain && s.G711Packets >= MediaHarnessTests.CapturedPackets, MediaHarnessTests.Describe(streams)));
        Assert.Contains("media: bridge AES_CM_128_HMAC_SHA1_80", await CallRecordAsync(fixture), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedSrtp_FromTheCallersOwnAddress_IsDroppedAndCountedAndTheCallGoesOn()
    {
        const int Forged = 5;
        await using var fixture = new ProxyFixture(Carrier);
        await using var carrier = await MediaHarnessTests.StartCarrierAsync(fixture.Pki, Carrier, Number, "srtp-mand");
        await MediaHarnessTests.StartSipTrunkAsync(fixture, carrier.TlsPort, srtp: "require");
        await using var caller = await MediaHarnessTests.StartRegisteredCallerAsync(fixture, "srtp-mand");

        // Once the relay has latched onto the caller, packets with the caller's source address and port but a wrong
        // authentication tag: only the tag check can tell them apart.
        var (a, b, packets) = await MediaHarnessTests.RunCallAsync(caller, carrier.Baresip, $"sip:{Number}@localhost", () =>
        {
            var from = new IPEndPoint(IPAddress.Loopback, SdpSummary.Parse(caller.SentSdp[^1]).AudioPort!.Value);
            var to = new IPEndPoint(IPAddress.Loopback, SdpSummary.Parse(caller.ReceivedSdp[^1]).AudioPort!.Value);
            for (var i = 0; i < Forged; i++)
            {
                SpoofedUdp.Send(from, to, ForgedSrtp((ushort)(40000 + i)));
            }

            return Task.CompletedTask;
        });

        // The call went on: RunCallAsync waited for 2 s more audio both ways after the forgeries.
        MediaHarnessTests.AssertEncrypted(a, b, packets);
        var record = await CallRecordAsync(fixture);
        // Plus at most the two RTCP BYEs of the closing call (see the rekey test).
        Assert.InRange(int.Parse(AuthFailures().Match(record).Groups[1].Value, CultureInfo.InvariantCulture), Forged, Forged + 2);
    }

    [Fact]
    public async Task InactivityTimeout_AnsweredCallWithoutMedia_SipTrunkHangsUpBothSides()
    {
        await using var fixture = new ProxyFixture(Carrier);
        var sipp = await fixture.StartCarrierAsync(Carrier, SippScenarios.Uas);
        var config = fixture.NewConfig() with { InactivityTimeoutSeconds = 5 };
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier(Carrier, sipp.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("+44", Carrier));
        await fixture.StartSipTrunkAsync(config);
        var peer = await fixture.StartPeerAsync();

        // Neither SIPp sends RTP; both wait for a BYE they did not ask for.
        var result = await ProxyFixture.RunCallsAsync(peer, SippScenarios.UacMediaTimeout, calls: 1, callsPerSecond: 1, TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0 && result.Statistics.SuccessfulCalls == 1, fixture.Describe(result));
        Assert.True((await sipp.Uas.StopAsync()).Statistics.SuccessfulCalls == 1, sipp.Describe() + fixture.Describe());
        Assert.Contains("ended: answered 200 (media-timeout)", await CallRecordAsync(fixture), StringComparison.Ordinal);
    }

    // Each party sends to SipTrunk's relay, never to the other party.
    private static void AssertAnchored(CallMedia a, CallMedia b)
    {
        Assert.NotEqual(b.Local.Port, a.Remote.Port);
        Assert.NotEqual(a.Local.Port, b.Remote.Port);
        Assert.NotEqual(a.Remote.Port, b.Remote.Port);
    }

    private static void AssertEveryPacketEncrypted(IReadOnlyList<CapturedUdpPacket> packets)
    {
        var streams = RtpPacketClassifier.Summarize(packets);
        Assert.All(streams.Where(s => s.G711Packets > 0), s => Assert.True(s.Verdict == RtpPayloadVerdict.Encrypted, MediaHarnessTests.Describe(streams)));
    }

    // SipTrunk's log line for the ended call: outcome, end reason and media summary.
    private static async Task<string> CallRecordAsync(ProxyFixture fixture)
    {
        var sipTrunk = fixture.SipTrunk!;
        Assert.True(await sipTrunk.WaitForOutputAsync(" ended: ", Step), fixture.Describe());
        return sipTrunk.Output.Split('\n').Last(line => line.Contains(" ended: ", StringComparison.Ordinal));
    }

    // A well-formed RTP header (PCMU) with random payload and a random 10-byte "tag".
    private static byte[] ForgedSrtp(ushort sequence)
    {
        var packet = RandomNumberGenerator.GetBytes(12 + 160 + 10);
        packet[0] = 0x80;
        packet[1] = 0x00;
        packet[2] = (byte)(sequence >> 8);
        packet[3] = (byte)sequence;
        return packet;
    }

    [GeneratedRegex(@"auth-failures (\d+)")]
    private static partial Regex AuthFailures();
}
