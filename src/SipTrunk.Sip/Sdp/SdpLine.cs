namespace SipTrunk.Sip.Sdp;

/// <summary>
/// One <c>&lt;type&gt;=&lt;value&gt;</c> line of a session description (RFC 8866 §5), kept verbatim.
/// Immutable; <see cref="ToString"/> hides key material.
/// </summary>
public sealed class SdpLine
{
    /// <summary>Creates a line, validating that <paramref name="type"/> is an ASCII letter and <paramref name="value"/> holds no CR, LF or NUL.</summary>
    public SdpLine(char type, string value)
    {
        if (!char.IsAsciiLetter(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "SDP line type must be an ASCII letter.");
        }

        SdpText.ThrowIfNotLineSafe(value, nameof(value));
        Type = type;
        Value = value;
    }

    private SdpLine(char type, string value, bool trusted)
    {
        _ = trusted;
        Type = type;
        Value = value;
    }

    /// <summary>The type letter, e.g. <c>'a'</c>, <c>'c'</c>, <c>'b'</c>.</summary>
    public char Type { get; }

    /// <summary>Everything after the <c>=</c>, exactly as received (without the line ending).</summary>
    public string Value { get; }

    /// <summary>For <c>a=</c> lines, the attribute view of this line; otherwise null.</summary>
    public SdpAttribute? Attribute => Type == 'a' ? SdpAttribute.FromLineValue(Value) : null;

    /// <summary>The line (without line ending) with key material redacted; use for logs only.</summary>
    public override string ToString() => string.Concat(Type.ToString(), "=", SdpText.RedactLineValue(Type, Value));

    /// <summary>The exact line text (without line ending), secrets included.</summary>
    public string ToWireString() => string.Concat(Type.ToString(), "=", Value);

    /// <summary>Used by the parser and by typed setters whose output is already validated.</summary>
    internal static SdpLine Trusted(char type, string value) => new(type, value, trusted: true);
}
