using System.Net.Sockets;
using SipTrunk.Sip.Messages;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Peers;

/// <summary>A call the in-test registrar sent to baresip, which answered 180 Ringing.</summary>
internal sealed record RingingCall(BaresipProcess Baresip, RegisteredSession Session, TcpListener Listener, CertificateFiles Peer, string CallId, SipResponse Ringing);
