namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// The SRTP key derivation function (RFC 3711 §4.3) with key_derivation_rate 0, the only rate SDES uses by default
/// (RFC 4568 §6.1): each session key is the AES-CM keystream under the master key, started at
/// IV = (master_salt XOR (label || r)) * 2^16 with r = 0 (§4.3.1, §4.3.3). The AEAD suites reuse it with their 96-bit
/// master salt (RFC 7714 §11), which takes the place of the 112-bit one padded with two zero octets on the right, as
/// libsrtp and other implementations do.
/// </summary>
internal static class SrtpKeyDerivation
{
    /// <summary>SRTP encryption key (RFC 3711 §4.3.1).</summary>
    public const byte RtpEncryptionLabel = 0x00;

    /// <summary>SRTP authentication key.</summary>
    public const byte RtpAuthenticationLabel = 0x01;

    /// <summary>SRTP salting key.</summary>
    public const byte RtpSaltLabel = 0x02;

    /// <summary>SRTCP encryption key (RFC 3711 §4.3.2).</summary>
    public const byte RtcpEncryptionLabel = 0x03;

    /// <summary>SRTCP authentication key.</summary>
    public const byte RtcpAuthenticationLabel = 0x04;

    /// <summary>SRTCP salting key.</summary>
    public const byte RtcpSaltLabel = 0x05;

    private const int MaxSaltLength = 14;

    /// <summary>Derives <paramref name="output"/>.Length bytes for <paramref name="label"/>.</summary>
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        using var prf = new AesCounterMode(masterKey);
        Derive(prf, masterSalt, label, output);
    }

    /// <summary>Derives with AES-CM already keyed with the master key (one instance serves every label).</summary>
    public static void Derive(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterSalt.Length > MaxSaltLength)
        {
            throw new ArgumentException("The master salt is at most 112 bits.", nameof(masterSalt));
        }

        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        masterSalt.CopyTo(iv);

        // key_id = label || r is 56 bits (r = index DIV 0 = 0, 48 bits), aligned to the right of the 112-bit salt:
        // the label lands on octet 7 (RFC 3711 §4.3.1; B.3 shows 0x02 turning ...FEEB... into ...FEE9...).
        iv[7] ^= label;
        prf.Keystream(iv, output);
    }
}
