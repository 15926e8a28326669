namespace SipTrunk.Core.Cdr;

/// <summary>One attempt of a call toward a carrier (or a fork toward a peer): when, and how it ended.</summary>
public sealed record CallRecordAttempt(string Carrier, DateTimeOffset StartedAt, int SipCode, string Reason);
