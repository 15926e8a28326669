namespace SipTrunk.Configuration;

/// <summary>One configuration problem: the full key (<c>Carriers[0].Uri</c>) and why it is wrong.</summary>
internal sealed record ConfigProblem(string Key, string Reason)
{
    public override string ToString() => $"{Key}: {Reason}";
}
