namespace SipTrunk.Core.Cdr;

/// <summary>The TLS sessions of a call's two legs: the one it arrived on and the one it left on.</summary>
public sealed record CallRecordTls(CallRecordTlsLeg? Inbound, CallRecordTlsLeg? Outbound);
