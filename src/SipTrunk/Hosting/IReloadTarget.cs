namespace SipTrunk.Hosting;

/// <summary>What a <see cref="ReloadCoordinator"/> reloads: it names the files to watch and applies what changed.</summary>
internal interface IReloadTarget
{
    /// <summary>Full paths of the files whose change calls for a reload (the configuration file, certificates, CRLs).</summary>
    IReadOnlyCollection<string> WatchedFiles { get; }

    /// <summary>Reloads; never throws for a bad file (it is refused, logged, and the running state stays).</summary>
    void Reload(ReloadRequest request);
}
