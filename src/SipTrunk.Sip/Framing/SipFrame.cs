namespace SipTrunk.Sip.Framing;

/// <summary>The result of scanning a stream buffer for one SIP message.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Length">Bytes to consume: the message, ping or pong length; 0 otherwise.</param>
/// <param name="Error">Why the stream cannot be framed, for <see cref="FrameStatus.Invalid"/>.</param>
public readonly record struct SipFrame(FrameStatus Status, int Length, string? Error)
{
    internal static SipFrame NeedMore => new(FrameStatus.NeedMoreData, 0, null);

    internal static SipFrame Invalid(string error) => new(FrameStatus.Invalid, 0, error);
}
