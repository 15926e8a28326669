namespace SipTrunk.Core.Proxy;

/// <summary>Where a <see cref="ProxyDrain"/> is.</summary>
public enum ProxyDrainState
{
    /// <summary>Not started: calls are accepted.</summary>
    Running,

    /// <summary>New calls are refused; calls in progress may finish on their own.</summary>
    Draining,

    /// <summary>The drain time is over (or every call finished): SipTrunk ends what is left and lets its BYEs go out.</summary>
    EndingCalls,

    /// <summary>No call is left; the engine may stop.</summary>
    Drained,
}
