using SipTrunk.Testing.Pki;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// A running <c>stunnel4</c> with one service on loopback (<see cref="StunnelOptions"/>), configured and logging in its
/// own temporary directory. SIPp from Debian has no TLS; stunnel gives it a TLS side with real certificates.
/// </summary>
public sealed class StunnelProcess : IAsyncDisposable
{
    /// <summary>The program started; Debian's stunnel4 package installs it under this name.</summary>
    public const string Program = "stunnel4";

    private readonly ChildProcess _process;
    private readonly TempDirectory _directory;

    private StunnelProcess(ChildProcess process, TempDirectory directory, StunnelOptions options, int acceptPort)
    {
        _process = process;
        _directory = directory;
        Options = options;
        AcceptPort = acceptPort;
    }

    /// <summary>What this stunnel was started with.</summary>
    public StunnelOptions Options { get; }

    /// <summary>The 127.0.0.1 port it accepts on.</summary>
    public int AcceptPort { get; }

    /// <summary>The stunnel log file.</summary>
    public string LogPath => _directory.Combine("stunnel.log");

    /// <summary>The configuration file it runs with.</summary>
    public string ConfigurationPath => _directory.Combine("stunnel.conf");

    /// <summary>The process id (CPU accounting in benches, /proc lookups).</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once stunnel has ended (it should not, until disposed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Writes the configuration, starts stunnel and waits until it listens on its accept port.
    /// </summary>
    /// <exception cref="InvalidOperationException">stunnel ended first (the message holds its log).</exception>
    /// <exception cref="TimeoutException">It did not listen within <paramref name="startTimeout"/> (default 10 s).</exception>
    public static async Task<StunnelProcess> StartAsync(
        StunnelOptions options, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = new TempDirectory();
        var acceptPort = options.AcceptPort == 0 ? FreePort.Tcp() : options.AcceptPort;
        var configurationPath = directory.Combine("stunnel.conf");
        await File.WriteAllTextAsync(
            configurationPath, options.ToConfiguration(acceptPort, directory.Combine("stunnel.log")), cancellationToken)
            .ConfigureAwait(false);

        ChildProcess process;
        try
        {
            process = ChildProcess.Start(Program, [configurationPath], directory.Path);
        }
        catch
        {
            directory.Dispose();
            throw;
        }

        var stunnel = new StunnelProcess(process, directory, options, acceptPort);
        try
        {
            await ListeningSocket.WaitAsync(
                process, acceptPort, startTimeout ?? TimeSpan.FromSeconds(10), stunnel.Describe, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            await stunnel.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return stunnel;
    }

    /// <summary>A client-mode stunnel (see <see cref="StunnelOptions.Client"/>) on a free port.</summary>
    public static Task<StunnelProcess> StartClientAsync(
        int connectPort,
        CertificateFiles certificate,
        string caCertificatePath,
        string? serverName = null,
        CancellationToken cancellationToken = default) =>
        StartAsync(StunnelOptions.Client(0, connectPort, certificate, caCertificatePath, serverName), cancellationToken: cancellationToken);

    /// <summary>A server-mode stunnel (see <see cref="StunnelOptions.Server"/>) on a free port.</summary>
    public static Task<StunnelProcess> StartServerAsync(
        int connectPort, CertificateFiles certificate, string caCertificatePath, CancellationToken cancellationToken = default) =>
        StartAsync(StunnelOptions.Server(0, connectPort, certificate, caCertificatePath), cancellationToken: cancellationToken);

    /// <summary>The log so far (empty when stunnel has written none).</summary>
    public string ReadLog()
    {
        try
        {
            return File.Exists(LogPath) ? File.ReadAllText(LogPath) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>The command, configuration, log and console output, for assertion messages.</summary>
    public string Describe()
    {
        string configuration;
        try
        {
            configuration = File.ReadAllText(ConfigurationPath);
        }
        catch (IOException)
        {
            configuration = "(unreadable)";
        }

        return $"--- {_process.CommandLine}\n{configuration}--- stunnel.log\n{ReadLog()}--- console\n{_process.OutputTail}";
    }

    /// <summary>Kills stunnel (it has no state worth a graceful stop) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        _directory.Dispose();
    }
}
