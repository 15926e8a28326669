using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Headers;

/// <summary>A CSeq value: <c>1*DIGIT LWS Method</c> (RFC 3261 §20.16, §25.1).</summary>
public sealed class CSeqHeader
{
    /// <summary>The exclusive upper bound of a sequence number (RFC 3261 §8.1.1.5).</summary>
    public const uint Limit = 1u << 31;

    /// <summary>Creates a CSeq value.</summary>
    /// <exception cref="ArgumentException">The number is not below 2^31 or the method is not a token.</exception>
    public CSeqHeader(uint sequence, string method)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sequence, Limit);
        if (!SipLexer.IsToken(method))
        {
            throw new ArgumentException("A method must be a token.", nameof(method));
        }

        Sequence = sequence;
        Method = method;
    }

    /// <summary>The sequence number, below 2^31.</summary>
    public uint Sequence { get; }

    /// <summary>The method, case-sensitive (RFC 3261 §7.1).</summary>
    public string Method { get; }

    /// <summary>Parses a CSeq value.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out CSeqHeader? result, out string? error)
    {
        result = null;
        var i = SipLexer.SkipLws(value, 0);
        var start = i;
        while (i < value.Length && char.IsAsciiDigit(value[i]))
        {
            i++;
        }

        if (i == start)
        {
            error = "CSeq must start with a number";
            return false;
        }

        var digits = value[start..i].TrimStart('0');
        if (digits.Length > 10 || (digits.Length > 0 && ulong.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) >= Limit))
        {
            error = "CSeq number must be less than 2^31";
            return false;
        }

        var sequence = digits.IsEmpty ? 0u : uint.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var methodStart = SipLexer.SkipLws(value, i);
        if (methodStart == i)
        {
            error = "expected whitespace between CSeq number and method";
            return false;
        }

        var end = methodStart;
        while (end < value.Length && SipLexer.IsTokenChar(value[end]))
        {
            end++;
        }

        if (end == methodStart || SipLexer.SkipLws(value, end) != value.Length)
        {
            error = "invalid CSeq method";
            return false;
        }

        result = new CSeqHeader(sequence, value[methodStart..end].ToString());
        error = null;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Sequence.ToString(CultureInfo.InvariantCulture) + " " + Method;
}
