namespace SipTrunk.Configuration;

/// <summary><c>Routes[]</c>: a number prefix and the carriers it may go to.</summary>
internal sealed record RouteOptions
{
    /// <summary>Empty matches every number (the default route).</summary>
    public string Prefix { get; init; } = "";

    public IReadOnlyList<string> Carriers { get; init; } = [];
}
