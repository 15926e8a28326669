using Microsoft.Extensions.Configuration;

namespace SipTrunk.Configuration;

/// <summary>The outcome of <see cref="ConfigurationLoader.Load"/>: valid options, or every problem found.</summary>
internal sealed record ConfigurationLoadResult(
    string ConfigPath,
    IConfiguration Configuration,
    SipTrunkOptions Options,
    IReadOnlyList<ConfigProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;

    /// <summary>Things to fix soon that do not stop SipTrunk (certificates about to expire, stale CRLs), as <c>key: reason</c>.</summary>
    public IReadOnlyList<ConfigProblem> Warnings { get; init; } = [];
}
