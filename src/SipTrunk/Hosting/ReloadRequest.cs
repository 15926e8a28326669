namespace SipTrunk.Hosting;

/// <summary>One reload: why, and which watched files differ from the last reload (all of them may be unchanged on SIGHUP).</summary>
/// <param name="Trigger">What asked for it: <c>SIGHUP</c>, <c>file change</c>, <c>periodic check</c>.</param>
/// <param name="ChangedFiles">Watched files whose content differs from what the last reload saw.</param>
/// <param name="Forced">True for an operator's request (SIGHUP): reload everything even if no file changed.</param>
internal sealed record ReloadRequest(string Trigger, IReadOnlySet<string> ChangedFiles, bool Forced);
