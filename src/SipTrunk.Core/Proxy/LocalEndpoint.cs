using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// An address SipTrunk is reachable at for one transport: written into the Via sent-by and the Record-Route it inserts,
/// and recognised in Route headers and Request-URIs as "this proxy" (RFC 3261 §16.4).
/// </summary>
public sealed record LocalEndpoint(SipTransportKind Transport, string Host, int Port);
