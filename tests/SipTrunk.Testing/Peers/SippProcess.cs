using System.Globalization;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// A running Debian <c>sipp</c> (3.6: TCP only, put stunnel in front for TLS) in its own temporary working directory,
/// where it writes its statistics, message counts, response times, error log and final screens. It needs no
/// terminal: stdin is closed (<c>-nostdin</c>) and the screen output is drained.
/// </summary>
public sealed class SippProcess : IAsyncDisposable
{
    /// <summary>The program started (Debian package <c>sip-tester</c>).</summary>
    public const string Program = "sipp";

    internal const string StatisticsFileName = "stat.csv";
    internal const string ErrorFileName = "errors.log";
    internal const string ScreenFileName = "screen.log";

    private readonly ChildProcess _process;
    private readonly TempDirectory _directory;

    private SippProcess(ChildProcess process, TempDirectory directory, SippOptions options, int localPort)
    {
        _process = process;
        _directory = directory;
        Options = options;
        LocalPort = localPort;
    }

    /// <summary>What this SIPp was started with.</summary>
    public SippOptions Options { get; }

    /// <summary>SIPp's 127.0.0.1 port (where a UAS listens).</summary>
    public int LocalPort { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Where SIPp writes its trace files.</summary>
    public string WorkingDirectory => _directory.Path;

    /// <summary>True once SIPp has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts SIPp. A UAS is returned once it listens on <see cref="LocalPort"/>; a UAC starts calling at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">A UAS ended before listening (the message holds its output).</exception>
    /// <exception cref="TimeoutException">A UAS did not listen within <paramref name="startTimeout"/> (default 10 s).</exception>
    public static async Task<SippProcess> StartAsync(
        SippOptions options, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.ScenarioPath))
        {
            throw new FileNotFoundException("SIPp scenario not found", options.ScenarioPath);
        }

        var localPort = options.LocalPort == 0 ? FreePort.Tcp() : options.LocalPort;
        var arguments = options.ToArguments(localPort);
        var directory = new TempDirectory();
        ChildProcess process;
        try
        {
            process = ChildProcess.Start(Program, arguments, directory.Path);
        }
        catch
        {
            directory.Dispose();
            throw;
        }

        var sipp = new SippProcess(process, directory, options, localPort);
        if (options.Mode == SippMode.Server)
        {
            try
            {
                await ListeningSocket.WaitAsync(
                    process, localPort, startTimeout ?? TimeSpan.FromSeconds(10), sipp.Describe, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch
            {
                await sipp.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return sipp;
    }

    /// <summary>A UAS running <paramref name="scenarioPath"/> on a free port.</summary>
    public static Task<SippProcess> StartServerAsync(string scenarioPath, CancellationToken cancellationToken = default) =>
        StartAsync(SippOptions.Server(scenarioPath), cancellationToken: cancellationToken);

    /// <summary>
    /// Waits for SIPp to finish on its own (a UAC after its <c>-m</c> calls or its <c>-timeout</c>) and reads its files.
    /// </summary>
    /// <exception cref="TimeoutException">It still ran after <paramref name="timeout"/>; it is killed and the message says what it had done.</exception>
    public async Task<SippResult> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!await _process.WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            await _process.StopAsync("INT", TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            throw new TimeoutException(
                $"sipp still ran after {timeout.TotalSeconds:0.#} s\n{Describe()}");
        }

        return ReadResult();
    }

    /// <summary>
    /// Stops SIPp (a UAS runs until stopped): SIGINT, which makes it write its final statistics and screens, then a kill
    /// if it has not ended within <paramref name="grace"/> (default 5 s). Returns what it wrote.
    /// </summary>
    public async Task<SippResult> StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        await _process.StopAsync("INT", grace ?? TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        return ReadResult();
    }

    /// <summary>Stops SIPp if it still runs (SIGINT, then a kill after 2 s) and deletes its working directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StopAsync("INT", TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            _directory.Dispose();
        }
    }

    /// <summary>The command line and what SIPp has written so far (counters, errors, screens), for assertion messages.</summary>
    public string Describe() => $"--- {_process.CommandLine}\n{ReadResult().Describe()}";

    /// <summary>The text of <paramref name="path"/>, or empty when it does not exist (yet).</summary>
    internal static string ReadIfExists(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private SippResult ReadResult()
    {
        var messageCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (column, text) in SippCsv.LastRow(ReadTrace("*_counts.csv")))
        {
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
            {
                messageCounts[column] = count;
            }
        }

        // Rows: Date_ms;response_time_ms;rtd_no.
        var responseTimes = new List<double>();
        foreach (var row in SippCsv.Rows(ReadTrace("*_rtt.csv")).Skip(1))
        {
            if (row.Length >= 2 && double.TryParse(row[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
            {
                responseTimes.Add(milliseconds);
            }
        }

        return new SippResult(
            _process.HasExited ? _process.ExitCode : -1,
            SippStatistics.Read(_directory.Combine(StatisticsFileName)),
            messageCounts,
            responseTimes,
            ReadIfExists(_directory.Combine(ErrorFileName)),
            ReadIfExists(_directory.Combine(ScreenFileName)),
            _process.OutputTail);
    }

    // SIPp names these after the scenario and its pid (uac_1234_rtt.csv) and has no option to rename them.
    private string ReadTrace(string pattern)
    {
        var path = Directory.EnumerateFiles(_directory.Path, pattern).FirstOrDefault();
        return path is null ? string.Empty : ReadIfExists(path);
    }
}
