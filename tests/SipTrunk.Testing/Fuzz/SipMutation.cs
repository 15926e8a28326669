namespace SipTrunk.Testing.Fuzz;

/// <summary>The kinds of damage <see cref="SipMutator"/> does to a seed message.</summary>
public enum SipMutation
{
    /// <summary>A few bits flipped at random offsets.</summary>
    BitFlip,

    /// <summary>Cut short at a random offset.</summary>
    Truncate,

    /// <summary>A header line repeated, once or hundreds of times (header-count limits, single-valued headers twice).</summary>
    DuplicateHeader,

    /// <summary>A header value or the Request-URI grown by kilobytes (line, URI and message size limits).</summary>
    HugeValue,

    /// <summary>Content-Length replaced by a wrong, negative, huge or non-numeric value, or a second conflicting one.</summary>
    BadContentLength,

    /// <summary>Bytes that are not UTF-8 (lone continuation bytes, overlong forms, 0xFE/0xFF) in a header value.</summary>
    InvalidUtf8,

    /// <summary>NUL bytes in the start line, a header name or a value.</summary>
    Nul,

    /// <summary>A header value folded onto continuation lines (RFC 3261 §7.3.1), or a continuation with no header before it.</summary>
    FoldedLine,

    /// <summary>CRLF replaced by a bare LF or CR.</summary>
    BareLineEnding,

    /// <summary>A header line removed (mandatory headers missing).</summary>
    RemoveHeader,

    /// <summary>Two header lines swapped, or the start line moved among the headers.</summary>
    SwapLines,

    /// <summary>SIP delimiters (<c>&lt; &gt; " ; : @ % \ ,</c>) inserted at random.</summary>
    Delimiters,

    /// <summary>The method, version or status code replaced.</summary>
    StartLine,
}
