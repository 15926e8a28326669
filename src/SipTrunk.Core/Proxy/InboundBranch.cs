using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Proxy;

/// <summary>One fork of an <see cref="InboundCall"/>.</summary>
internal sealed class InboundBranch
{
    public InboundBranch(InboundTarget target, DateTimeOffset startedAt)
    {
        Target = target;
        StartedAt = startedAt;
    }

    public InboundTarget Target { get; }

    public DateTimeOffset StartedAt { get; }

    public SipFlow? Flow { get; set; }

    public ClientTransaction? Transaction { get; set; }

    /// <summary>True once the fork has its outcome (final response, timeout, transport error, cancel).</summary>
    public bool Done { get; set; }
}
