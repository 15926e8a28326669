namespace SipTrunk.Core.Cdr;

/// <summary>
/// One line of the <see cref="CallJournal"/>: exactly one of <see cref="Start"/>, <see cref="Answer"/>,
/// <see cref="End"/> or <see cref="Alive"/> says what happened. Start and end lines carry the record; the start's is
/// what the call gets if its end never comes.
/// </summary>
internal sealed record CallJournalEntry
{
    /// <summary>The key (direction and Call-ID) of a call that started.</summary>
    public string? Start { get; init; }

    /// <summary>The key of a call that was answered (by <see cref="Carrier"/>, at <see cref="At"/>).</summary>
    public string? Answer { get; init; }

    /// <summary>The key of a call that ended (empty: a call refused before it started), with its final record.</summary>
    public string? End { get; init; }

    /// <summary>The process was alive at this instant with calls in progress.</summary>
    public DateTimeOffset? Alive { get; init; }

    public DateTimeOffset? At { get; init; }

    public string? Carrier { get; init; }

    public CallRecord? Record { get; init; }
}
