using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>
/// A hand-made TLS ClientHello (RFC 5246 §7.4.1.2), for clients this machine's OpenSSL would refuse to be: TLS 1.1, or
/// TLS 1.2 with CBC suites only. No supported_versions extension, so the version field is all the client offers.
/// </summary>
internal static class TlsClientHello
{
    public const ushort Tls11 = 0x0302;
    public const ushort Tls12 = 0x0303;

    /// <summary>TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA.</summary>
    public static ushort[] CbcSuites { get; } = [0xC009, 0xC013, 0x002F];

    public static byte[] Build(ushort version, IReadOnlyList<ushort> cipherSuites)
    {
        var extensions = new List<byte>();
        AddExtension(extensions, 0x000A, [0x00, 0x04, 0x00, 0x1D, 0x00, 0x17]); // supported_groups: x25519, secp256r1
        AddExtension(extensions, 0x000B, [0x01, 0x00]); // ec_point_formats: uncompressed
        AddExtension(extensions, 0x000D, [0x00, 0x04, 0x04, 0x03, 0x08, 0x04]); // signature_algorithms: ecdsa_p256_sha256, rsa_pss_sha256

        var body = new List<byte>();
        AddUInt16(body, version);
        body.AddRange(RandomNumberGenerator.GetBytes(32));
        body.Add(0); // no session id
        AddUInt16(body, (ushort)(cipherSuites.Count * 2));
        foreach (var suite in cipherSuites)
        {
            AddUInt16(body, suite);
        }

        body.AddRange([0x01, 0x00]); // compression: null only
        AddUInt16(body, (ushort)extensions.Count);
        body.AddRange(extensions);

        var handshake = new List<byte> { 0x01, 0, (byte)(body.Count >> 8), (byte)body.Count };
        handshake.AddRange(body);
        var record = new List<byte> { 0x16, 0x03, 0x01 };
        AddUInt16(record, (ushort)handshake.Count);
        record.AddRange(handshake);
        return [.. record];
    }

    private static void AddExtension(List<byte> target, ushort type, byte[] data)
    {
        AddUInt16(target, type);
        AddUInt16(target, (ushort)data.Length);
        target.AddRange(data);
    }

    private static void AddUInt16(List<byte> target, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        target.AddRange(bytes.ToArray());
    }
}
