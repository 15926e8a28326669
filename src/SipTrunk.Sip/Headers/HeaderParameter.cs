namespace SipTrunk.Sip.Headers;

/// <summary>One <c>generic-param</c> of a header value (RFC 3261 §25.1).</summary>
/// <param name="Name">The parameter name as received.</param>
/// <param name="Value">The value, unquoted and unescaped; <see langword="null"/> for a flag parameter.</param>
/// <param name="IsQuoted">Whether the value was (and will be written as) a quoted-string.</param>
public readonly record struct HeaderParameter(string Name, string? Value, bool IsQuoted);
