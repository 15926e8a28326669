namespace SipTrunk.Core.Certificates;

/// <summary>What <see cref="DevPki.Initialize"/> did.</summary>
/// <param name="OutputDirectory">The directory, as given.</param>
/// <param name="CaReused">True when an existing <c>ca.pem</c>/<c>ca.key</c> signed the new certificates.</param>
/// <param name="WrittenFiles">Files written, in order (paths combined with the directory as given).</param>
/// <param name="SkippedFiles">
/// Files left as they were: <c>server.pem</c>/<c>server.key</c> when they exist and the CA was reused.
/// </param>
public sealed record DevPkiResult(
    string OutputDirectory,
    bool CaReused,
    IReadOnlyList<string> WrittenFiles,
    IReadOnlyList<string> SkippedFiles);
