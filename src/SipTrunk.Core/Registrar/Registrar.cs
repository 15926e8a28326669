using SipTrunk.Core.Proxy;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Registrar;

/// <summary>
/// REGISTER processing (RFC 3261 §10.3) for an authenticated peer: its own AORs only, bindings with expiry, 423 with
/// Min-Expires, <c>Contact: *</c> removal, Call-ID/CSeq ordering, RFC 5626 instance/reg-id, RFC 3327 Path; each binding
/// remembers the flow the REGISTER came on.
/// </summary>
public sealed class Registrar
{
    public Registrar(RegistrarSettings settings, LocationService locations, TimeProvider time)
    {
        _ = settings;
        _ = locations;
        _ = time;
    }

    /// <summary>Applies one REGISTER from <paramref name="peer"/> (already authenticated) arriving on <paramref name="flow"/>.</summary>
    public RegisterResult Register(SipRequest request, SipFlow flow, PeerDefinition peer) => throw new NotImplementedException();
}
