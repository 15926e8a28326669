using System.Net;

namespace SipTrunk.Core.Transport;

/// <summary>Decides at accept (and per UDP datagram) whether an address may talk to SipTrunk at all (bans).</summary>
public interface IConnectionAdmission
{
    /// <summary>True when <paramref name="address"/> (IPv4-mapped addresses already mapped to IPv4) is refused now.</summary>
    bool IsRefused(IPAddress address);

    /// <summary>True when datagrams from <paramref name="address"/> are refused now (every ban covers them).</summary>
    bool IsDatagramRefused(IPAddress address);

    /// <summary>
    /// Bans <paramref name="address"/> now (it kept flooding over its request rate): for datagrams only when the flood
    /// came over UDP, whose source address can be forged; for everything otherwise. True when this starts a ban.
    /// </summary>
    bool Ban(IPAddress address, bool datagramsOnly);
}
