using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using SipTrunk.Sip.Headers;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Peers;

/// <summary>The in-test server's side of baresip's registered TLS connection (see <see cref="BaresipProcessTests"/>).</summary>
/// <param name="Tls">The connection baresip opened.</param>
/// <param name="Reader">Reads SIP messages off <paramref name="Tls"/>.</param>
/// <param name="Binding">The Contact baresip registered.</param>
/// <param name="ClientCertificate">The certificate baresip presented.</param>
internal sealed record RegisteredSession(SslStream Tls, SipStreamReader Reader, ContactValue Binding, X509Certificate2? ClientCertificate);
