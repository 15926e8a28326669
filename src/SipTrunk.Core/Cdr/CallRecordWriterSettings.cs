namespace SipTrunk.Core.Cdr;

/// <summary>How <see cref="CallRecordWriter"/> queues, batches, spools and prunes.</summary>
public sealed record CallRecordWriterSettings
{
    /// <summary>Directory of the spool file (<c>Storage:SpoolDirectory</c>).</summary>
    public required string SpoolDirectory { get; init; }

    /// <summary><c>Storage:RetentionDays</c> as a span: older records are pruned.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Records queued in memory before new ones go straight to the spool.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>Records per store transaction.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>How often an unreachable store is probed again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often old records are pruned.</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Size past which the call journal is rewritten with only what is still in progress or pending.</summary>
    public long JournalCompactBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How often, while calls are in progress, the journal notes the process alive (the end time of calls cut off by a crash).</summary>
    public TimeSpan JournalAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the final flush on stop may wait for the store before spooling.</summary>
    public TimeSpan FlushTimeout { get; init; } = DefaultFlushTimeout;

    /// <summary>The default <see cref="FlushTimeout"/> (what a host allows for the flush when it plans its stop).</summary>
    public static TimeSpan DefaultFlushTimeout { get; } = TimeSpan.FromSeconds(5);
}
