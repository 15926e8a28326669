using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using SipTrunk.Testing.Media;

namespace SipTrunk.IntegrationTests.Media;

/// <summary>
/// The classifier on packets built here: a G.711 µ-law 440 Hz tone (as baresip's ausine sends it) in clear, and the
/// same tone under an AES counter-mode keystream with a 10-byte tag (the shape of AES_CM_128_HMAC_SHA1_80).
/// <see cref="MediaHarnessTests"/> checks it on real baresip traffic.
/// </summary>
public sealed class RtpPacketClassifierTests
{
    [Fact]
    public void Classify_PcmuToneIn20MsFrame_IsPlainG711()
    {
        var info = RtpPacketClassifier.Classify(Rtp(0, Tone(160)));

        Assert.Equal(RtpPacketKind.Rtp, info.Kind);
        Assert.True(info.IsG711);
        Assert.Equal((12, 160), (info.HeaderLength, info.PayloadLength));
        Assert.Equal(0x1234u, info.Ssrc);
        Assert.Equal(RtpPayloadVerdict.Plain, info.LengthVerdict);
        Assert.Equal(RtpPayloadVerdict.Plain, info.EntropyVerdict);
        Assert.Equal(RtpPayloadVerdict.Plain, info.Verdict);
    }

    [Fact]
    public void Classify_EncryptedToneWithEightyBitTag_IsEncrypted()
    {
        var info = RtpPacketClassifier.Classify(Rtp(8, [.. Encrypt(Tone(160)), .. Keystream(10, 99)]));

        Assert.Equal(182, 12 + info.PayloadLength);
        Assert.Equal(RtpPayloadVerdict.Encrypted, info.LengthVerdict);
        Assert.Equal(RtpPayloadVerdict.Encrypted, info.EntropyVerdict);
        Assert.Equal(RtpPayloadVerdict.Encrypted, info.Verdict);
    }

    [Fact]
    public void Classify_CiphertextWithoutTag_SignalsDisagreeSoInconclusive()
    {
        var info = RtpPacketClassifier.Classify(Rtp(0, Encrypt(Tone(160))));

        Assert.Equal(RtpPayloadVerdict.Plain, info.LengthVerdict);
        Assert.Equal(RtpPayloadVerdict.Encrypted, info.EntropyVerdict);
        Assert.Equal(RtpPayloadVerdict.Inconclusive, info.Verdict);
    }

    [Fact]
    public void Classify_DynamicPayloadType_IsRtpWithoutLengthVerdict()
    {
        var info = RtpPacketClassifier.Classify(Rtp(101, [0x05, 0x0A, 0x00, 0xA0]));

        Assert.Equal(RtpPacketKind.Rtp, info.Kind);
        Assert.False(info.IsG711);
        Assert.Equal(RtpPayloadVerdict.Inconclusive, info.Verdict);
    }

    [Fact]
    public void Classify_CsrcsAndHeaderExtension_HeaderLengthCoversThem()
    {
        // V=2, X=1, CC=2; two CSRCs, then extension profile 0xBEDE with one 32-bit word.
        byte[] packet = [0x92, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 1, 1, 1, 1, 2, 2, 2, 2, 0xBE, 0xDE, 0, 1, 9, 9, 9, 9, .. Tone(160)];

        var info = RtpPacketClassifier.Classify(packet);

        Assert.Equal((28, 160), (info.HeaderLength, info.PayloadLength));
        Assert.Equal(RtpPayloadVerdict.Plain, info.Verdict);
    }

    [Fact]
    public void Classify_RtcpSenderReport_IsRtcp()
    {
        byte[] report = [0x80, 200, 0, 6, 0, 0, 0x56, 0x78, .. new byte[20]];

        var info = RtpPacketClassifier.Classify(report);

        Assert.Equal(RtpPacketKind.Rtcp, info.Kind);
        Assert.Equal(200, info.PayloadType);
        Assert.Equal(0x5678u, info.Ssrc);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF })]
    [InlineData(new byte[] { 0x80, 34, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF })]
    [InlineData(new byte[] { 0x90, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 9, 0 })]
    [InlineData(new byte[] { (byte)'I', (byte)'N', (byte)'V', (byte)'I', (byte)'T', (byte)'E', 0x20, (byte)'s', (byte)'i', (byte)'p', (byte)':', (byte)'x' })]
    public void Classify_NotRtp_SaysSo(byte[] packet) =>
        Assert.Equal(RtpPacketKind.NotRtp, RtpPacketClassifier.Classify(packet).Kind);

    [Fact]
    public void Entropy_KnownDistributions_ExactBits()
    {
        Assert.Equal(0, RtpPacketClassifier.Entropy(new byte[100]));
        Assert.Equal(1, RtpPacketClassifier.Entropy([1, 2, 1, 2]), 10);
        Assert.Equal(8, RtpPacketClassifier.Entropy(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray()), 10);
        Assert.Equal(0, RtpPacketClassifier.Entropy([]));
    }

    [Fact]
    public void Summarize_TwoDirections_OneSummaryEachInOrderOfAppearance()
    {
        var a = new IPEndPoint(IPAddress.Loopback, 4000);
        var b = new IPEndPoint(IPAddress.Loopback, 5000);
        var packets = new List<CapturedUdpPacket>();
        for (var i = 0; i < 10; i++)
        {
            packets.Add(Packet(a, b, Rtp(0, Tone(160, i * 160))));
            packets.Add(Packet(b, a, Rtp(0, [.. Encrypt(Tone(160, i * 160), i), .. Keystream(10, 1000 + i)])));
        }

        packets.Add(Packet(a, b, [0x80, 201, 0, 1, 0, 0, 0x12, 0x34]));

        var streams = RtpPacketClassifier.Summarize(packets);

        Assert.Equal(2, streams.Count);
        var (plain, encrypted) = (streams[0], streams[1]);
        Assert.Equal((a, b, 11, 10, 1, 10, 10), (plain.Source, plain.Destination, plain.Packets, plain.RtpPackets, plain.RtcpPackets, plain.G711Packets, plain.PlainPackets));
        Assert.Equal(RtpPayloadVerdict.Plain, plain.Verdict);
        Assert.Equal([160], plain.PayloadLengths.Keys);
        Assert.Equal((b, a, 10, 10), (encrypted.Source, encrypted.Destination, encrypted.G711Packets, encrypted.EncryptedPackets));
        Assert.Equal(RtpPayloadVerdict.Encrypted, encrypted.Verdict);
        Assert.True(encrypted.PayloadEntropy > RtpPacketClassifier.StreamEntropyThreshold && plain.PayloadEntropy < 6.5, $"{plain}\n{encrypted}");
    }

    private static CapturedUdpPacket Packet(IPEndPoint source, IPEndPoint destination, byte[] payload) =>
        new(DateTimeOffset.UnixEpoch, source, destination, payload.Length + 8, payload);

    private static byte[] Rtp(int payloadType, byte[] payload)
    {
        var packet = new byte[12 + payload.Length];
        packet[0] = 0x80;
        packet[1] = (byte)payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234);
        payload.CopyTo(packet, 12);
        return packet;
    }

    // 440 Hz at 8 kHz, half of full scale, µ-law coded (ITU-T G.711).
    private static byte[] Tone(int samples, int start = 0) =>
        [.. Enumerable.Range(start, samples).Select(n => MuLaw((short)(16384 * Math.Sin(2 * Math.PI * 440 * n / 8000))))];

    private static byte MuLaw(short linear)
    {
        const int Bias = 0x84;
        const int Clip = 32635;
        int sample = linear;
        var sign = sample < 0 ? 0x80 : 0;
        sample = Math.Min(Math.Abs(sample), Clip) + Bias;
        var exponent = 7;
        for (var mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (sample >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    private static byte[] Encrypt(byte[] plain, int block = 0)
    {
        var keystream = Keystream(plain.Length, block);
        return [.. plain.Select((value, i) => (byte)(value ^ keystream[i]))];
    }

    // AES counter mode from a fixed key: a deterministic stand-in for an SRTP keystream (RFC 3711 §4.1.1).
    private static byte[] Keystream(int length, int block)
    {
        using var aes = Aes.Create();
        aes.Key = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var counters = new byte[(length + 15) / 16 * 16];
        for (var i = 0; i < counters.Length / 16; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(counters.AsSpan((i * 16) + 8), ((long)block << 20) + i);
        }

        return aes.EncryptEcb(counters, PaddingMode.None)[..length];
    }
}
