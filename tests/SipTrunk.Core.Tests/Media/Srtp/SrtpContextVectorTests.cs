using SipTrunk.Core.Media.Srtp;
using static SipTrunk.Core.Tests.Media.Srtp.SrtpTestPackets;

namespace SipTrunk.Core.Tests.Media.Srtp;

/// <summary>
/// Known answers: the RFC 7714 §16 (SRTP) and §17 (SRTCP) AES-GCM vectors, which give the session key and salt directly,
/// and, since RFC 3711 has no full-packet vector for its HMAC-SHA1 suites, packets protected by libsrtp 2.5.0 from the
/// RFC 3711 B.3 master key (the live cross-check is <see cref="SrtpContextLibSrtpTests"/>).
/// </summary>
public class SrtpContextVectorTests
{
    private static readonly byte[] Key128 = Hex("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] Key256 = Hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    // "Quid pro quo".
    private static readonly byte[] Salt = Hex("517569642070726f2071756f");

    // "Gallia est omnis divisa in partes tres" behind a 12-byte header: SEQ 0xf17b, SSRC 0x5501a0b2, ROC 0.
    private static readonly byte[] RtpPacket = Hex("""
        8040f17b 8041f8d3 5501a0b2 47616c6c
        69612065 7374206f 6d6e6973 20646976
        69736120 696e2070 61727465 73207472
        6573
        """);

    private static readonly byte[] RtcpPacket = Hex("""
        81c8000d 4d617273 4e545031 4e545032
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef
        """);

    private const uint RtcpSsrc = 0x4d617273;
    private const int RtcpIndex = 0x5d4;

    public static TheoryData<string, string> RtpVectors => new()
    {
        // RFC 7714 §16.1.1 / §16.1.2.
        {
            "AEAD_AES_128_GCM",
            """
            8040f17b 8041f8d3 5501a0b2 f24de3a3
            fb34de6c acba861c 9d7e4bca be633bd5
            0d294e6f 42a5f47a 51c7d19b 36de3adf
            8833899d 7f27beb1 6a9152cf 765ee439
            0cce
            """
        },

        // RFC 7714 §16.2.1 / §16.2.2.
        {
            "AEAD_AES_256_GCM",
            """
            8040f17b 8041f8d3 5501a0b2 32b1de78
            a822fe12 ef9f78fa 332e33aa b1801238
            9a58e2f3 b50b2a02 76ffae0f 1ba63799
            b87b7aa3 db36dfff d6b0f9bb 7878d7a7
            6c13
            """
        },
    };

    // RFC 7714 §17: SRTCP index 0x5d4, E = 1 (encrypted and tagged).
    public static TheoryData<string, string> RtcpEncryptedVectors => new()
    {
        {
            "AEAD_AES_128_GCM",
            """
            81c8000d 4d617273 63e94885 dcdab67c
            a727d766 2f6b7e99 7ff5c0f7 6c06f32d
            c676a5f1 730d6fda 4ce09b46 86303ded
            0bb9275b c84aa458 96cf4d2f c5abf872
            45d9eade 800005d4
            """
        },
        {
            "AEAD_AES_256_GCM",
            """
            81c8000d 4d617273 d50ae4d1 f5ce5d30
            4ba297e4 7d470c28 2c3ece5d bffe0a50
            a2eaa5c1 110555be 8415f658 c61de047
            6f1b6fad 1d1eb30c 4446839f 57ff6f6c
            b26ac3be 800005d4
            """
        },
    };

    // RFC 7714 §17: E = 0 (tagged only; the whole RTCP packet is associated data).
    public static TheoryData<string, string> RtcpTaggedOnlyVectors => new()
    {
        {
            "AEAD_AES_128_GCM",
            """
            81c8000d 4d617273 4e545031 4e545032
            52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef
            deadbeef 841dd968 3dd78ec9 2ae58790
            125f62b3 000005d4
            """
        },
        {
            "AEAD_AES_256_GCM",
            """
            81c8000d 4d617273 4e545031 4e545032
            52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef
            deadbeef 91db4afb feee5a97 8fab4393
            ed2615fe 000005d4
            """
        },
    };

    [Theory]
    [MemberData(nameof(RtpVectors))]
    public void ProtectRtp_Rfc7714Section16_MatchesEncryptedAndTaggedPacket(string suiteName, string expected)
    {
        using var context = Rfc7714Context(suiteName);

        Assert.Equal(ToHex(Hex(expected)), ToHex(context.Protect(RtpPacket)));
    }

    [Theory]
    [MemberData(nameof(RtpVectors))]
    public void UnprotectRtp_Rfc7714Section16_RecoversThePacket(string suiteName, string encrypted)
    {
        using var context = Rfc7714Context(suiteName);

        var (result, plain) = context.Unprotect(Hex(encrypted));

        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(ToHex(RtpPacket), ToHex(plain));
    }

    [Theory]
    [MemberData(nameof(RtcpEncryptedVectors))]
    public void ProtectRtcp_Rfc7714Section17AtIndex0x5d4_MatchesEncryptedAndTaggedPacket(string suiteName, string expected)
    {
        using var context = Rfc7714Context(suiteName);

        // SRTCP indexes start at 0 (RFC 3711 §3.4): the vector's index is reached by protecting that many packets first.
        for (var i = 0; i < RtcpIndex; i++)
        {
            context.ProtectControl(RtcpPacket);
        }

        Assert.Equal(ToHex(Hex(expected)), ToHex(context.ProtectControl(RtcpPacket)));
    }

    [Theory]
    [MemberData(nameof(RtcpEncryptedVectors))]
    [MemberData(nameof(RtcpTaggedOnlyVectors))]
    public void UnprotectRtcp_Rfc7714Section17_RecoversThePacket(string suiteName, string protectedPacket)
    {
        using var context = Rfc7714Context(suiteName);

        var (result, plain) = context.UnprotectControl(Hex(protectedPacket));

        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(ToHex(RtcpPacket), ToHex(plain));
    }

    [Theory]
    [MemberData(nameof(RtcpTaggedOnlyVectors))]
    public void UnprotectRtcp_TaggedOnlyWithAlteredPayload_FailsAuthentication(string suiteName, string protectedPacket)
    {
        using var context = Rfc7714Context(suiteName);
        var packet = Hex(protectedPacket);
        packet[20] ^= 1;

        Assert.Equal(SrtpResult.AuthenticationFailed, context.UnprotectControl(packet).Result);
    }

    [Theory]
    [InlineData("AES_CM_128_HMAC_SHA1_80", "800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb")]
    [InlineData("AES_CM_128_HMAC_SHA1_32", "800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc")]
    public void ProtectRtp_HmacSuitesFromRfc3711B3MasterKey_MatchLibSrtp(string suiteName, string expected)
    {
        using var context = Rfc3711MasterKeyContext(suiteName);

        var protectedPacket = context.Protect(Hex("800f1234decafbadcafebabe abababababababababababababababab"));

        Assert.Equal(ToHex(Hex(expected)), ToHex(protectedPacket));
    }

    [Theory]
    [InlineData("AES_CM_128_HMAC_SHA1_80")]
    [InlineData("AES_CM_128_HMAC_SHA1_32")]
    public void UnprotectRtcp_HmacSuitesFromRfc3711B3MasterKey_AcceptsLibSrtpPacket(string suiteName)
    {
        using var context = Rfc3711MasterKeyContext(suiteName);

        // libsrtp's first SRTCP index is 1; the tag stays 80 bits for both suites (RFC 4568 §6.2.2).
        var (result, plain) = context.UnprotectControl(Hex(
            "80c80006cafebabe 592849224365a8481552d9aa52dc0e677e442daa 80000001 936a5d462032bd724335"));

        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal("80c80006cafebabe83abe1d20c49ba5e0001e2400000006400003e80", ToHex(plain));
    }

    private static SrtpContext Rfc7714Context(string suiteName)
    {
        Assert.True(SrtpSuite.TryGet(suiteName, out var suite));
        var key = suite.KeyLength == 32 ? Key256 : Key128;
        return SrtpContext.CreateWithSessionKeys(
            suite,
            SrtpCipher.FromSessionKeys(suite, key, Salt, default),
            SrtpCipher.FromSessionKeys(suite, key, Salt, default));
    }

    private static SrtpContext Rfc3711MasterKeyContext(string suiteName)
    {
        Assert.True(SrtpSuite.TryGet(suiteName, out var suite));
        return SrtpContext.Create(suite, Hex("E1F97A0D3E018BE0D64FA32C06DE4139"), Hex("0EC675AD498AFEEBB6960B3AABE6"));
    }
}
