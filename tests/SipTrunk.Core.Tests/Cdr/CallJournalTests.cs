using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Proxy;

namespace SipTrunk.Core.Tests.Cdr;

public sealed class CallJournalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly TimeSpan AliveInterval = TimeSpan.FromSeconds(5);
    private readonly string _directory = Directory.CreateTempSubdirectory("siptrunk-journal-").FullName;

    private string JournalPath => Path.Combine(_directory, CallJournal.FileName);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Recover_NoJournal_NothingToRecover()
    {
        var recovery = CallJournal.Recover(_directory);

        Assert.Empty(recovery.All);
        Assert.Equal(0, recovery.TornLines);
    }

    [Fact]
    public void Recover_EndedAndInProgressCalls_EndedRecordsKeptTheRestMadeUpAsProxyRestart()
    {
        using (var journal = Journal())
        {
            journal.Started(Key("ended"), Provisional("ended", T0));
            journal.Started(Key("answered"), Provisional("answered", T0));
            journal.Started(Key("ringing"), Provisional("ringing", T0.AddSeconds(1)));
            journal.Answered(Key("answered"), "carrier-b", T0.AddSeconds(2));
            journal.Ended(Key("ended"), Final("ended", T0, T0.AddSeconds(3)));
            journal.Alive(T0.AddSeconds(10));
        }

        var recovery = CallJournal.Recover(_directory);

        var ended = Assert.Single(recovery.Ended);
        Assert.Equal(("ended", CallStatus.Answered, "caller"), (ended.CallId, ended.Status, ended.EndedBy));
        Assert.Equal(2, recovery.InProgress.Count);
        var answered = Assert.Single(recovery.InProgress, r => r.CallId == "answered");
        Assert.Equal((CallStatus.Answered, 200, "carrier-b", "proxy", "proxy-restart"), (answered.Status, answered.SipCode, answered.Carrier, answered.EndedBy, answered.EndReason));
        Assert.Equal((T0.AddSeconds(2), T0.AddSeconds(10), 8.0), (answered.AnsweredAt, answered.EndedAt, answered.DurationSeconds));
        var ringing = Assert.Single(recovery.InProgress, r => r.CallId == "ringing");
        Assert.Equal((CallStatus.Failed, "proxy", "proxy-restart", (double?)null), (ringing.Status, ringing.EndedBy, ringing.EndReason, ringing.DurationSeconds));
        Assert.Equal(T0.AddSeconds(10), ringing.EndedAt);
    }

    [Fact]
    public void Recover_TornLines_SkippedAndTheRestRecovered()
    {
        using (var journal = Journal())
        {
            journal.Started(Key("a"), Provisional("a", T0));
            journal.Ended(Key("a"), Final("a", T0, T0.AddSeconds(1)));
            journal.Started(Key("b"), Provisional("b", T0));
        }

        // A line cut by the kill, then (after a failed write) a whole one behind a newline.
        File.AppendAllText(JournalPath, "{\"end\":\"outbound c\",\"record\":{\"id\":\"0193");

        var recovery = CallJournal.Recover(_directory);

        Assert.Equal(1, recovery.TornLines);
        Assert.Equal("a", Assert.Single(recovery.Ended).CallId);
        Assert.Equal("b", Assert.Single(recovery.InProgress).CallId);
    }

    [Fact]
    public void Ended_AfterStarted_KeepsTheStartsId()
    {
        using var journal = Journal();
        var provisional = Provisional("a", T0);
        journal.Started(Key("a"), provisional);

        var record = journal.Ended(Key("a"), Final("a", T0, T0.AddSeconds(1)));

        Assert.Equal(provisional.Id, record.Id);
        Assert.Equal(0, journal.OpenCalls);
        Assert.Equal(1, journal.PendingRecords);
    }

    [Fact]
    public void Committed_NothingInProgressOrPending_EmptiesTheFile()
    {
        using var journal = Journal();
        journal.Started(Key("a"), Provisional("a", T0));
        var record = journal.Ended(Key("a"), Final("a", T0, T0.AddSeconds(1)));
        Assert.True(new FileInfo(JournalPath).Length > 0);

        journal.Committed([record]);

        Assert.Equal(0, new FileInfo(JournalPath).Length);
        Assert.Empty(CallJournal.Recover(_directory).All);
    }

    [Fact]
    public void Committed_CallsStillInProgress_KeepsTheirLines()
    {
        using var journal = Journal();
        journal.Started(Key("open"), Provisional("open", T0));
        journal.Started(Key("a"), Provisional("a", T0));
        var record = journal.Ended(Key("a"), Final("a", T0, T0.AddSeconds(1)));

        journal.Committed([record]);

        var recovery = CallJournal.Recover(_directory);
        Assert.Equal("open", Assert.Single(recovery.InProgress).CallId);
    }

    [Fact]
    public void Committed_PastTheCompactionSize_RewritesOnlyWhatIsStillNeeded()
    {
        using var journal = Journal(compactBytes: 4096);
        journal.Started(Key("open"), Provisional("open", T0));
        journal.Answered(Key("open"), "carrier-a", T0.AddSeconds(1));
        var committed = new List<CallRecord>();
        for (var i = 0; i < 50; i++)
        {
            journal.Started(Key("c" + i), Provisional("c" + i, T0));
            committed.Add(journal.Ended(Key("c" + i), Final("c" + i, T0, T0.AddSeconds(1))));
        }

        var pending = journal.Ended(null, Final("refused", T0, T0));
        var before = journal.Bytes;

        journal.Committed(committed);

        Assert.True(journal.Bytes < before / 10, $"{journal.Bytes} bytes after compaction, {before} before");
        Assert.Equal(journal.Bytes, new FileInfo(JournalPath).Length);
        Assert.False(File.Exists(Path.Combine(_directory, "cdr-journal.compacting.jsonl")));
        var recovery = CallJournal.Recover(_directory);
        Assert.Equal(pending.Id, Assert.Single(recovery.Ended).Id);
        var open = Assert.Single(recovery.InProgress);
        Assert.Equal(("open", CallStatus.Answered, "carrier-a"), (open.CallId, open.Status, open.Carrier));

        // Appends go on after the rewrite.
        journal.Ended(Key("open"), Final("open", T0, T0.AddSeconds(5)));
        Assert.Empty(CallJournal.Recover(_directory).InProgress);
    }

    [Fact]
    public void Alive_OnlyWhileCallsAreInProgressAndOncePerInterval()
    {
        using var journal = Journal();
        journal.Alive(T0);
        Assert.Equal(0, journal.Bytes);

        journal.Started(Key("a"), Provisional("a", T0));
        var afterStart = journal.Bytes;
        journal.Alive(T0.AddSeconds(6));
        var afterAlive = journal.Bytes;
        journal.Alive(T0.AddSeconds(7));

        Assert.True(afterAlive > afterStart);
        Assert.Equal(afterAlive, journal.Bytes);
        Assert.Equal(T0.AddSeconds(6), Assert.Single(CallJournal.Recover(_directory).InProgress).EndedAt);
    }

    [Fact]
    public void Recover_LeftoverOfACompactionCutShort_IsDeletedAndTheJournalWins()
    {
        using (var journal = Journal())
        {
            journal.Started(Key("a"), Provisional("a", T0));
        }

        var leftover = Path.Combine(_directory, "cdr-journal.compacting.jsonl");
        File.WriteAllText(leftover, "{\"start\":\"outbound half");

        var recovery = CallJournal.Recover(_directory);

        Assert.False(File.Exists(leftover));
        Assert.Equal("a", Assert.Single(recovery.InProgress).CallId);
    }

    [Fact]
    public void Constructor_StartsAnEmptyJournal()
    {
        using (var journal = Journal())
        {
            journal.Started(Key("a"), Provisional("a", T0));
        }

        using var next = Journal();

        Assert.Empty(CallJournal.Recover(_directory).All);
    }

    private static string Key(string callId) => CallJournal.Key("outbound", callId);

    private static CallRecord Provisional(string callId, DateTimeOffset startedAt) => CallRecordFactory.Create(new CallSummary
    {
        CallId = callId,
        Direction = "outbound",
        Peer = "pbx-a",
        From = "sip:pbx-a@10.0.0.5",
        To = "sip:+441632960123@trunk.example.net",
        StartedAt = startedAt,
        EndedAt = startedAt,
        Status = CallStatus.Failed,
        EndedBy = "proxy",
    });

    private static CallRecord Final(string callId, DateTimeOffset startedAt, DateTimeOffset endedAt) => CallRecordFactory.Create(new CallSummary
    {
        CallId = callId,
        Direction = "outbound",
        Peer = "pbx-a",
        Carrier = "carrier-a",
        StartedAt = startedAt,
        AnsweredAt = startedAt,
        EndedAt = endedAt,
        Status = CallStatus.Answered,
        SipCode = 200,
        EndedBy = "caller",
        EndReason = "bye",
    });

    private CallJournal Journal(long compactBytes = 4 * 1024 * 1024) => new(_directory, compactBytes, AliveInterval, NullLogger.Instance);
}
