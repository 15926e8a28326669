namespace SipTrunk.Sip.Sdp;

/// <summary>
/// An attribute line <c>a=&lt;name&gt;[:&lt;value&gt;]</c> (RFC 8866 §5.13). The value is kept raw; a property
/// attribute has a null <see cref="Value"/>, while <c>a=name:</c> has an empty one, so the text round-trips.
/// </summary>
public sealed record SdpAttribute
{
    /// <summary>Creates an attribute; <paramref name="name"/> must be a token without <c>:</c>, the value must not contain CR, LF or NUL.</summary>
    public SdpAttribute(string name, string? value = null)
    {
        SdpText.ThrowIfNotToken(name, nameof(name));
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("Attribute name must not contain ':'.", nameof(name));
        }

        if (value is not null)
        {
            SdpText.ThrowIfNotLineSafe(value, nameof(value));
        }

        Name = name;
        Value = value;
    }

    private SdpAttribute(string name, string? value, bool trusted)
    {
        _ = trusted;
        Name = name;
        Value = value;
    }

    /// <summary>The attribute name (case-sensitive), e.g. <c>rtpmap</c>.</summary>
    public string Name { get; }

    /// <summary>The text after the first <c>:</c>, or null for a property attribute such as <c>a=sendrecv</c>.</summary>
    public string? Value { get; }

    /// <summary>The exact text after <c>a=</c>, secrets included.</summary>
    public string ToWireString() => Value is null ? Name : string.Concat(Name, ":", Value);

    /// <summary>The attribute with key material redacted; use for logs only.</summary>
    public override string ToString() => SdpText.RedactLineValue('a', ToWireString());

    /// <summary>Splits a received <c>a=</c> value at its first colon; any text is accepted so unknown attributes survive.</summary>
    internal static SdpAttribute FromLineValue(string lineValue)
    {
        int colon = lineValue.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? new SdpAttribute(lineValue, null, trusted: true)
            : new SdpAttribute(lineValue[..colon], lineValue[(colon + 1)..], trusted: true);
    }

    /// <summary>True when the raw <c>a=</c> line value names attribute <paramref name="name"/>, without allocating.</summary>
    internal static bool LineHasName(string lineValue, string name) =>
        lineValue.StartsWith(name, StringComparison.Ordinal)
        && (lineValue.Length == name.Length || lineValue[name.Length] == ':');
}
