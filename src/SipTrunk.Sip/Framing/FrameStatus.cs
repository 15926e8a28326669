namespace SipTrunk.Sip.Framing;

/// <summary>What the frame scanner found at the start of a stream buffer.</summary>
public enum FrameStatus
{
    /// <summary>Not enough bytes yet for a whole message; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>A whole message of <see cref="SipFrame.Length"/> bytes starts the buffer.</summary>
    Message,

    /// <summary>A CRLFCRLF keep-alive ping (RFC 5626 §4.4.1): answer with a single CRLF.</summary>
    KeepAlivePing,

    /// <summary>A single CRLF followed by more data: a keep-alive pong, or a CRLF before a start line (RFC 3261 §7.5): skip it.</summary>
    KeepAlivePong,

    /// <summary>The stream cannot be framed (too large, conflicting lengths): close the connection.</summary>
    Invalid,
}
