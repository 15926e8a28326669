namespace SipTrunk.Core.Cdr;

/// <summary>One page of records, newest first, and the cursor of the next page (null when this is the last).</summary>
public sealed record CallRecordPage(IReadOnlyList<CallRecord> Items, string? NextCursor);
