using SipTrunk.Core.Routing;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Proxy;

/// <summary>One carrier attempt of an <see cref="OutboundCall"/>: its flow, its transaction(s) and its timer.</summary>
internal sealed class CallBranch
{
    public CallBranch(CarrierDefinition carrier, DateTimeOffset startedAt)
    {
        Carrier = carrier;
        StartedAt = startedAt;
    }

    public CarrierDefinition Carrier { get; }

    public DateTimeOffset StartedAt { get; }

    public SipFlow? Flow { get; set; }

    public ClientTransaction? Transaction { get; set; }

    public ITimer? Timer { get; set; }

    /// <summary>True once the attempt has its outcome (final response, timeout, transport error, cancel).</summary>
    public bool Done { get; set; }

    /// <summary>True once the carrier's digest challenge has been answered (once per attempt).</summary>
    public bool AuthAnswered { get; set; }

    /// <summary>The SDP offer as this carrier was sent it (anchored to SipTrunk's relay), for digest auth-int and resends.</summary>
    public ReadOnlyMemory<byte>? Body { get; set; }
}
