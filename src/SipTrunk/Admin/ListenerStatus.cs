namespace SipTrunk.Admin;

/// <summary>One enabled listener: its name, transport and bound address (<c>ip:port</c>), null while not bound.</summary>
internal sealed record ListenerStatus(string Name, string Transport, string? BoundAddress);
