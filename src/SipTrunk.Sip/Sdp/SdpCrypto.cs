using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace SipTrunk.Sip.Sdp;

/// <summary>
/// An SDES crypto attribute value <c>&lt;tag&gt; &lt;crypto-suite&gt; &lt;key-params&gt; [&lt;session-params&gt;]</c> (RFC 4568 §9.1).
/// Immutable. Any suite token is accepted; for suites in <see cref="SdpCryptoSuites"/> each key must have the suite's key+salt length.
/// <see cref="ToString"/> is redacted; use <see cref="ToWireString"/> only to build SDP.
/// </summary>
public sealed class SdpCrypto
{
    private readonly string? _raw;

    /// <summary>Creates a crypto attribute value, validating the tag (1-9 digits), suite token, key lengths and session parameters.</summary>
    public SdpCrypto(int tag, string suite, IEnumerable<SdpCryptoKey> keys, IEnumerable<string>? sessionParameters = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (tag is < 0 or > 999_999_999)
        {
            throw new ArgumentOutOfRangeException(nameof(tag), tag, "Tag must be 1-9 decimal digits (RFC 4568 §9.1).");
        }

        SdpText.ThrowIfNotToken(suite, nameof(suite));
        SdpCryptoKey[] keyArray = [.. keys];
        if (keyArray.Length == 0)
        {
            throw new ArgumentException("At least one key is required.", nameof(keys));
        }

        string? lengthError = CheckKeyLengths(suite, keyArray);
        if (lengthError is not null)
        {
            throw new ArgumentException(lengthError, nameof(keys));
        }

        string[] parameters = sessionParameters is null ? [] : [.. sessionParameters];
        foreach (string parameter in parameters)
        {
            SdpText.ThrowIfNotToken(parameter, nameof(sessionParameters));
        }

        Tag = tag;
        Suite = suite;
        Keys = keyArray;
        SessionParameters = parameters;
    }

    private SdpCrypto(int tag, string suite, SdpCryptoKey[] keys, string[] sessionParameters, string raw)
    {
        Tag = tag;
        Suite = suite;
        Keys = keys;
        SessionParameters = sessionParameters;
        _raw = raw;
    }

    /// <summary>The tag that the answer echoes to accept this offer line (RFC 4568 §5.1).</summary>
    public int Tag { get; }

    /// <summary>The crypto-suite name, verbatim.</summary>
    public string Suite { get; }

    /// <summary>One or more key-params (RFC 4568 §5.1.3).</summary>
    public IReadOnlyList<SdpCryptoKey> Keys { get; }

    /// <summary>Session parameters verbatim, e.g. <c>UNENCRYPTED_SRTCP</c>, <c>KDR=24</c>, <c>WSH=128</c> (RFC 4568 §6.3).</summary>
    public IReadOnlyList<string> SessionParameters { get; }

    /// <summary>Whether the suite's key lengths are known (and were therefore checked).</summary>
    public bool IsKnownSuite => SdpCryptoSuites.IsKnown(Suite);

    /// <summary>Builds a crypto value with one inline key from the given key||salt bytes (e.g. the relay's fresh keys).</summary>
    public static SdpCrypto Create(int tag, string suite, ReadOnlySpan<byte> keyAndSalt, IEnumerable<string>? sessionParameters = null) =>
        new(tag, suite, [new SdpCryptoKey(keyAndSalt)], sessionParameters);

    /// <summary>Builds a crypto value with fresh random key material from <see cref="RandomNumberGenerator"/> for a known suite.</summary>
    public static SdpCrypto Generate(int tag, string suite)
    {
        if (!SdpCryptoSuites.TryGetKeyLengths(suite, out int keyLength, out int saltLength))
        {
            throw new ArgumentException($"Unknown crypto suite '{suite}'; cannot choose a key length.", nameof(suite));
        }

        Span<byte> keyAndSalt = stackalloc byte[keyLength + saltLength];
        RandomNumberGenerator.Fill(keyAndSalt);
        try
        {
            return Create(tag, suite, keyAndSalt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndSalt);
        }
    }

    /// <summary>Parses the value after <c>a=crypto:</c>; never throws.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpCrypto? crypto, [NotNullWhen(false)] out string? error)
    {
        crypto = null;
        if (value is null)
        {
            error = "missing value";
            return false;
        }

        // RFC 4568 §9.1: fields are separated by 1*WSP.
        string[] fields = value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            error = "expected <tag> <crypto-suite> <key-params>";
            return false;
        }

        if (!SdpText.TryParseDigits(fields[0], 9, out ulong tag))
        {
            error = "tag must be 1-9 decimal digits";
            return false;
        }

        string suite = fields[1];
        string[] keyParams = fields[2].Split(';');
        var keys = new SdpCryptoKey[keyParams.Length];
        for (int i = 0; i < keyParams.Length; i++)
        {
            if (!SdpCryptoKey.TryParse(keyParams[i], out SdpCryptoKey? key, out string? keyError))
            {
                error = keyError;
                return false;
            }

            keys[i] = key;
        }

        error = CheckKeyLengths(suite, keys);
        if (error is not null)
        {
            return false;
        }

        crypto = new SdpCrypto((int)tag, suite, keys, fields[3..], value);
        return true;
    }

    /// <summary>The attribute value as it goes on the wire (verbatim when parsed), key material included.</summary>
    public string ToWireString() => _raw ?? Format(key => key.ToWireString());

    /// <summary>The attribute <c>crypto:&lt;value&gt;</c>.</summary>
    public SdpAttribute ToAttribute() => new("crypto", ToWireString());

    /// <summary>The value with key material replaced by <c>&lt;redacted&gt;</c>; safe for logs.</summary>
    public override string ToString() => Format(key => key.ToString());

    private static string? CheckKeyLengths(string suite, IReadOnlyList<SdpCryptoKey> keys)
    {
        if (!SdpCryptoSuites.TryGetKeyLengths(suite, out int keyLength, out int saltLength))
        {
            return null;
        }

        foreach (SdpCryptoKey key in keys)
        {
            if (key.KeyAndSalt.Length != keyLength + saltLength)
            {
                return $"{suite} needs {keyLength + saltLength} bytes of key and salt, got {key.KeyAndSalt.Length}";
            }
        }

        return null;
    }

    private string Format(Func<SdpCryptoKey, string> keyText)
    {
        var builder = new StringBuilder(128);
        builder.Append(SdpText.Invariant(Tag)).Append(' ').Append(Suite).Append(' ');
        for (int i = 0; i < Keys.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(';');
            }

            builder.Append(keyText(Keys[i]));
        }

        foreach (string parameter in SessionParameters)
        {
            builder.Append(' ').Append(parameter);
        }

        return builder.ToString();
    }
}
