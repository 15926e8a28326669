namespace SipTrunk.Sip.Messages;

/// <summary>What SipTrunk knows about one header field name.</summary>
/// <param name="Id">The header's identifier.</param>
/// <param name="Name">The canonical (RFC) spelling, used when SipTrunk writes the header.</param>
/// <param name="CompactForm">The RFC 3261 §7.3.3 compact form, or <c>'\0'</c> if none.</param>
/// <param name="IsList">
/// True when the header's grammar is a comma-separated list (RFC 3261 §7.3.1), so several values may
/// share a line and lines may be combined. False for headers whose values contain commas themselves
/// (authentication headers, Date, …).
/// </param>
public sealed record HeaderInfo(HeaderId Id, string Name, char CompactForm, bool IsList)
{
    internal byte[] NameBytes { get; } = System.Text.Encoding.ASCII.GetBytes(Name);
}
