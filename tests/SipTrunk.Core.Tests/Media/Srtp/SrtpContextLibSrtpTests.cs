using SipTrunk.Core.Media.Srtp;
using static SipTrunk.Core.Tests.Media.Srtp.SrtpTestPackets;

namespace SipTrunk.Core.Tests.Media.Srtp;

/// <summary>
/// Against libsrtp 2 (a real peer's implementation): SRTP is deterministic, so for the same master key, packets and
/// order both must produce the same bytes, across the sequence wrap, with CSRCs, extensions, padding and an SSRC change;
/// and each must accept what the other protects. This also checks the key derivation for every suite, including the
/// AEAD suites' 96-bit master salt.
/// </summary>
public class SrtpContextLibSrtpTests(LibSrtpReference libsrtp) : IClassFixture<LibSrtpReference>
{
    public static TheoryData<string> Suites => new(SrtpSuite.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Suites))]
    public async Task ProtectRtp_SameInputs_SameBytesAsLibSrtpAndEachAcceptsTheOther(string suiteName)
    {
        var (suite, key, salt) = Keys(suiteName);
        using var ours = SrtpContext.Create(suite, key, salt);
        using var receiver = SrtpContext.Create(suite, key, salt);
        var packets = RtpStream();

        var protectedByUs = packets.Select(ours.Protect).ToArray();
        var replies = await libsrtp.RunAsync(
            suite,
            key,
            salt,
            [.. packets.Select(p => ("p", p)), .. protectedByUs.Select(p => ("u", p))]);

        for (var i = 0; i < packets.Length; i++)
        {
            Assert.True(replies[i] is not null, $"libsrtp refused to protect packet {i}");
            Assert.True(protectedByUs[i].AsSpan().SequenceEqual(replies[i]), $"packet {i} differs from libsrtp's");
            Assert.True(packets[i].AsSpan().SequenceEqual(replies[packets.Length + i]), $"libsrtp did not recover packet {i}");
            var (result, plain) = receiver.Unprotect(replies[i]!);
            Assert.True(result == SrtpResult.Ok && plain.AsSpan().SequenceEqual(packets[i]), $"packet {i} from libsrtp: {result}");
        }
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public async Task ProtectRtcp_SameIndex_SameBytesAsLibSrtpAndEachAcceptsTheOther(string suiteName)
    {
        var (suite, key, salt) = Keys(suiteName);
        using var ours = SrtpContext.Create(suite, key, salt);
        using var receiver = SrtpContext.Create(suite, key, salt);
        var packets = Enumerable.Range(1, 40).Select(i => RtcpSenderReport(i < 30 ? 0xA1B2C3D4u : 0x0BADF00Du, (uint)i)).ToArray();

        // libsrtp numbers SRTCP packets from 1, RFC 3711 §3.4 (and SipTrunk) from 0: index 0 goes to a packet of our own.
        ours.ProtectControl(RtcpSenderReport(0xA1B2C3D4u));
        ours.ProtectControl(RtcpSenderReport(0x0BADF00Du));
        var protectedByUs = packets.Select(ours.ProtectControl).ToArray();
        var replies = await libsrtp.RunAsync(
            suite,
            key,
            salt,
            [.. packets.Select(p => ("pc", p)), .. protectedByUs.Select(p => ("uc", p))]);

        for (var i = 0; i < packets.Length; i++)
        {
            Assert.True(replies[i] is not null, $"libsrtp refused to protect RTCP packet {i}");
            Assert.True(protectedByUs[i].AsSpan().SequenceEqual(replies[i]), $"RTCP packet {i} differs from libsrtp's");
            Assert.True(packets[i].AsSpan().SequenceEqual(replies[packets.Length + i]), $"libsrtp did not recover RTCP packet {i}");
            var (result, plain) = receiver.UnprotectControl(replies[i]!);
            Assert.True(result == SrtpResult.Ok && plain.AsSpan().SequenceEqual(packets[i]), $"RTCP packet {i} from libsrtp: {result}");
        }
    }

    // Across the wrap 65535 -> 0 with a pair handed over out of order, header variants, then a second SSRC.
    private static byte[][] RtpStream()
    {
        var packets = new List<byte[]>();
        for (var n = 0; n < 400; n++)
        {
            var sequence = (ushort)(65300 + n);
            packets.Add(Rtp(
                sequence,
                0x5EED0001,
                payloadLength: (n * 37) % 300,
                csrcCount: n % 5 == 0 ? n % 4 : 0,
                extensionWords: n % 7 == 0 ? n % 3 : -1,
                padding: n % 11 == 0 ? 4 : 0));
        }

        var wrap = 65536 - 65300;
        (packets[wrap - 1], packets[wrap]) = (packets[wrap], packets[wrap - 1]);
        for (var n = 0; n < 20; n++)
        {
            packets.Add(Rtp((ushort)(n * 3000), 0x5EED0002, payloadLength: 160));
        }

        return [.. packets];
    }

    private static (SrtpSuite Suite, byte[] Key, byte[] Salt) Keys(string suiteName)
    {
        Assert.True(SrtpSuite.TryGet(suiteName, out var suite));
        var random = new Random(suiteName.Length);
        var key = new byte[suite.KeyLength];
        var salt = new byte[suite.SaltLength];
        random.NextBytes(key);
        random.NextBytes(salt);
        return (suite, key, salt);
    }
}
