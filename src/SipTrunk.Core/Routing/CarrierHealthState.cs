namespace SipTrunk.Core.Routing;

/// <summary>What SipTrunk currently believes about a carrier's reachability.</summary>
public enum CarrierHealthState
{
    /// <summary>No probe has answered or failed often enough yet; the carrier is used.</summary>
    Unknown,

    /// <summary>The last probe succeeded; the carrier is used.</summary>
    Up,

    /// <summary><see cref="CarrierDefinition.FailuresBeforeDown"/> probes in a row failed; the carrier is skipped until one succeeds.</summary>
    Down,
}
