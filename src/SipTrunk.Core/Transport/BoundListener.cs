using System.Net;

namespace SipTrunk.Core.Transport;

/// <summary>A listener after binding: its definition and the address it actually listens on.</summary>
/// <param name="Definition">The listener as configured.</param>
/// <param name="LocalEndPoint">The bound address, with the real port when the definition asked for port 0.</param>
public sealed record BoundListener(ListenerDefinition Definition, IPEndPoint LocalEndPoint);
