namespace SipTrunk.Configuration;

/// <summary>What <see cref="TlsMaterialLoader.Load"/> found: the material when there is no problem, and warnings either way.</summary>
internal sealed record TlsMaterialLoadResult(LoadedTlsMaterial? Material, IReadOnlyList<ConfigProblem> Problems, IReadOnlyList<ConfigProblem> Warnings);
