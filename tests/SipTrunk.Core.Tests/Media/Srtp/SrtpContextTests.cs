using SipTrunk.Core.Media.Srtp;
using static SipTrunk.Core.Tests.Media.Srtp.SrtpTestPackets;

namespace SipTrunk.Core.Tests.Media.Srtp;

public class SrtpContextTests
{
    private const uint Ssrc = 0x11223344;

    public static TheoryData<string> Suites => new(SrtpSuite.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Suites))]
    public void ProtectRtp_ThenUnprotect_RoundTripsAndEncryptsOnlyThePayload(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var packet = Rtp(1000, Ssrc);

        var protectedPacket = sender.Protect(packet);

        Assert.Equal(packet.Length + sender.Suite.RtpTagLength, protectedPacket.Length);
        Assert.Equal(packet[..12], protectedPacket[..12]);
        Assert.NotEqual(packet[12..], protectedPacket[12..packet.Length]);
        var (result, plain) = receiver.Unprotect(protectedPacket);
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(packet, plain);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void ProtectRtcp_ThenUnprotect_RoundTripsWithIndexAndEFlag(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);

        for (uint i = 0; i < 3; i++)
        {
            var packet = RtcpSenderReport(Ssrc, i);
            var protectedPacket = sender.ProtectControl(packet);

            Assert.Equal(packet.Length + 4 + sender.Suite.RtcpTagLength, protectedPacket.Length);
            Assert.Equal(packet[..8], protectedPacket[..8]);
            var trailerAt = sender.Suite.IsAead ? protectedPacket.Length - 4 : packet.Length;
            Assert.Equal(new byte[] { 0x80, 0, 0, (byte)i }, protectedPacket[trailerAt..(trailerAt + 4)]);
            var (result, plain) = receiver.UnprotectControl(protectedPacket);
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(packet, plain);
        }
    }

    [Fact]
    public void RtcpOverhead_Sha1_32_KeepsThe80BitRtcpTag()
    {
        using var context = Create("AES_CM_128_HMAC_SHA1_32");

        Assert.Equal(4, context.RtpOverhead);
        Assert.Equal(14, context.RtcpOverhead);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_CsrcsExtensionAndPadding_RoundTripsWithHeaderInTheClear(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var packet = Rtp(7, Ssrc, payloadLength: 33, csrcCount: 3, extensionWords: 2, padding: 3);
        const int headerLength = 12 + 12 + 12;

        var protectedPacket = sender.Protect(packet);

        Assert.Equal(packet[..headerLength], protectedPacket[..headerLength]);
        Assert.NotEqual(packet[^3..], protectedPacket[(packet.Length - 3)..packet.Length]);
        var (result, plain) = receiver.Unprotect(protectedPacket);
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(packet, plain);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_AlteredCsrcOrExtension_FailsAuthentication(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var protectedPacket = sender.Protect(Rtp(7, Ssrc, payloadLength: 20, csrcCount: 1, extensionWords: 1));

        var csrc = (byte[])protectedPacket.Clone();
        csrc[13] ^= 0x01;
        var extension = (byte[])protectedPacket.Clone();
        extension[21] ^= 0x01;

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.Unprotect(csrc).Result);
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.Unprotect(extension).Result);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(protectedPacket).Result);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_TamperedPayloadOrTag_FailsAndLeavesStateUnchanged(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var first = sender.Protect(Rtp(100, Ssrc));
        var second = sender.Protect(Rtp(101, Ssrc));
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(first).Result);
        var indexes = receiver.GetRtpIndexes(Ssrc);

        var payload = (byte[])second.Clone();
        payload[20] ^= 0x80;
        var tag = (byte[])second.Clone();
        tag[^1] ^= 0x01;

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.Unprotect(payload).Result);
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.Unprotect(tag).Result);
        Assert.Equal(indexes, receiver.GetRtpIndexes(Ssrc));
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(second).Result);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_ForgedPacketFarAhead_DoesNotMoveTheRolloverCounter(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(sender.Protect(Rtp(60000, Ssrc))).Result);

        // A forgery with sequence 10 would be estimated at ROC 1; had it been accepted, 60001 would later be wrong.
        var forged = sender.Protect(Rtp(10, Ssrc));
        forged[^2] ^= 0x40;
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.Unprotect(forged).Result);

        Assert.Equal((ulong?)60000, receiver.GetRtpIndexes(Ssrc).Received);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(sender.Protect(Rtp(60001, Ssrc))).Result);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_ForgedFirstPacketOfNewSsrc_CreatesNoState(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var forged = sender.Protect(Rtp(5, Ssrc));
        forged[15] ^= 0x01;

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.Unprotect(forged).Result);

        Assert.Equal(0, receiver.RtpStreamCount);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_SamePacketTwice_SecondIsReplayed(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var packet = sender.Protect(Rtp(42, Ssrc));

        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(packet).Result);
        Assert.Equal(SrtpResult.Replayed, receiver.Unprotect(packet).Result);
    }

    [Fact]
    public void UnprotectRtp_OutOfOrderWithinWindow_AcceptedOnceEach()
    {
        using var sender = Create("AES_CM_128_HMAC_SHA1_80");
        using var receiver = Create("AES_CM_128_HMAC_SHA1_80");
        var packets = Enumerable.Range(0, 200).Select(i => sender.Protect(Rtp((ushort)(1000 + i), Ssrc))).ToArray();

        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(packets[199]).Result);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(packets[199 - 127]).Result);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(packets[150]).Result);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(packets[198]).Result);

        Assert.Equal(SrtpResult.Replayed, receiver.Unprotect(packets[150]).Result);
        Assert.Equal(SrtpResult.Replayed, receiver.Unprotect(packets[199 - 127]).Result);
    }

    [Fact]
    public void UnprotectRtp_OlderThanTheWindow_Replayed()
    {
        using var sender = Create("AEAD_AES_128_GCM");
        using var receiver = Create("AEAD_AES_128_GCM");
        var old = sender.Protect(Rtp(1000 - 128, Ssrc));
        var edge = sender.Protect(Rtp(1000 - 127, Ssrc));
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(sender.Protect(Rtp(1000, Ssrc))).Result);

        Assert.Equal(SrtpResult.Replayed, receiver.Unprotect(old).Result);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(edge).Result);
    }

    [Fact]
    public void UnprotectRtp_PacketFromBeforeTheFirstWithRocZero_Replayed()
    {
        using var earlier = Create("AES_CM_128_HMAC_SHA1_80");
        using var sender = Create("AES_CM_128_HMAC_SHA1_80");
        using var receiver = Create("AES_CM_128_HMAC_SHA1_80");
        var early = earlier.Protect(Rtp(65530, Ssrc));
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(sender.Protect(Rtp(10, Ssrc))).Result);

        // Appendix A guesses ROC - 1 for it, and there is no ROC -1.
        Assert.Equal(SrtpResult.Replayed, receiver.Unprotect(early).Result);
        Assert.Equal((ulong?)10, receiver.GetRtpIndexes(Ssrc).Received);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_70000PacketsAcrossTheWrapWithReordering_SenderAndReceiverAgreeOnTheRoc(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        const int count = 70_000;
        const int start = 1000;
        var order = Enumerable.Range(0, count).ToArray();

        // The relay may be handed packets out of order near the wrap (65535 after 0, 0 after 2), and the network may
        // reorder what it sends: both happen here, on the protect side and again on the unprotect side.
        var wrap = 65536 - start;
        Swap(order, wrap - 1, wrap);
        Swap(order, wrap + 2, wrap - 3);
        var protectedPackets = new byte[count][];
        foreach (var n in order)
        {
            protectedPackets[n] = sender.Protect(Rtp((ushort)(start + n), Ssrc, payloadLength: 20, fill: (byte)n));
        }

        var arrival = Enumerable.Range(0, count).ToArray();
        Swap(arrival, wrap, wrap + 5);
        Swap(arrival, wrap - 2, wrap + 1);
        Swap(arrival, wrap + 100, wrap + 3);
        foreach (var n in arrival)
        {
            var (result, plain) = receiver.Unprotect(protectedPackets[n]);
            Assert.True(result == SrtpResult.Ok, $"packet {n}: {result}");
            Assert.Equal(Rtp((ushort)(start + n), Ssrc, payloadLength: 20, fill: (byte)n), plain);
        }

        var last = (1UL << 16) | (ulong)((start + count - 1) & 0xFFFF);
        Assert.Equal(((ulong?)last, (ulong?)last), (sender.GetRtpIndexes(Ssrc).Sent, receiver.GetRtpIndexes(Ssrc).Received));
    }

    [Fact]
    public void ProtectRtp_AfterTheWrap_UsesRocOneInTheKeystream()
    {
        using var sender = Create("AES_CM_128_HMAC_SHA1_80");
        using var fresh = Create("AES_CM_128_HMAC_SHA1_80");
        sender.Protect(Rtp(65535, Ssrc));
        var afterWrap = sender.Protect(Rtp(0, Ssrc));

        // The same packet under ROC 0 must encrypt differently (RFC 3711 §4.1.1: the IV includes the 48-bit index).
        var rocZero = fresh.Protect(Rtp(0, Ssrc));

        Assert.NotEqual(afterWrap[12..], rocZero[12..]);
        Assert.Equal((ulong?)0x1_0000, sender.GetRtpIndexes(Ssrc).Sent);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtp_SsrcChange_KeepsEachStreamsState(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        const uint other = 0x55667788;
        var a1 = sender.Protect(Rtp(500, Ssrc));
        var b1 = sender.Protect(Rtp(30000, other));
        var a2 = sender.Protect(Rtp(501, Ssrc));

        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(a1).Result);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(b1).Result);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(a2).Result);
        Assert.Equal(SrtpResult.Replayed, receiver.Unprotect(a1).Result);
        Assert.Equal(SrtpResult.Replayed, receiver.Unprotect(b1).Result);
        Assert.Equal(2, receiver.RtpStreamCount);
    }

    [Fact]
    public void UnprotectRtp_MoreSsrcsThanTheTableHolds_ForgetsTheLeastRecentlyUsed()
    {
        using var sender = Create("AEAD_AES_128_GCM");
        using var receiver = Create("AEAD_AES_128_GCM");
        var first = sender.Protect(Rtp(1, 1));
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(first).Result);
        for (uint ssrc = 2; ssrc <= SrtpContext.MaxStreams; ssrc++)
        {
            Assert.Equal(SrtpResult.Ok, receiver.Unprotect(sender.Protect(Rtp(1, ssrc))).Result);
        }

        // SSRC 1 is refreshed, so SSRC 2 is the oldest when SSRC 17 arrives.
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(sender.Protect(Rtp(2, 1))).Result);
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(sender.Protect(Rtp(1, SrtpContext.MaxStreams + 1))).Result);

        Assert.Equal(SrtpContext.MaxStreams, receiver.RtpStreamCount);
        Assert.Null(receiver.GetRtpIndexes(2).Received);
        Assert.Equal(SrtpResult.Replayed, receiver.Unprotect(first).Result);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtcp_SamePacketTwice_SecondIsReplayed(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var first = sender.ProtectControl(RtcpSenderReport(Ssrc, 1));
        var second = sender.ProtectControl(RtcpSenderReport(Ssrc, 2));

        Assert.Equal(SrtpResult.Ok, receiver.UnprotectControl(second).Result);
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectControl(first).Result);
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectControl(first).Result);
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectControl(second).Result);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void UnprotectRtcp_TamperedPacket_FailsAndLeavesStateUnchanged(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var genuine = sender.ProtectControl(RtcpSenderReport(Ssrc, 1));
        var body = (byte[])genuine.Clone();
        body[12] ^= 0x01;
        var index = (byte[])genuine.Clone();
        index[sender.Suite.IsAead ? ^1 : 28 + 3] ^= 0x01;
        var tag = (byte[])genuine.Clone();
        tag[sender.Suite.IsAead ? ^5 : ^1] ^= 0x01;

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectControl(body).Result);
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectControl(index).Result);
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectControl(tag).Result);
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectControl(genuine).Result);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Protect_OutputTooSmall_ReportedWithoutChangingState(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var rtp = Rtp(9, Ssrc);
        var rtcp = RtcpSenderReport(Ssrc);

        Assert.Equal(SrtpResult.OutputTooSmall, sender.ProtectRtp(rtp, new byte[rtp.Length + sender.RtpOverhead - 1], out var written));
        Assert.Equal(0, written);
        Assert.Equal(SrtpResult.OutputTooSmall, sender.ProtectRtcp(rtcp, new byte[rtcp.Length + sender.RtcpOverhead - 1], out written));
        Assert.Equal(0, written);
        Assert.Null(sender.GetRtpIndexes(Ssrc).Sent);

        // The first SRTCP packet still carries index 0.
        var protectedRtcp = sender.ProtectControl(rtcp);
        var trailerAt = sender.Suite.IsAead ? protectedRtcp.Length - 4 : rtcp.Length;
        Assert.Equal(new byte[] { 0x80, 0, 0, 0 }, protectedRtcp[trailerAt..(trailerAt + 4)]);

        var protectedRtp = sender.Protect(rtp);
        Assert.Equal(SrtpResult.OutputTooSmall, receiver.UnprotectRtp(protectedRtp, new byte[rtp.Length - 1], out written));
        Assert.Equal(SrtpResult.OutputTooSmall, receiver.UnprotectRtcp(protectedRtcp, new byte[rtcp.Length - 1], out written));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(protectedRtp, new byte[rtp.Length], out written));
        Assert.Equal(rtp.Length, written);
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(protectedRtcp, new byte[rtcp.Length], out written));
        Assert.Equal(rtcp.Length, written);
    }

    [Theory]
    [InlineData("80 00 0001 00000000 000000")]
    [InlineData("40 00 0001 00000000 00000001 aabbccdd")]
    [InlineData("83 00 0001 00000000 00000001 aabbccdd")]
    [InlineData("90 00 0001 00000000 00000001 bede")]
    [InlineData("90 00 0001 00000000 00000001 bede0002 aabbccdd")]
    public void ProtectRtp_MalformedHeader_Malformed(string hex)
    {
        using var context = Create("AES_CM_128_HMAC_SHA1_80");

        Assert.Equal(SrtpResult.Malformed, context.ProtectRtp(Hex(hex), new byte[100], out var written));
        Assert.Equal(0, written);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Unprotect_ShorterThanHeaderPlusTagOrWrongVersion_Malformed(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var rtp = sender.Protect(Rtp(1, Ssrc, payloadLength: 0));
        var rtcp = sender.ProtectControl(RtcpSenderReport(Ssrc));
        var oldVersion = (byte[])rtp.Clone();
        oldVersion[0] = 0x40;
        var oldVersionRtcp = (byte[])rtcp.Clone();
        oldVersionRtcp[0] = 0x40;

        Assert.Equal(SrtpResult.Malformed, receiver.Unprotect(rtp[..^1]).Result);
        Assert.Equal(SrtpResult.Malformed, receiver.Unprotect(oldVersion).Result);
        Assert.Equal(SrtpResult.Malformed, receiver.UnprotectControl(rtcp[..(8 + receiver.RtcpOverhead - 1)]).Result);
        Assert.Equal(SrtpResult.Malformed, receiver.UnprotectControl(oldVersionRtcp).Result);
        Assert.Equal(SrtpResult.Malformed, sender.ProtectRtcp(Hex("80c80006 0000"), new byte[100], out _));
        Assert.Equal(SrtpResult.Ok, receiver.Unprotect(rtp).Result);
    }

    [Fact]
    public void ProtectRtp_OutputOverlapsInput_Throws()
    {
        using var context = Create("AES_CM_128_HMAC_SHA1_80");
        var buffer = new byte[200];
        Rtp(1, Ssrc).CopyTo(buffer, 0);

        Assert.Throws<ArgumentException>(() => context.ProtectRtp(buffer.AsSpan(0, 172), buffer.AsSpan(10), out _));
    }

    [Theory]
    [InlineData("AES_CM_128_HMAC_SHA1_80", 16, 12)]
    [InlineData("AEAD_AES_128_GCM", 16, 14)]
    [InlineData("AEAD_AES_256_GCM", 16, 12)]
    public void Create_WrongKeyOrSaltLength_Throws(string suiteName, int keyLength, int saltLength)
    {
        Assert.True(SrtpSuite.TryGet(suiteName, out var suite));

        Assert.Throws<ArgumentException>(() => SrtpContext.Create(suite, new byte[keyLength], new byte[saltLength]));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Create_DifferentMasterKeys_DoNotInteroperate(string suiteName)
    {
        Assert.True(SrtpSuite.TryGet(suiteName, out var suite));
        using var sender = SrtpContext.Create(suite, Bytes(suite.KeyLength, 1), Bytes(suite.SaltLength, 2));
        using var receiver = SrtpContext.Create(suite, Bytes(suite.KeyLength, 3), Bytes(suite.SaltLength, 2));

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.Unprotect(sender.Protect(Rtp(1, Ssrc))).Result);
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectControl(sender.ProtectControl(RtcpSenderReport(Ssrc))).Result);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public async Task RtpAndRtcp_Concurrently_EveryPacketRoundTrips(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        const int count = 20_000;

        var rtp = Task.Run(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var packet = Rtp((ushort)i, Ssrc, payloadLength: 160 + (i % 7));
                var (result, plain) = receiver.Unprotect(sender.Protect(packet));
                if (result != SrtpResult.Ok || !plain.AsSpan().SequenceEqual(packet))
                {
                    return $"RTP {i}: {result}";
                }
            }

            return null;
        });
        var rtcp = Task.Run(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var packet = RtcpSenderReport(Ssrc, (uint)i);
                var (result, plain) = receiver.UnprotectControl(sender.ProtectControl(packet));
                if (result != SrtpResult.Ok || !plain.AsSpan().SequenceEqual(packet))
                {
                    return $"RTCP {i}: {result}";
                }
            }

            return null;
        });

        Assert.All(await Task.WhenAll(rtp, rtcp), Assert.Null);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void ProtectAndUnprotect_AfterWarmUp_AllocateNothing(string suiteName)
    {
        using var sender = Create(suiteName);
        using var receiver = Create(suiteName);
        var rtp = Rtp(1, Ssrc);
        var rtcp = RtcpSenderReport(Ssrc);
        var wire = new byte[300];
        var plain = new byte[300];
        for (var i = 0; i < 100; i++)
        {
            RoundTrip(i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var failures = 0;
        for (var i = 100; i < 1100; i++)
        {
            failures += RoundTrip(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);

        // No assertion inside the measured loop: xunit's own comparisons allocate.
        int RoundTrip(int i)
        {
            rtp[2] = (byte)(i >> 8);
            rtp[3] = (byte)i;
            sender.ProtectRtp(rtp, wire, out var written);
            var rtpResult = receiver.UnprotectRtp(wire.AsSpan(0, written), plain, out _);
            sender.ProtectRtcp(rtcp, wire, out written);
            var rtcpResult = receiver.UnprotectRtcp(wire.AsSpan(0, written), plain, out _);
            return (rtpResult == SrtpResult.Ok ? 0 : 1) + (rtcpResult == SrtpResult.Ok ? 0 : 1);
        }
    }

    private static SrtpContext Create(string suiteName)
    {
        Assert.True(SrtpSuite.TryGet(suiteName, out var suite));
        return SrtpContext.Create(suite, Bytes(suite.KeyLength, 0x10), Bytes(suite.SaltLength, 0x40));
    }

    private static byte[] Bytes(int length, byte first) => [.. Enumerable.Range(first, length).Select(i => (byte)i)];

    private static void Swap(int[] order, int a, int b) => (order[a], order[b]) = (order[b], order[a]);
}
