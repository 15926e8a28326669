using SipTrunk.Sip.Sdp;

namespace SipTrunk.Sip.Tests.Sdp;

public sealed class SdpCryptoTests
{
    private const string Key30 = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

    private static SdpCrypto ParseValid(string value)
    {
        Assert.True(SdpCrypto.TryParse(value, out SdpCrypto? crypto, out string? error), error);
        return crypto;
    }

    private static string ParseInvalid(string value)
    {
        Assert.False(SdpCrypto.TryParse(value, out SdpCrypto? crypto, out string? error));
        Assert.Null(crypto);
        return error;
    }

    [Fact]
    public void TryParse_Rfc4568LifetimeAndMkiExample_ReadsAllFields()
    {
        SdpCrypto crypto = ParseValid("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|2^20|1:32");

        Assert.Equal(1, crypto.Tag);
        Assert.Equal(SdpCryptoSuites.AesCm128HmacSha1_80, crypto.Suite);
        Assert.True(crypto.IsKnownSuite);
        SdpCryptoKey key = Assert.Single(crypto.Keys);
        Assert.Equal(Convert.FromBase64String(Key30), key.KeyAndSalt.ToArray());
        Assert.Equal(30, key.KeyAndSalt.Length);
        Assert.Equal(1UL << 20, key.Lifetime);
        Assert.Equal((1UL, 32), key.Mki);
        Assert.Empty(crypto.SessionParameters);
    }

    [Fact]
    public void TryParse_Rfc4568MultipleKeysWithMki_ReadsEachKey()
    {
        const string Value = "2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP";

        SdpCrypto crypto = ParseValid(Value);

        Assert.Equal(2, crypto.Keys.Count);
        Assert.Equal((1UL, 4), crypto.Keys[0].Mki);
        Assert.Equal((2UL, 4), crypto.Keys[1].Mki);
        Assert.Equal("123456789ABCDE0123456789ABcdef", System.Text.Encoding.ASCII.GetString(crypto.Keys[0].KeyAndSalt.Span));
        Assert.Equal(["FEC_ORDER=FEC_SRTP"], crypto.SessionParameters);
        Assert.Equal(Value, crypto.ToWireString());
    }

    [Fact]
    public void TryParse_Rfc4568ExampleWith34ByteKey_RejectedForAesCm128()
    {
        // The first crypto line of the RFC 4568 offer example carries 46 base64 characters (34 bytes), more than the 30 the suite
        // needs; a strict length check has to refuse it.
        string error = ParseInvalid("1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVzcyAoc2|2^20|1:4 FEC_ORDER=FEC_SRTP");

        Assert.Contains("30 bytes", error, StringComparison.Ordinal);
        Assert.Contains("34", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SessionParameters_KeptVerbatimInOrder()
    {
        SdpCrypto crypto = ParseValid("7 AES_CM_128_HMAC_SHA1_32 inline:" + Key30 + " KDR=24  UNENCRYPTED_SRTCP WSH=128 FEC_KEY=inline:x");

        Assert.Equal(["KDR=24", "UNENCRYPTED_SRTCP", "WSH=128", "FEC_KEY=inline:x"], crypto.SessionParameters);
    }

    [Theory]
    [InlineData("2^20", 1048576UL)]
    [InlineData("2^0", 1UL)]
    [InlineData("2^63", 9223372036854775808UL)]
    [InlineData("1048576", 1048576UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void TryParse_Lifetime_PowerAndDecimalForms(string lifetime, ulong expected)
    {
        SdpCrypto crypto = ParseValid("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|" + lifetime);

        Assert.Equal(expected, crypto.Keys[0].Lifetime);
        Assert.Null(crypto.Keys[0].Mki);
    }

    [Fact]
    public void TryParse_MkiWithoutLifetime_ReadsMki()
    {
        SdpCrypto crypto = ParseValid("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|255:1");

        Assert.Null(crypto.Keys[0].Lifetime);
        Assert.Equal((255UL, 1), crypto.Keys[0].Mki);
    }

    [Theory]
    [InlineData(SdpCryptoSuites.AeadAes128Gcm, 28)]
    [InlineData(SdpCryptoSuites.AeadAes256Gcm, 44)]
    [InlineData(SdpCryptoSuites.AesCm128HmacSha1_80, 30)]
    [InlineData(SdpCryptoSuites.AesCm128HmacSha1_32, 30)]
    [InlineData(SdpCryptoSuites.Aes192CmHmacSha1_80, 38)]
    [InlineData(SdpCryptoSuites.Aes256CmHmacSha1_80, 46)]
    [InlineData(SdpCryptoSuites.Aes256CmHmacSha1_32, 46)]
    public void TryParse_KnownSuite_AcceptsOnlyItsKeyLength(string suite, int length)
    {
        string right = Convert.ToBase64String(Pattern(length));

        Assert.Equal(length, ParseValid($"1 {suite} inline:{right}").Keys[0].KeyAndSalt.Length);
        Assert.Equal(length, ParseValid($"1 {suite} inline:{right.TrimEnd('=')}").Keys[0].KeyAndSalt.Length);
        Assert.Contains($"{length} bytes", ParseInvalid($"1 {suite} inline:{Convert.ToBase64String(Pattern(length - 1))}"), StringComparison.Ordinal);
        Assert.Contains($"{length} bytes", ParseInvalid($"1 {suite} inline:{Convert.ToBase64String(Pattern(length + 3))}"), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Rfc7714GcmKeyLengths_MatchSuiteTable()
    {
        Assert.True(SdpCryptoSuites.TryGetKeyLengths(SdpCryptoSuites.AeadAes128Gcm, out int key128, out int salt128));
        Assert.True(SdpCryptoSuites.TryGetKeyLengths(SdpCryptoSuites.AeadAes256Gcm, out int key256, out int salt256));

        Assert.Equal((16, 12), (key128, salt128));
        Assert.Equal((32, 12), (key256, salt256));
        Assert.False(SdpCryptoSuites.TryGetKeyLengths("NEW_SUITE", out _, out _));
    }

    [Fact]
    public void TryParse_UnknownSuite_AcceptsAnyKeyLength()
    {
        SdpCrypto crypto = ParseValid("3 FUTURE_SUITE_512 inline:AAEC");

        Assert.False(crypto.IsKnownSuite);
        Assert.Equal([0, 1, 2], crypto.Keys[0].KeyAndSalt.ToArray());
    }

    [Theory]
    [InlineData("", "expected")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80", "expected")]
    [InlineData("x AES_CM_128_HMAC_SHA1_80 inline:" + Key30, "tag")]
    [InlineData("-1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30, "tag")]
    [InlineData("1234567890 AES_CM_128_HMAC_SHA1_80 inline:" + Key30, "tag")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 uri:http://example.com/key", "inline")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:", "base64")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:@@@@", "base64")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:A", "base64")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|2^64", "lifetime")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|2^", "lifetime")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|18446744073709551616", "lifetime")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|1:0", "MKI")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|1:129", "MKI")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|256:1", "MKI")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|1:4|2^20", "MKI")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|2^20|2^20", "lifetime")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|2^20|1:4|x", "too many")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + ";", "inline")]
    public void TryParse_Malformed_FailsWithReason(string value, string reasonFragment)
    {
        Assert.Contains(reasonFragment, ParseInvalid(value), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RelayKey_WireFormParsesBack()
    {
        byte[] keyAndSalt = Pattern(30);

        SdpCrypto crypto = SdpCrypto.Create(1, SdpCryptoSuites.AesCm128HmacSha1_80, keyAndSalt, ["UNENCRYPTED_SRTCP"]);

        Assert.Equal("1 AES_CM_128_HMAC_SHA1_80 inline:" + Convert.ToBase64String(keyAndSalt) + " UNENCRYPTED_SRTCP", crypto.ToWireString());
        Assert.Equal("crypto", crypto.ToAttribute().Name);
        SdpCrypto reparsed = ParseValid(crypto.ToWireString());
        Assert.Equal(keyAndSalt, reparsed.Keys[0].KeyAndSalt.ToArray());
        Assert.Throws<ArgumentException>(() => SdpCrypto.Create(1, SdpCryptoSuites.AeadAes128Gcm, keyAndSalt));
    }

    [Fact]
    public void Constructor_KeyWithLifetimeAndMki_FormatsPowerOfTwo()
    {
        var key = new SdpCryptoKey(Pattern(30), lifetime: 1UL << 31, mki: (7, 2));

        var crypto = new SdpCrypto(5, SdpCryptoSuites.AesCm128HmacSha1_32, [key, new SdpCryptoKey(Pattern(30), 1000, (8, 2))]);

        string wire = crypto.ToWireString();
        string base64 = Convert.ToBase64String(Pattern(30));
        Assert.Equal($"5 AES_CM_128_HMAC_SHA1_32 inline:{base64}|2^31|7:2;inline:{base64}|1000|8:2", wire);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdpCryptoKey(Pattern(30), mki: (256, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdpCrypto(1_000_000_000, "X", [key]));
    }

    [Theory]
    [InlineData(SdpCryptoSuites.AesCm128HmacSha1_80, 30)]
    [InlineData(SdpCryptoSuites.AeadAes128Gcm, 28)]
    [InlineData(SdpCryptoSuites.AeadAes256Gcm, 44)]
    public void Generate_KnownSuite_FreshKeyOfSuiteLength(string suite, int length)
    {
        SdpCrypto first = SdpCrypto.Generate(1, suite);
        SdpCrypto second = SdpCrypto.Generate(1, suite);

        Assert.Equal(length, first.Keys[0].KeyAndSalt.Length);
        Assert.NotEqual(first.Keys[0].KeyAndSalt.ToArray(), second.Keys[0].KeyAndSalt.ToArray());
        Assert.Throws<ArgumentException>(() => SdpCrypto.Generate(1, "UNKNOWN"));
    }

    [Fact]
    public void ToString_ParsedCrypto_IsRedacted()
    {
        SdpCrypto crypto = ParseValid("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|2^20|1:32 KDR=1");

        Assert.Equal("1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>|2^20|1:32 KDR=1", crypto.ToString());
        Assert.Equal("inline:<redacted>|2^20|1:32", crypto.Keys[0].ToString());
        Assert.DoesNotContain(Key30, crypto.ToAttribute().ToString(), StringComparison.Ordinal);
        Assert.Contains(Key30, crypto.ToWireString(), StringComparison.Ordinal);
    }

    private static byte[] Pattern(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 1))];
}
