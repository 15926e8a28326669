using System.Net;

namespace SipTrunk.Core.Transport;

/// <summary>One configured listener (<c>Listeners[]</c>): a socket SipTrunk binds and accepts SIP on.</summary>
/// <param name="Name">The configured name; flows accepted on it carry it as <see cref="SipFlow.ListenerName"/>.</param>
/// <param name="Transport">UDP, TCP or TLS.</param>
/// <param name="EndPoint">Address and port to bind; port 0 picks a free port (see <see cref="BoundListener"/>).</param>
/// <param name="ClientCertificate">For TLS listeners, whether a client certificate is required; ignored otherwise.</param>
public sealed record ListenerDefinition(
    string Name,
    SipTransportKind Transport,
    IPEndPoint EndPoint,
    ClientCertificateRequirement ClientCertificate);
