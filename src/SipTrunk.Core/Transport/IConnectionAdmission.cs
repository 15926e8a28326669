using System.Net;

namespace SipTrunk.Core.Transport;

/// <summary>Decides at accept (and per UDP datagram) whether an address may talk to SipTrunk at all (bans).</summary>
public interface IConnectionAdmission
{
    /// <summary>True when <paramref name="address"/> (IPv4-mapped addresses already mapped to IPv4) is refused now.</summary>
    bool IsRefused(IPAddress address);
}
