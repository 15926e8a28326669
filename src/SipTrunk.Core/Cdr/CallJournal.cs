using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Proxy;

namespace SipTrunk.Core.Cdr;

/// <summary>
/// The write-ahead journal of calls (<c>cdr-journal.jsonl</c> in <c>Storage:SpoolDirectory</c>): one JSON line per
/// call start, answer and end, appended before the event is acknowledged, so a process killed outright (kill -9, a
/// crash) leaves every ended call's record and a trace of every call in progress. Lines are written straight to the
/// operating system (no user-space buffer, no fsync per line): a killed process loses nothing the kernel has, and a
/// line cut by the kill is skipped on recovery. Once the store (or the fsynced spool) holds a record, its line is no
/// longer needed: the file is emptied when nothing is in progress or pending, or rewritten with what still is when it
/// grows past its compaction size. Thread-safe.
/// </summary>
internal sealed partial class CallJournal : IDisposable
{
    /// <summary>The journal's file name.</summary>
    public const string FileName = "cdr-journal.jsonl";

    /// <summary>The <c>endReason</c> of a call that was in progress when the previous process died.</summary>
    public const string RestartReason = "proxy-restart";

    private const string CompactingFileName = "cdr-journal.compacting.jsonl";

    private static readonly JsonSerializerOptions LineOptions = new(CallRecordJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly string _compactingPath;
    private readonly long _compactBytes;
    private readonly TimeSpan _aliveInterval;
    private readonly ILogger _logger;
    private readonly Dictionary<string, OpenCall> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);
    private FileStream? _stream;
    private long _bytes;
    private long _compactAt;
    private DateTimeOffset? _lastAlive;
    private bool _failing;

    /// <summary>
    /// Starts an empty journal in <paramref name="directory"/>, replacing any file there: call <see cref="Recover"/> and
    /// keep what it returns first.
    /// </summary>
    public CallJournal(string directory, long compactBytes, TimeSpan aliveInterval, ILogger logger)
    {
        _path = Path.Combine(directory, FileName);
        _compactingPath = Path.Combine(directory, CompactingFileName);
        _compactBytes = compactBytes;
        _compactAt = compactBytes;
        _aliveInterval = aliveInterval;
        _logger = logger;
        _stream = Open(FileMode.Create);
    }

    /// <summary>Calls started and not yet ended.</summary>
    public int OpenCalls
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Ended calls' records journalled and not yet committed.</summary>
    public int PendingRecords
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>The journal file's size.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The key of a call: its direction and Call-ID (a call looping back through SipTrunk is two calls).</summary>
    public static string Key(string direction, string callId) => direction + " " + callId;

    /// <summary>
    /// Reads the journal a previous process left in <paramref name="directory"/>: the records of calls that ended, and
    /// for each call that had not, a record with what was known (answered → <c>answered</c>, else <c>failed</c>), ended
    /// by <c>proxy</c> for <see cref="RestartReason"/> at the last instant the journal shows the process alive. Leaves
    /// the file as it is.
    /// </summary>
    public static CallJournalRecovery Recover(string directory)
    {
        // A compaction cut short: the journal it would have replaced is still whole.
        File.Delete(Path.Combine(directory, CompactingFileName));
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return CallJournalRecovery.Empty;
        }

        var open = new Dictionary<string, (CallRecord Record, DateTimeOffset? AnsweredAt, string? Carrier)>(StringComparer.Ordinal);
        var ended = new List<CallRecord>();
        var lastKnown = DateTimeOffset.MinValue;
        var torn = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            CallJournalEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<CallJournalEntry>(line, LineOptions);
            }
            catch (JsonException)
            {
                torn++;
                continue;
            }

            switch (entry)
            {
                case { Start: { } key, Record: { } record }:
                    open[key] = (record, null, null);
                    lastKnown = Max(lastKnown, record.StartedAt);
                    break;
                case { Answer: { } key, At: { } at }:
                    if (open.TryGetValue(key, out var call))
                    {
                        open[key] = call with { AnsweredAt = at, Carrier = entry.Carrier };
                    }

                    lastKnown = Max(lastKnown, at);
                    break;
                case { End: { } key, Record: { } record }:
                    open.Remove(key);
                    ended.Add(record);
                    lastKnown = Max(lastKnown, record.EndedAt);
                    break;
                case { Alive: { } alive }:
                    lastKnown = Max(lastKnown, alive);
                    break;
                default:
                    torn++;
                    break;
            }
        }

        var inProgress = open.Values.Select(o => InProgress(o.Record, o.AnsweredAt, o.Carrier, lastKnown)).ToList();
        return new CallJournalRecovery(ended, inProgress, torn);
    }

    /// <summary>A call started: <paramref name="provisional"/> is its record should it never end.</summary>
    public void Started(string key, CallRecord provisional)
    {
        var line = Serialize(new CallJournalEntry { Start = key, Record = provisional });
        lock (_gate)
        {
            AppendLocked(line);
            _open[key] = new OpenCall(provisional, line);
        }
    }

    /// <summary>A call started with <see cref="Started"/> was answered by <paramref name="carrier"/>.</summary>
    public void Answered(string key, string carrier, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(key, out var call))
            {
                return;
            }

            var line = Serialize(new CallJournalEntry { Answer = key, At = at, Carrier = carrier });
            AppendLocked(line);
            call.AnswerLine = line;
        }
    }

    /// <summary>
    /// A call ended (<paramref name="key"/> null: refused before it started): its record is journalled and pending until
    /// <see cref="Committed"/>. Returns the record under the id its start was journalled with.
    /// </summary>
    public CallRecord Ended(string? key, CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (key is not null && _open.Remove(key, out var call))
            {
                record = record with { Id = call.Record.Id };
            }

            var line = Serialize(new CallJournalEntry { End = key ?? "", Record = record });
            if (AppendLocked(line))
            {
                _pending[record.Id] = line;
            }
        }

        return record;
    }

    /// <summary>These records are in the store or the spool: their lines may go; the file is emptied or compacted if due.</summary>
    public void Committed(IEnumerable<CallRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            foreach (var record in records)
            {
                _pending.Remove(record.Id);
            }

            if (_bytes == 0)
            {
                return;
            }

            if (_open.Count == 0 && _pending.Count == 0)
            {
                TruncateLocked();
            }
            else if (_bytes >= _compactAt)
            {
                CompactLocked();
            }
        }
    }

    /// <summary>
    /// Notes that the process is alive (at most once per alive interval, and only while calls are in progress), so a
    /// call cut off by a crash is recorded as ending near the crash rather than at its last event.
    /// </summary>
    public void Alive(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_open.Count == 0 || (_lastAlive is { } last && now - last < _aliveInterval))
            {
                return;
            }

            _lastAlive = now;
            AppendLocked(Serialize(new CallJournalEntry { Alive = now }));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    private static CallRecord InProgress(CallRecord record, DateTimeOffset? answeredAt, string? carrier, DateTimeOffset lastKnown)
    {
        if (answeredAt is { } answered)
        {
            var endedAt = Max(lastKnown, answered);
            return record with
            {
                Carrier = carrier ?? record.Carrier,
                AnsweredAt = answered,
                EndedAt = endedAt,
                DurationSeconds = Math.Round((endedAt - answered).TotalSeconds, 3),
                Status = CallStatus.Answered,
                SipCode = 200,
                SipReason = "OK",
                EndedBy = "proxy",
                EndReason = RestartReason,
            };
        }

        return record with
        {
            EndedAt = Max(lastKnown, record.StartedAt),
            DurationSeconds = null,
            Status = CallStatus.Failed,
            EndedBy = "proxy",
            EndReason = RestartReason,
        };
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Serialize(CallJournalEntry entry) => JsonSerializer.Serialize(entry, LineOptions);

    // No user-space buffer: each line is one write(2), in the kernel's hands when the call returns.
    private FileStream Open(FileMode mode)
    {
        var stream = new FileStream(_path, mode, FileAccess.Write, FileShare.Read, bufferSize: 0);
        stream.Seek(0, SeekOrigin.End);
        _bytes = stream.Length;
        return stream;
    }

    private bool AppendLocked(string line)
    {
        try
        {
            _stream ??= Open(FileMode.OpenOrCreate);

            // After a failed write a partial line may end the file: a newline first keeps this line whole.
            var text = _failing ? "\n" + line + "\n" : line + "\n";
            var bytes = Encoding.UTF8.GetBytes(text);
            _stream.Write(bytes);
            _bytes += bytes.Length;
            if (_failing)
            {
                _failing = false;
                LogJournalBack(_logger);
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            if (!_failing)
            {
                _failing = true;
                LogJournalFailed(_logger, exception.Message);
            }

            return false;
        }
    }

    private void TruncateLocked()
    {
        try
        {
            _stream ??= Open(FileMode.OpenOrCreate);
            _stream.SetLength(0);
            _bytes = 0;
            _lastAlive = null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogCompactionFailed(_logger, exception.Message);
        }
    }

    // What is still needed goes to a new file, fsynced, then renamed over the journal: at any instant one whole
    // journal exists (a crash mid-way leaves the old one, and Recover deletes the half-written new one).
    private void CompactLocked()
    {
        var text = new StringBuilder();
        foreach (var call in _open.Values)
        {
            text.Append(call.StartLine).Append('\n');
            if (call.AnswerLine is { } answer)
            {
                text.Append(answer).Append('\n');
            }
        }

        foreach (var line in _pending.Values)
        {
            text.Append(line).Append('\n');
        }

        if (_lastAlive is { } alive)
        {
            text.Append(Serialize(new CallJournalEntry { Alive = alive })).Append('\n');
        }

        try
        {
            using (var compacted = new FileStream(_compactingPath, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                compacted.Write(Encoding.UTF8.GetBytes(text.ToString()));
                compacted.Flush(flushToDisk: true);
            }

            _stream?.Dispose();
            _stream = null;
            File.Move(_compactingPath, _path, overwrite: true);
            _stream = Open(FileMode.OpenOrCreate);
            _failing = false;

            // Rewriting costs the size of what is live: the next compaction waits until as much again was appended.
            _compactAt = Math.Max(_compactBytes, 2 * _bytes);
            LogCompacted(_logger, _open.Count, _pending.Count, _bytes);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogCompactionFailed(_logger, exception.Message);
        }
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Error, Message = "Writing the call journal failed ({Reason}); call records are still queued, but a crash now would lose them")]
    private static partial void LogJournalFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Writing the call journal works again")]
    private static partial void LogJournalBack(ILogger logger);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Warning, Message = "Compacting the call journal failed ({Reason}); it keeps growing until a compaction succeeds")]
    private static partial void LogCompactionFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Debug, Message = "Call journal compacted: {Open} call(s) in progress, {Pending} record(s) pending, {Bytes} bytes")]
    private static partial void LogCompacted(ILogger logger, int open, int pending, long bytes);

    private sealed class OpenCall(CallRecord record, string startLine)
    {
        public CallRecord Record { get; } = record;

        public string StartLine { get; } = startLine;

        public string? AnswerLine { get; set; }
    }
}
