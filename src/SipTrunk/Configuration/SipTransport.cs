namespace SipTrunk.Configuration;

/// <summary><c>Listeners[].Transport</c>: the SIP transport of a listener (RFC 3261 §18).</summary>
internal enum SipTransport
{
    Tls,
    Tcp,
    Udp,
}
