using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Proxy;

namespace SipTrunk.Core.Cdr;

/// <summary>
/// Writes call records behind the signalling: <see cref="OnCallEnded"/> only journals and queues (a bounded channel), a
/// background loop stores batches. While the store is unreachable, records go to an append-only spool file (one JSON
/// record per line) and are replayed when it answers again; because stores skip ids they already hold, a replay
/// interrupted at any point never duplicates a record, and no record is dropped: when the queue itself is full the
/// record is spooled at once.
/// </summary>
/// <remarks>
/// A process killed outright loses its queue, so every call's start, answer and end is first appended to the
/// <see cref="CallJournal"/>, and lines leave it only once their record is in the store or the spool. On the next start
/// the journal is recovered into the spool: ended calls' records, and for calls that were in progress a record ended
/// by <c>proxy</c> for <c>proxy-restart</c>.
/// </remarks>
public sealed partial class CallRecordWriter : ICallObserver, IAsyncDisposable
{
    private const string SpoolFileName = "cdr-spool.jsonl";
    private const string ReplayFileName = "cdr-spool.replaying.jsonl";

    private readonly ICallRecordStore _store;
    private readonly CallRecordWriterSettings _settings;
    private readonly SipTrunkMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<CallRecord> _queue;
    private readonly object _spoolGate = new();
    private readonly string _spoolPath;
    private readonly string _replayPath;
    private readonly CallJournal _journal;
    private long _spooled;
    private bool _storeDown;

    public CallRecordWriter(ICallRecordStore store, CallRecordWriterSettings settings, SipTrunkMetrics metrics, TimeProvider time, ILogger<CallRecordWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _store = store;
        _settings = settings;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Directory.CreateDirectory(settings.SpoolDirectory);
        _spoolPath = Path.Combine(settings.SpoolDirectory, SpoolFileName);
        _replayPath = Path.Combine(settings.SpoolDirectory, ReplayFileName);
        _spooled = CountLines(_spoolPath) + CountLines(_replayPath);
        RecoverJournal(settings.SpoolDirectory);
        _journal = new CallJournal(settings.SpoolDirectory, settings.JournalCompactBytes, settings.JournalAliveInterval, logger);
    }

    /// <summary>Records in the spool file, waiting for the store.</summary>
    public long Spooled => Interlocked.Read(ref _spooled);

    /// <summary>Whether the last write to the store failed.</summary>
    public bool StoreDown => Volatile.Read(ref _storeDown);

    /// <summary>The store records are written to (also read by the CLI and the admin API).</summary>
    public ICallRecordStore Store => _store;

    /// <summary>Calls in progress, as journalled.</summary>
    public int CallsInProgress => _journal.OpenCalls;

    public void OnCallStarted(string callId, string direction, string? peer)
    {
    }

    /// <summary>Journals the call's start: the record it gets should the process die before the call ends.</summary>
    public void OnCallStarted(CallSummary start)
    {
        ArgumentNullException.ThrowIfNull(start);
        _journal.Started(CallJournal.Key(start.Direction, start.CallId), CallRecordFactory.Create(start));
    }

    public void OnCallAnswered(string callId, string direction, string carrier) =>
        _journal.Answered(CallJournal.Key(direction, callId), carrier, _time.GetUtcNow());

    /// <summary>Journals and queues the call's record; never blocks and never throws.</summary>
    public void OnCallEnded(CallSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Accept(CallJournal.Key(summary.Direction, summary.CallId), CallRecordFactory.Create(summary));
    }

    /// <summary>A refused INVITE: its record only (a live call with the same Call-ID stays in progress).</summary>
    public void OnCallRejected(CallSummary summary) => Enqueue(CallRecordFactory.Create(summary));

    /// <summary>Journals and queues one record (spooled at once when the queue is full).</summary>
    public void Enqueue(CallRecord record) => Accept(null, record);

    private void Accept(string? key, CallRecord record)
    {
        // Durable before acknowledged: the journal line is in the kernel's hands before the record is queued.
        record = _journal.Ended(key, record);
        if (_queue.Writer.TryWrite(record))
        {
            return;
        }

        // A full queue means the store is far behind: the record goes to disk rather than being dropped.
        try
        {
            Spool([record]);
            _journal.Committed([record]);
        }
#pragma warning disable CA1031 // Called from signalling; a failing disk is logged, never thrown into a call.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRecordLost(_logger, exception, record.CallId);
        }
    }

    /// <summary>
    /// Stores queued records until <paramref name="cancellationToken"/> fires, then drains the queue (spooling what the
    /// store will not take). Replays the spool first and whenever the store comes back; prunes old records hourly.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await InitializeStoreAsync(cancellationToken).ConfigureAwait(false);
        await ReplaySpoolAsync(cancellationToken).ConfigureAwait(false);
        var nextPrune = _time.GetUtcNow();
        var batch = new List<CallRecord>(_settings.BatchSize);
        try
        {
            while (true)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(_settings.RetryInterval);
                try
                {
                    await _queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Idle: time to retry the spool or prune.
                }

                Drain(batch);
                if (batch.Count > 0)
                {
                    await StoreOrSpoolAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                }

                if (Spooled > 0 && !StoreDown)
                {
                    await ReplaySpoolAsync(cancellationToken).ConfigureAwait(false);
                }
                else if (Spooled > 0)
                {
                    // Probe: a store that answers again takes the spool.
                    if (await _store.PingAsync(cancellationToken).ConfigureAwait(false))
                    {
                        Volatile.Write(ref _storeDown, false);
                        await ReplaySpoolAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                _journal.Alive(_time.GetUtcNow());
                if (_time.GetUtcNow() >= nextPrune && !StoreDown)
                {
                    nextPrune = _time.GetUtcNow() + _settings.PruneInterval;
                    await PruneAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Stores (or spools) everything still queued; used on stop.</summary>
    public async Task FlushAsync()
    {
        _queue.Writer.TryComplete();
        var batch = new List<CallRecord>(_settings.BatchSize);
        while (true)
        {
            Drain(batch);
            if (batch.Count == 0)
            {
                return;
            }

            using var bounded = new CancellationTokenSource(_settings.FlushTimeout);
            await StoreOrSpoolAsync(batch, bounded.Token).ConfigureAwait(false);
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync().ConfigureAwait(false);
        _journal.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private static long CountLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        long count = 0;
        foreach (var line in File.ReadLines(path))
        {
            count += line.Length > 0 ? 1 : 0;
        }

        return count;
    }

    private void Drain(List<CallRecord> batch)
    {
        while (batch.Count < _settings.BatchSize && _queue.Reader.TryRead(out var record))
        {
            batch.Add(record);
        }
    }

    private async Task InitializeStoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Calls go on; records spool until the store can be reached (the replay initializes it then).
            Volatile.Write(ref _storeDown, true);
            LogStoreUnavailable(_logger, exception.Message);
        }
    }

    private async Task StoreOrSpoolAsync(List<CallRecord> batch, CancellationToken cancellationToken)
    {
        if (!StoreDown || Spooled == 0)
        {
            try
            {
                await _store.InsertAsync(batch, cancellationToken).ConfigureAwait(false);
                _journal.Committed(batch);
                _metrics.CallRecords.Add("written", batch.Count);
                if (Volatile.Read(ref _storeDown))
                {
                    Volatile.Write(ref _storeDown, false);
                    LogStoreBack(_logger);
                }

                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (!Volatile.Read(ref _storeDown))
                {
                    LogStoreUnavailable(_logger, exception.Message);
                }

                Volatile.Write(ref _storeDown, true);
            }
            catch (OperationCanceledException)
            {
                // Stopping with a store that hangs: the batch is kept on disk.
            }
        }

        // Records join the spool behind older ones, so the store sees them in order when it returns.
        Spool(batch);
        _journal.Committed(batch);
    }

    // Before any call of this process: what the previous one journalled goes to the spool (fsynced), which the run loop
    // replays first. A crash between the spool and the new journal replays it twice, and the store keeps each id once.
    private void RecoverJournal(string directory)
    {
        var recovery = CallJournal.Recover(directory);
        var records = recovery.All;
        if (records.Count > 0)
        {
            Spool(records);
        }

        if (records.Count > 0 || recovery.TornLines > 0)
        {
            LogJournalRecovered(_logger, recovery.Ended.Count, recovery.InProgress.Count, recovery.TornLines);
        }
    }

    private void Spool(IReadOnlyList<CallRecord> records)
    {
        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(CallRecordJson.Serialize(record)).Append('\n');
        }

        lock (_spoolGate)
        {
            using var stream = new FileStream(_spoolPath, FileMode.Append, FileAccess.Write, FileShare.Read);
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        Interlocked.Add(ref _spooled, records.Count);
        _metrics.CallRecords.Add("spooled", records.Count);
    }

    // The spool is renamed before it is replayed, so records spooled meanwhile start a new file; a replay cut short
    // leaves the renamed file to be replayed again (the store skips ids it already holds).
    private async Task ReplaySpoolAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!File.Exists(_replayPath))
            {
                lock (_spoolGate)
                {
                    if (!File.Exists(_spoolPath))
                    {
                        return;
                    }

                    File.Move(_spoolPath, _replayPath);
                }
            }

            await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            var batch = new List<CallRecord>(_settings.BatchSize);
            long replayed = 0;
            foreach (var line in File.ReadLines(_replayPath))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                CallRecord? record;
                try
                {
                    record = CallRecordJson.Deserialize(line);
                }
                catch (System.Text.Json.JsonException)
                {
                    // A line cut by a crash while it was appended: nothing of it can be trusted.
                    LogTornLine(_logger);
                    continue;
                }

                if (record is null)
                {
                    continue;
                }

                batch.Add(record);
                if (batch.Count == _settings.BatchSize)
                {
                    await _store.InsertAsync(batch, cancellationToken).ConfigureAwait(false);
                    replayed += batch.Count;
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await _store.InsertAsync(batch, cancellationToken).ConfigureAwait(false);
                replayed += batch.Count;
            }

            File.Delete(_replayPath);
            Interlocked.Exchange(ref _spooled, CountLines(_spoolPath));
            Volatile.Write(ref _storeDown, false);
            _metrics.CallRecords.Add("replayed", replayed);
            LogReplayed(_logger, replayed);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Volatile.Write(ref _storeDown, true);
            LogReplayFailed(_logger, exception.Message);
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pruned = await _store.PruneAsync(_time.GetUtcNow() - _settings.Retention, cancellationToken).ConfigureAwait(false);
            if (pruned > 0)
            {
                LogPruned(_logger, pruned);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPruneFailed(_logger, exception.Message);
        }
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Warning, Message = "Call record store unavailable ({Reason}); records are spooled to disk until it returns")]
    private static partial void LogStoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Call record store reachable again")]
    private static partial void LogStoreBack(ILogger logger);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Replayed {Count} spooled call records into the store")]
    private static partial void LogReplayed(ILogger logger, long count);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Replaying spooled call records failed ({Reason}); will retry")]
    private static partial void LogReplayFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Skipped a torn line in the call record spool")]
    private static partial void LogTornLine(ILogger logger);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Critical, Message = "Call record of {CallId} could not be queued nor spooled")]
    private static partial void LogRecordLost(ILogger logger, Exception exception, string callId);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Pruned {Count} call records past Storage:RetentionDays")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Warning, Message = "Call journal of the previous run recovered: {Ended} ended call record(s), {InProgress} call(s) in progress recorded as ended by proxy-restart, {Torn} torn line(s) skipped")]
    private static partial void LogJournalRecovered(ILogger logger, int ended, int inProgress, int torn);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "Pruning call records failed ({Reason})")]
    private static partial void LogPruneFailed(ILogger logger, string reason);
}
