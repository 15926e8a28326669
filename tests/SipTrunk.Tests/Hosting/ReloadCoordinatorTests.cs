using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Hosting;
using SipTrunk.Testing;

namespace SipTrunk.Tests.Hosting;

public sealed class ReloadCoordinatorTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();
    private readonly SteppingTimeProvider _time = new();
    private readonly RecordingTarget _target;
    private readonly ReloadCoordinator _coordinator;

    public ReloadCoordinatorTests()
    {
        var file = _directory.Combine("server.pem");
        File.WriteAllText(file, "one");
        _target = new RecordingTarget(file);
        _coordinator = new ReloadCoordinator(_target, _time, NullLogger<ReloadCoordinator>.Instance, Debounce, Poll);
        _coordinator.Start(watchFileSystem: false, handleSighup: false);
    }

    public void Dispose()
    {
        _coordinator.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void NotifyFileEvent_BurstOfEvents_OneReloadOneQuietPeriodAfterTheLast()
    {
        File.WriteAllText(_target.File, "two");
        _coordinator.NotifyFileEvent();
        _time.Advance(TimeSpan.FromMilliseconds(600));
        _coordinator.NotifyFileEvent();
        _time.Advance(TimeSpan.FromMilliseconds(999));

        Assert.Empty(_target.Requests);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var request = Assert.Single(_target.Requests);
        Assert.Equal("file change", request.Trigger);
        Assert.False(request.Forced);
        Assert.Equal([_target.File], request.ChangedFiles);
    }

    [Fact]
    public void NotifyFileEvent_ContentUnchanged_NoReload()
    {
        File.WriteAllText(_target.File, "one");
        _coordinator.NotifyFileEvent();
        _time.Advance(Debounce * 2);

        Assert.Empty(_target.Requests);
    }

    [Fact]
    public void PeriodicCheck_ChangeNoWatcherSaw_ReloadedAtTheNextCheck()
    {
        File.WriteAllText(_target.File, "rotated");
        _time.Advance(Poll - TimeSpan.FromSeconds(1));
        Assert.Empty(_target.Requests);

        _time.Advance(TimeSpan.FromSeconds(1));

        var request = Assert.Single(_target.Requests);
        Assert.Equal("periodic check", request.Trigger);
    }

    [Fact]
    public void PeriodicCheck_RefusedFileUnchangedSince_NotReloadedAgain()
    {
        File.WriteAllText(_target.File, "bad");
        _time.Advance(Poll);
        _time.Advance(Poll);
        _time.Advance(Poll);

        Assert.Single(_target.Requests);

        File.WriteAllText(_target.File, "fixed");
        _time.Advance(Poll);
        Assert.Equal(2, _target.Requests.Count);
    }

    [Fact]
    public void RequestReload_NothingChanged_ForcedReload()
    {
        _coordinator.RequestReload("SIGHUP");

        var request = Assert.Single(_target.Requests);
        Assert.True(request.Forced);
        Assert.Equal("SIGHUP", request.Trigger);
        Assert.Empty(request.ChangedFiles);
    }

    [Fact]
    public void Reload_TargetNamesANewFile_NewFileWatchedFromThen()
    {
        var added = _directory.Combine("ca.pem");
        File.WriteAllText(added, "ca");
        _target.Watched.Add(added);
        _coordinator.RequestReload("SIGHUP");

        File.WriteAllText(added, "new ca");
        _time.Advance(Poll);

        Assert.Equal(2, _target.Requests.Count);
        Assert.Equal([added], _target.Requests[1].ChangedFiles);
    }

    [Fact]
    public void Reload_TargetThrows_LoggedAndLaterReloadsStillRun()
    {
        _target.Throw = true;
        _coordinator.RequestReload("SIGHUP");
        _target.Throw = false;

        _coordinator.RequestReload("SIGHUP");

        Assert.Equal(2, _target.Requests.Count);
    }

    private sealed class RecordingTarget(string file) : IReloadTarget
    {
        public string File { get; } = file;

        public List<string> Watched { get; } = [file];

        public List<ReloadRequest> Requests { get; } = [];

        public bool Throw { get; set; }

        public IReadOnlyCollection<string> WatchedFiles => [.. Watched];

        public void Reload(ReloadRequest request)
        {
            Requests.Add(request);
            if (Throw)
            {
                throw new InvalidOperationException("boom");
            }
        }
    }
}
