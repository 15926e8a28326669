using SipTrunk.Core.Cdr;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;

namespace SipTrunk.Admin;

/// <summary>
/// What the admin API reads from the running proxy. Every member is safe to call from any thread at any time, also
/// before the engine has finished starting (then it reports nothing bound, nothing registered).
/// </summary>
internal interface IAdminSource
{
    /// <summary>The process's counters.</summary>
    SipTrunkMetrics Metrics { get; }

    /// <summary>Active calls and ended-call counts.</summary>
    CallCounters Calls { get; }

    /// <summary>The call-record store, or null while none is available.</summary>
    ICallRecordStore? CallRecords { get; }

    /// <summary>Every enabled listener and where it is bound.</summary>
    IReadOnlyList<ListenerStatus> Listeners();

    /// <summary>The registrar's unexpired bindings.</summary>
    IReadOnlyList<RegistrarBinding> Registrations();

    /// <summary>Every configured carrier with its health, in configuration order.</summary>
    IReadOnlyList<CarrierStatus> Carriers();

    /// <summary>The certificates SipTrunk presents or trusts, with their expiry.</summary>
    IReadOnlyList<CertificateExpiry> Certificates();
}
