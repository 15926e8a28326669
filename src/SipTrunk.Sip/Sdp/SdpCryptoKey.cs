using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text;

namespace SipTrunk.Sip.Sdp;

/// <summary>
/// One SDES key-param <c>inline:&lt;key||salt base64&gt;[|&lt;lifetime&gt;][|&lt;mki&gt;:&lt;length&gt;]</c> (RFC 4568 §9.1, §6.1).
/// Immutable; <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class SdpCryptoKey
{
    private readonly byte[] _keyAndSalt;
    private readonly string? _raw;

    /// <summary>Creates a key-param from raw key||salt bytes.</summary>
    /// <param name="keyAndSalt">Master key followed by master salt.</param>
    /// <param name="lifetime">Number of SRTP packets the key may protect, or null.</param>
    /// <param name="mki">MKI value and its length in bytes (1-128), or null.</param>
    public SdpCryptoKey(ReadOnlySpan<byte> keyAndSalt, ulong? lifetime = null, (ulong Value, int Length)? mki = null)
    {
        if (keyAndSalt.IsEmpty)
        {
            throw new ArgumentException("Key material must not be empty.", nameof(keyAndSalt));
        }

        if (mki is { } m && !IsMkiValid(m.Value, m.Length))
        {
            throw new ArgumentOutOfRangeException(nameof(mki), "MKI length must be 1-128 bytes and the value must fit in it (RFC 4568 §9.1).");
        }

        _keyAndSalt = keyAndSalt.ToArray();
        Lifetime = lifetime;
        Mki = mki;
    }

    private SdpCryptoKey(byte[] keyAndSalt, ulong? lifetime, (ulong Value, int Length)? mki, string raw)
    {
        _keyAndSalt = keyAndSalt;
        Lifetime = lifetime;
        Mki = mki;
        _raw = raw;
    }

    /// <summary>Master key followed by master salt, decoded from base64.</summary>
    public ReadOnlyMemory<byte> KeyAndSalt => _keyAndSalt;

    /// <summary>Key lifetime in packets; <c>2^n</c> forms are expanded.</summary>
    public ulong? Lifetime { get; }

    /// <summary>Master Key Identifier value and its length in bytes.</summary>
    public (ulong Value, int Length)? Mki { get; }

    /// <summary>The key-param as it goes on the wire (after re-encoding for constructed keys), key included.</summary>
    public string ToWireString() => _raw ?? Format(Convert.ToBase64String(_keyAndSalt));

    /// <summary>The key-param with the key replaced by <c>&lt;redacted&gt;</c>.</summary>
    public override string ToString() => Format(SdpText.Redacted);

    /// <summary>Parses one key-param; on failure <paramref name="error"/> says why.</summary>
    internal static bool TryParse(string text, [NotNullWhen(true)] out SdpCryptoKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        const string Inline = "inline:";

        // ABNF literals are case-insensitive (RFC 5234 §2.3).
        if (!text.StartsWith(Inline, StringComparison.OrdinalIgnoreCase))
        {
            error = "key-param must use the inline: key method";
            return false;
        }

        string[] fields = text[Inline.Length..].Split('|');
        if (fields.Length > 3)
        {
            error = "too many '|' fields in key-info";
            return false;
        }

        if (!TryDecodeBase64(fields[0], out byte[]? keyAndSalt))
        {
            error = "key-salt is not valid base64";
            return false;
        }

        ulong? lifetime = null;
        (ulong, int)? mki = null;
        for (int i = 1; i < fields.Length; i++)
        {
            string field = fields[i];
            int colon = field.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                // The MKI is always the last field.
                if (mki is not null || i != fields.Length - 1
                    || !SdpText.TryParseDigits(field.AsSpan(0, colon), 20, out ulong mkiValue)
                    || !SdpText.TryParseDigits(field.AsSpan(colon + 1), 3, out ulong mkiLength)
                    || !IsMkiValid(mkiValue, (int)mkiLength))
                {
                    error = "malformed MKI (expected <value>:<length 1-128>)";
                    return false;
                }

                mki = (mkiValue, (int)mkiLength);
            }
            else
            {
                if (lifetime is not null || i != 1 || !TryParseLifetime(field, out ulong parsedLifetime))
                {
                    error = "malformed lifetime (expected 2^<n> or a decimal count)";
                    return false;
                }

                lifetime = parsedLifetime;
            }
        }

        key = new SdpCryptoKey(keyAndSalt, lifetime, mki, text);
        error = null;
        return true;
    }

    private static bool TryParseLifetime(string field, out ulong lifetime)
    {
        lifetime = 0;
        if (field.StartsWith("2^", StringComparison.Ordinal))
        {
            if (!SdpText.TryParseDigits(field.AsSpan(2), 2, out ulong exponent) || exponent > 63)
            {
                return false;
            }

            lifetime = 1UL << (int)exponent;
            return true;
        }

        return SdpText.TryParseDigits(field, 20, out lifetime);
    }

    private static bool TryDecodeBase64(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text.Length == 0)
        {
            return false;
        }

        foreach (char c in text)
        {
            // Convert.TryFromBase64String skips whitespace; the grammar has none.
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                return false;
            }
        }

        // Some implementations omit the '=' padding; accept both forms.
        string padded = (text.Length % 4) switch
        {
            0 => text,
            2 => text + "==",
            3 => text + "=",
            _ => string.Empty,
        };
        if (padded.Length == 0)
        {
            return false;
        }

        byte[] buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out int written) || written == 0)
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        return true;
    }

    private static bool IsMkiValid(ulong value, int length) =>
        length is >= 1 and <= 128 && (length >= 8 || value < 1UL << (8 * length));

    private string Format(string keyText)
    {
        var builder = new StringBuilder("inline:", 64).Append(keyText);
        if (Lifetime is ulong lifetime)
        {
            builder.Append('|');
            if (lifetime > 1 && BitOperations.IsPow2(lifetime))
            {
                builder.Append("2^").Append(SdpText.Invariant(BitOperations.Log2(lifetime)));
            }
            else
            {
                builder.Append(SdpText.Invariant(lifetime));
            }
        }

        if (Mki is { } mki)
        {
            builder.Append('|').Append(SdpText.Invariant(mki.Value)).Append(':').Append(SdpText.Invariant(mki.Length));
        }

        return builder.ToString();
    }
}
