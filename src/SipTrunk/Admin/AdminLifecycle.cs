namespace SipTrunk.Admin;

/// <summary>Whether the process is shutting down: <c>/readyz</c> then answers 503 so load balancers stop sending.</summary>
internal sealed class AdminLifecycle
{
    private volatile bool _draining;

    public bool Draining => _draining;

    public void BeginDraining() => _draining = true;
}
