using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Proxy;

namespace SipTrunk.Core.Tests.Cdr;

public sealed class CallRecordWriterTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("siptrunk-cdr-").FullName;
    private readonly MemoryCallRecordStore _store = new();
    private readonly SipTrunkMetrics _metrics = new();
    private readonly List<string> _copies = [];

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        foreach (var copy in _copies)
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task KilledWithRecordsQueuedAndCallsInProgress_NextStartStoresEveryCallOnce()
    {
        // The first process journals its calls but its queue is never stored: a kill -9 loses the queue, not the files.
        var crashed = new CallRecordWriter(_store, Settings(), _metrics, TimeProvider.System, NullLogger<CallRecordWriter>.Instance);
        crashed.OnCallStarted(Opened("ended"));
        crashed.OnCallAnswered("ended", "outbound", "carrier-a");
        crashed.OnCallEnded(Summary(0) with { CallId = "ended", EndedBy = "caller", EndReason = "bye" });
        crashed.OnCallStarted(Opened("answered"));
        crashed.OnCallAnswered("answered", "outbound", "carrier-b");
        crashed.OnCallStarted(Opened("ringing"));
        crashed.OnCallRejected(Summary(0) with { CallId = "refused", Status = CallStatus.Rejected, SipCode = 503, EndedBy = "proxy", EndReason = "draining" });
        var afterKill = CopyOfDirectory();
        File.AppendAllText(Path.Combine(afterKill, "cdr-journal.jsonl"), "{\"start\":\"outbound torn\",\"rec");

        await using (var restarted = Start(Settings() with { SpoolDirectory = afterKill }))
        {
            await WaitUntilAsync(() => _store.Records.Count == 4 && restarted.Writer.Spooled == 0);
        }

        var records = _store.Records.ToDictionary(r => r.CallId);
        Assert.Equal(["answered", "ended", "refused", "ringing"], records.Keys.Order());
        Assert.Equal((CallStatus.Answered, "caller", "bye"), (records["ended"].Status, records["ended"].EndedBy, records["ended"].EndReason));
        Assert.Equal((CallStatus.Rejected, "draining"), (records["refused"].Status, records["refused"].EndReason));
        Assert.Equal((CallStatus.Answered, "carrier-b", "proxy", "proxy-restart"), (records["answered"].Status, records["answered"].Carrier, records["answered"].EndedBy, records["answered"].EndReason));
        Assert.NotNull(records["answered"].DurationSeconds);
        Assert.Equal((CallStatus.Failed, "proxy", "proxy-restart"), (records["ringing"].Status, records["ringing"].EndedBy, records["ringing"].EndReason));
        Assert.Equal(0, new FileInfo(Path.Combine(afterKill, "cdr-journal.jsonl")).Length);
        await crashed.DisposeAsync();
    }

    [Fact]
    public async Task KilledAfterTheStoreCommittedBeforeTheJournalWasTrimmed_RecordsStoredOnce()
    {
        await using (var run = Start())
        {
            // A call in progress keeps the journal from being emptied; the ended calls are stored.
            run.Writer.OnCallStarted(Opened("long"));
            for (var i = 0; i < 5; i++)
            {
                run.Writer.OnCallStarted(Opened("call-" + i));
                run.Writer.OnCallEnded(Summary(i));
            }

            await WaitUntilAsync(() => _store.Records.Count == 5);
            var afterKill = CopyOfDirectory();

            await using var restarted = Start(Settings() with { SpoolDirectory = afterKill });
            await WaitUntilAsync(() => _store.Records.Count == 6 && restarted.Writer.Spooled == 0);
        }

        Assert.Equal(6, _store.Records.Select(r => r.Id).Distinct().Count());
        Assert.Equal("proxy-restart", Assert.Single(_store.Records, r => r.CallId == "long").EndReason);
        Assert.Equal(5, _store.Records.Count(r => r.EndReason is null));
    }

    [Fact]
    public async Task Stop_EveryCallEnded_JournalEmptyAndNothingMadeUpNextTime()
    {
        await using (var run = Start())
        {
            for (var i = 0; i < 3; i++)
            {
                run.Writer.OnCallStarted(Opened("call-" + i));
                run.Writer.OnCallAnswered("call-" + i, "outbound", "carrier-a");
                run.Writer.OnCallEnded(Summary(i));
            }

            Assert.Equal(0, run.Writer.CallsInProgress);
        }

        Assert.Equal(0, new FileInfo(Path.Combine(_directory, "cdr-journal.jsonl")).Length);
        await using (var next = Start())
        {
            await WaitUntilAsync(() => _store.Records.Count == 3);
        }

        Assert.Equal(3, _store.Records.Count);
    }

    [Fact]
    public async Task OnCallEnded_StoreUp_WritesEveryRecordOnce()
    {
        await using var run = Start();

        for (var i = 0; i < 250; i++)
        {
            run.Writer.OnCallEnded(Summary(i));
        }

        await WaitUntilAsync(() => _store.Records.Count == 250);
        Assert.Equal(0, _store.DuplicateInserts);
        Assert.Equal(250, _metrics.CallRecords.Get("written"));
    }

    [Fact]
    public async Task StoreDown_RecordsSpoolThenReplayWhenItReturns_NoneLostNoneTwice()
    {
        await using var run = Start();
        run.Writer.OnCallEnded(Summary(0));
        await WaitUntilAsync(() => _store.Records.Count == 1);

        _store.Down = true;
        for (var i = 1; i <= 120; i++)
        {
            run.Writer.OnCallEnded(Summary(i));
        }

        await WaitUntilAsync(() => run.Writer.Spooled == 120);
        Assert.Single(_store.Records);
        _store.Down = false;

        await WaitUntilAsync(() => _store.Records.Count == 121 && run.Writer.Spooled == 0);
        Assert.Equal(Enumerable.Range(0, 121).Select(i => "call-" + i).Order(), _store.Records.Select(r => r.CallId).Order());
        Assert.Equal(0, _store.DuplicateInserts);
        Assert.False(File.Exists(Path.Combine(_directory, "cdr-spool.jsonl")));
    }

    [Fact]
    public async Task Replay_CutShortByAnotherOutage_FinishesLaterWithoutDuplicates()
    {
        _store.Down = true;
        await using (var first = Start())
        {
            for (var i = 0; i < 250; i++)
            {
                first.Writer.OnCallEnded(Summary(i));
            }

            await WaitUntilAsync(() => first.Writer.Spooled == 250);
        }

        // The store returns, takes one batch of the replay, and fails again.
        _store.Down = false;
        _store.InsertsBeforeOutage = 1;
        await using (var second = Start())
        {
            await WaitUntilAsync(() => _store.Records.Count == 100 && _store.Down);
            _store.InsertsBeforeOutage = int.MaxValue;
            _store.Down = false;
            await WaitUntilAsync(() => _store.Records.Count == 250 && second.Writer.Spooled == 0);
        }

        Assert.Equal(250, _store.Records.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task Stop_WithStoreDown_KeepsQueuedRecordsOnDiskForTheNextRun()
    {
        _store.Down = true;
        var run = Start();
        for (var i = 0; i < 30; i++)
        {
            run.Writer.OnCallEnded(Summary(i));
        }

        await run.DisposeAsync();
        Assert.Equal(30, File.ReadAllLines(Path.Combine(_directory, "cdr-spool.jsonl")).Length);

        _store.Down = false;
        await using var next = Start();
        await WaitUntilAsync(() => _store.Records.Count == 30);
    }

    [Fact]
    public async Task Replay_TornLastLine_IsSkippedAndTheRestIsStored()
    {
        var record = CallRecordFactory.Create(Summary(1));
        await File.WriteAllTextAsync(Path.Combine(_directory, "cdr-spool.jsonl"), CallRecordJson.Serialize(record) + "\n{\"id\":\"0193ab");

        await using var run = Start();

        await WaitUntilAsync(() => _store.Records.Count == 1 && run.Writer.Spooled == 0);
        Assert.Equal(record.Id, Assert.Single(_store.Records).Id);
    }

    [Fact]
    public async Task QueueFull_RecordIsSpooledInsteadOfDropped()
    {
        _store.Down = true;
        var writer = new CallRecordWriter(_store, Settings() with { QueueCapacity = 1 }, _metrics, TimeProvider.System, NullLogger<CallRecordWriter>.Instance);

        // Nobody drains the queue: the first record waits in it, the next two go to disk at once.
        writer.OnCallEnded(Summary(0));
        writer.OnCallEnded(Summary(1));
        writer.OnCallEnded(Summary(2));

        Assert.Equal(2, writer.Spooled);
        await writer.DisposeAsync();
        Assert.Equal(3, File.ReadAllLines(Path.Combine(_directory, "cdr-spool.jsonl")).Length);
    }

    [Fact]
    public async Task Prune_RemovesRecordsPastRetention()
    {
        await _store.InsertAsync([CallRecordFactory.Create(Summary(1) with { StartedAt = DateTimeOffset.UtcNow.AddDays(-10), EndedAt = DateTimeOffset.UtcNow.AddDays(-10) })], default);
        await _store.InsertAsync([CallRecordFactory.Create(Summary(2))], default);

        await using var run = Start(Settings() with { Retention = TimeSpan.FromDays(7) });

        await WaitUntilAsync(() => _store.Records.Count == 1);
        Assert.Equal("call-2", Assert.Single(_store.Records).CallId);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }

    private static CallSummary Opened(string callId) => new()
    {
        CallId = callId,
        Direction = "outbound",
        Peer = "pbx-a",
        StartedAt = DateTimeOffset.UtcNow,
        EndedAt = DateTimeOffset.UtcNow,
        Status = CallStatus.Failed,
        EndedBy = "proxy",
    };

    // What a kill -9 leaves on disk, for a second process to start on.
    private string CopyOfDirectory()
    {
        var copy = Directory.CreateTempSubdirectory("siptrunk-cdr-killed-").FullName;
        _copies.Add(copy);
        foreach (var file in Directory.GetFiles(_directory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private static CallSummary Summary(int i) => new()
    {
        CallId = "call-" + i,
        Direction = "outbound",
        Peer = "pbx-a",
        Carrier = "carrier-a",
        StartedAt = DateTimeOffset.UtcNow,
        EndedAt = DateTimeOffset.UtcNow,
        Status = CallStatus.Answered,
        SipCode = 200,
        Attempts = [new CallAttempt("carrier-a", DateTimeOffset.UtcNow, 200, "OK")],
    };

    private CallRecordWriterSettings Settings() => new() { SpoolDirectory = _directory, RetryInterval = TimeSpan.FromMilliseconds(20), BatchSize = 100 };

    private Running Start(CallRecordWriterSettings? settings = null)
    {
        var writer = new CallRecordWriter(_store, settings ?? Settings(), _metrics, TimeProvider.System, NullLogger<CallRecordWriter>.Instance);
        var stop = new CancellationTokenSource();
        return new Running(writer, writer.RunAsync(stop.Token), stop);
    }

    private sealed record Running(CallRecordWriter Writer, Task Loop, CancellationTokenSource Stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Loop;
            Stop.Dispose();
        }
    }
}
