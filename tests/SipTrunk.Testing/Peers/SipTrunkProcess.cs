using System.Diagnostics;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// The real <c>siptrunk run</c> as a child process (the build beside the test assembly), started on a test
/// configuration and ready once its listener socket is open.
/// </summary>
public sealed class SipTrunkProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SipTrunkProcess(ChildProcess process) => _process = process;

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the process logged (the last 64 KiB).</summary>
    public string Output => _process.OutputTail;

    /// <summary>Starts SipTrunk on <paramref name="configPath"/> and waits until it listens on <paramref name="listenerPort"/>.</summary>
    public static async Task<SipTrunkProcess> StartAsync(string configPath, int listenerPort, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "siptrunk.dll");
        var process = ChildProcess.Start("dotnet", [dll, "run", "--config", configPath], Path.GetDirectoryName(configPath)!);
        var self = new SipTrunkProcess(process);
        try
        {
            await ListeningSocket.WaitAsync(process, listenerPort, timeout ?? TimeSpan.FromSeconds(30), () => process.OutputTail, cancellationToken).ConfigureAwait(false);
            return self;
        }
        catch
        {
            await self.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until the log contains <paramref name="text"/>; false when it does not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (Stopwatch.GetElapsedTime(started) > timeout || _process.HasExited)
            {
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>CPU seconds (user + system) the process has used so far, from /proc.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{ProcessId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of /proc/PID/stat (utime, stime), in clock ticks of 1/100 s on Linux.
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Resident memory in bytes, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{ProcessId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Stops with SIGTERM (the graceful path) and returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        await _process.StopAsync("TERM", grace ?? TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> (<c>TERM</c>, <c>INT</c>) and returns at once: the test watches what follows.</summary>
    public Task SignalAsync(string signal, CancellationToken cancellationToken = default) => _process.SignalAsync(signal, cancellationToken);

    /// <summary>Waits for the process to end on its own: its exit code, or null when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        await _process.WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false) ? _process.ExitCode : null;

    /// <summary>SIGKILL (kill -9): no drain, no flush, no chance to clean up; returns once the process is gone.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        _process.Kill();
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
