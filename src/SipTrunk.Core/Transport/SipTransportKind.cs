namespace SipTrunk.Core.Transport;

/// <summary>The transport a flow runs on (the Via transport token: UDP, TCP, TLS).</summary>
public enum SipTransportKind
{
    Udp,
    Tcp,
    Tls,
}
