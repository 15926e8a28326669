namespace SipTrunk.Admin;

/// <summary>One file of the web dashboard: its bytes, Content-Type and entity tag.</summary>
internal sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);
