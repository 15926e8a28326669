namespace SipTrunk.Sip.Messages;

/// <summary>
/// A header line of a message being built: either a line of the source message, copied byte-for-byte
/// (<see cref="SourceIndex"/> ≥ 0), or a new line with a name and text value.
/// </summary>
internal readonly record struct OutgoingHeader(HeaderId Id, string? Name, string? Value, int SourceIndex)
{
    public bool IsFromSource => SourceIndex >= 0;
}
