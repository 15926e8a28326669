namespace SipTrunk.Core.Cdr;

/// <summary>What <see cref="CallJournal.Recover"/> found a previous process left.</summary>
/// <param name="Ended">Records of calls that ended (they may already be stored: stores skip ids they hold).</param>
/// <param name="InProgress">Records made up for calls that had not ended (<c>endReason</c> <c>proxy-restart</c>).</param>
/// <param name="TornLines">Lines that could not be read (a line cut by the crash) and were skipped.</param>
internal sealed record CallJournalRecovery(IReadOnlyList<CallRecord> Ended, IReadOnlyList<CallRecord> InProgress, int TornLines)
{
    public static CallJournalRecovery Empty { get; } = new([], [], 0);

    /// <summary>Every record to write: the ended calls', then the made-up ones.</summary>
    public IReadOnlyList<CallRecord> All => [.. Ended, .. InProgress];
}
