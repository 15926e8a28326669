using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace SipTrunk.Hosting;

/// <summary>
/// The one place that decides when to reload: SIGHUP (at once, even if nothing changed), a change the file system
/// reports in a watched file's directory (debounced, so a certificate and its key written one after the other, or an
/// editor's save-by-rename, make one reload), and a periodic content check as the fallback for changes no watcher
/// sees (network file systems, Kubernetes secret volumes swapping a symlink). Reloads never overlap; a change is
/// judged by the files' SHA-256, so a refused bad file is not retried until it changes again.
/// </summary>
internal sealed partial class ReloadCoordinator : IDisposable
{
    /// <summary>How long the file system must stay quiet after a change before the reload runs.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromSeconds(1);

    /// <summary>How often the files are hashed when no watcher reported anything.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(30);

    private readonly IReloadTarget _target;
    private readonly TimeProvider _time;
    private readonly ILogger<ReloadCoordinator> _logger;
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _pollInterval;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);
    private HashSet<string> _watchedNames = new(StringComparer.Ordinal);
    private ITimer? _debounceTimer;
    private ITimer? _pollTimer;
    private PosixSignalRegistration? _sighup;
    private bool _disposed;

    public ReloadCoordinator(IReloadTarget target, TimeProvider time, ILogger<ReloadCoordinator> logger, TimeSpan? debounce = null, TimeSpan? pollInterval = null)
    {
        _target = target;
        _time = time;
        _logger = logger;
        _debounce = debounce ?? DefaultDebounce;
        _pollInterval = pollInterval ?? DefaultPollInterval;
    }

    /// <summary>
    /// Records the files as they are now, then starts the periodic check and, when asked, the file watchers and the
    /// SIGHUP handler.
    /// </summary>
    public void Start(bool watchFileSystem = true, bool handleSighup = true)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _fingerprints = Fingerprints(_target.WatchedFiles);
            _debounceTimer = _time.CreateTimer(_ => Run("file change", forced: false), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _pollTimer = _time.CreateTimer(_ => Run("periodic check", forced: false), null, _pollInterval, _pollInterval);
            if (watchFileSystem)
            {
                UpdateWatchers();
            }
        }

        if (handleSighup && !OperatingSystem.IsWindows())
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // SIGHUP would otherwise end the process (its default action); here it means "reload".
                context.Cancel = true;
                Run("SIGHUP", forced: true);
            });
        }
    }

    /// <summary>Reloads now, whether or not a file changed (what SIGHUP does).</summary>
    public void RequestReload(string trigger) => Run(trigger, forced: true);

    /// <summary>Something changed near a watched file: (re)starts the quiet period after which the files are checked.</summary>
    public void NotifyFileEvent()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _debounceTimer?.Change(_debounce, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _sighup?.Dispose();
            _debounceTimer?.Dispose();
            _pollTimer?.Dispose();
            foreach (var watcher in _watchers.Values)
            {
                watcher.Dispose();
            }

            _watchers.Clear();
        }
    }

    // Runs on timer threads and the signal thread: serialized by the gate, and never throws (an exception escaping a
    // timer callback would end the process).
    private void Run(string trigger, bool forced)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                var now = Fingerprints(_fingerprints.Keys);
                var changed = now.Where(f => !_fingerprints.TryGetValue(f.Key, out var before) || before != f.Value).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
                if (!forced && changed.Count == 0)
                {
                    return;
                }

                LogReloading(_logger, trigger, changed.Count == 0 ? "none" : string.Join(", ", changed));
                _target.Reload(new ReloadRequest(trigger, changed, forced));

                // What this reload saw is the new baseline; files the reloaded configuration names anew are read now.
                var watched = _target.WatchedFiles;
                var added = Fingerprints(watched.Where(f => !now.ContainsKey(f)));
                _fingerprints = watched.ToDictionary(f => f, f => now.TryGetValue(f, out var seen) ? seen : added[f], StringComparer.Ordinal);
                if (_watchers.Count > 0)
                {
                    UpdateWatchers();
                }
            }
            catch (Exception ex)
            {
                LogReloadFailed(_logger, ex, trigger);
            }
        }
    }

    private static Dictionary<string, string> Fingerprints(IEnumerable<string> files)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            try
            {
                result[file] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A file being replaced may be missing for a moment; "missing" differs from any content.
                result[file] = "missing";
            }
        }

        return result;
    }

    private void UpdateWatchers()
    {
        var files = _target.WatchedFiles;
        _watchedNames = files.Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var directories = files.Select(Path.GetDirectoryName).OfType<string>().Where(Directory.Exists).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _watchers.Keys.Where(d => !directories.Contains(d)).ToList())
        {
            _watchers[gone].Dispose();
            _watchers.Remove(gone);
        }

        foreach (var directory in directories.Where(d => !_watchers.ContainsKey(d)))
        {
            try
            {
                var watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                    IncludeSubdirectories = false,
                };
                watcher.Changed += OnFileSystemEvent;
                watcher.Created += OnFileSystemEvent;
                watcher.Deleted += OnFileSystemEvent;
                watcher.Renamed += OnFileSystemEvent;
                watcher.Error += (_, e) => LogWatcherFailed(_logger, e.GetException(), directory, _pollInterval);
                watcher.EnableRaisingEvents = true;
                _watchers[directory] = watcher;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
            {
                // inotify watches are a per-user resource that can run out; the periodic check still sees changes.
                LogWatcherFailed(_logger, ex, directory, _pollInterval);
            }
        }
    }

    private void OnFileSystemEvent(object sender, FileSystemEventArgs e)
    {
        // Only the watched files matter; "..data" and friends are Kubernetes' atomic secret-volume swaps.
        var names = Volatile.Read(ref _watchedNames);
        if (e.Name is { } name && (names.Contains(name) || name.StartsWith("..", StringComparison.Ordinal)
            || (e is RenamedEventArgs renamed && renamed.OldName is { } old && names.Contains(old))))
        {
            NotifyFileEvent();
        }
    }

    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "Reload ({Trigger}); changed files: {Files}")]
    private static partial void LogReloading(ILogger logger, string trigger, string files);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Error, Message = "Reload ({Trigger}) failed; the running configuration and certificates stay")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string trigger);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Warning, Message = "Cannot watch {Directory} for changes; files there are checked every {Interval} instead")]
    private static partial void LogWatcherFailed(ILogger logger, Exception exception, string directory, TimeSpan interval);
}
