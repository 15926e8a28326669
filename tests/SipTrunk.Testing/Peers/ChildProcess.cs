using System.Diagnostics;
using System.Text;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// A long-running child process (stunnel, SIPp) with its stdout and stderr drained into a bounded tail, so a chatty
/// child never blocks on a full pipe and a failure message can still show what it said last.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    // SIPp repaints its screen every second on stdout; a long bench run must not grow memory without bound.
    private const int MaxCapturedChars = 64 * 1024;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private readonly Action<string>? _lineObserver;
    private int? _exitCodeAfterDispose;

    private ChildProcess(Process process, string commandLine, Action<string>? lineObserver)
    {
        _process = process;
        CommandLine = commandLine;
        _lineObserver = lineObserver;
    }

    /// <summary>The program and its arguments, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>The process id.</summary>
    public int Id { get; private set; }

    /// <summary>True once the process has ended (always after dispose).</summary>
    public bool HasExited => _exitCodeAfterDispose is not null || _process.HasExited;

    /// <summary>The exit code (only once <see cref="HasExited"/>).</summary>
    public int ExitCode => _exitCodeAfterDispose ?? _process.ExitCode;

    /// <summary>The last <see cref="MaxCapturedChars"/> characters the process wrote to stdout and stderr.</summary>
    public string OutputTail
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> in <paramref name="workingDirectory"/> with no stdin. Every stdout line is
    /// also handed to <paramref name="standardOutputObserver"/> (in order, one line at a time), for output that must
    /// be read whole rather than from the bounded tail (baresip's SIP trace).
    /// </summary>
    public static ChildProcess Start(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, Action<string>? standardOutputObserver = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = psi };
        var child = new ChildProcess(process, $"{fileName} {string.Join(' ', arguments)}", standardOutputObserver);
        process.OutputDataReceived += (_, e) =>
        {
            child.Append(e.Data);
            if (e.Data is not null)
            {
                child._lineObserver?.Invoke(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException($"could not start {fileName}");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"could not start {fileName} (is it installed? test.sh installs it): {ex.Message}", ex);
        }

        child.Id = process.Id;

        // No stdin at all: neither stunnel nor SIPp (run with -nostdin) should wait on a terminal.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits up to <paramref name="timeout"/>; true when the process has ended (and its output is drained).</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_exitCodeAfterDispose is not null)
        {
            return true;
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Sends a signal by name (<c>INT</c>, <c>TERM</c>) unless the process has already ended.</summary>
    public async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        if (HasExited)
        {
            return;
        }

        // The BCL can only SIGKILL another process; kill(1) sends the polite signals that let SIPp write its stats.
        var id = Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ProcessRunner.RunAsync("kill", ["-s", signal, id], timeout: TimeSpan.FromSeconds(10)).WaitAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the process: <paramref name="signal"/> first when given, then SIGKILL to the whole tree if it has not ended
    /// within <paramref name="grace"/>. Waits until it has ended.
    /// </summary>
    public async Task StopAsync(string? signal, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (signal is not null && !HasExited)
        {
            await SignalAsync(signal, cancellationToken).ConfigureAwait(false);
            if (await WaitForExitAsync(grace, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIGKILL to the process tree, if it still runs.</summary>
    public void Kill()
    {
        try
        {
            if (!HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_exitCodeAfterDispose is not null)
        {
            return;
        }

        await StopAsync(signal: null, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        _exitCodeAfterDispose = _process.HasExited ? _process.ExitCode : -1;
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.Append(line).Append('\n');
            if (_output.Length > MaxCapturedChars)
            {
                _output.Remove(0, _output.Length - MaxCapturedChars);
            }
        }
    }
}
