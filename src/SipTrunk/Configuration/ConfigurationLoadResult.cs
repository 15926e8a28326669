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

    /// <summary>The <c>--SipTrunk:Key=value</c> tokens it was loaded with, applied again on a reload.</summary>
    public IReadOnlyList<string> CommandLineOverrides { get; init; } = [];

    /// <summary>The environment it was loaded with; null: the process environment (read again on a reload).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
}
