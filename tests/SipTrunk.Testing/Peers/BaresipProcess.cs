using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using SipTrunk.Testing.Pki;

namespace SipTrunk.Testing.Peers;

// baresip 1.0.0 (Debian) as a test peer: what it needs and how it behaves, found by running it.
//
// Configuration (BaresipOptions.ToConfiguration / ToAccountLine):
// - net_interface 127.0.0.1: baresip picks its local address from this; an interface name ("lo") is not enough, and
//   without it it binds the machine's first real address and puts that in Via and Contact.
// - sip_listen 127.0.0.1:PORT: port 0 works (baresip picks one). Contact and Via carry this listen port, not the
//   ephemeral port of the TLS connection it opened; only the Contact of its responses (180/200 to an INVITE received on
//   that connection) carries the connection's ephemeral port.
// - sip_certificate: ONE PEM file holding the certificate followed by its private key; it is also the server
//   certificate of baresip's own TLS listener. sip_cafile is loaded, but baresip 1.0 does NOT verify the server's
//   certificate as a client (a self-signed certificate for another name is accepted), so no SAN/host check happens:
//   the outbound proxy can be an IP literal.
// - Audio, headless: audio_source ausine,440 needs ausrc_srate 48000 and ausrc_channels 2 ("ausine: supports only
//   48kHz samplerate", then the call is rejected with 486 when answered). aufile registers only a source, so
//   audio_player/audio_alert "aufile,/dev/null" name no player; baresip then runs the rx pipeline with no player,
//   which is what we want without a sound card.
// - Control: stdin is closed by ChildProcess and stdio.so fails without a pollable stdin ("epoll_ctl ... Operation
//   not permitted"), so the ctrl_tcp module is used instead (netstring JSON on ctrl_tcp_listen, see BaresipControl);
//   its commands are the menu module's long names (accept, hangup, dial <uri>, quit), so menu.so must be loaded.
//   ctrl_tcp also pushes events (REGISTER_OK, CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED, ...).
// - sipnat=outbound needs a UUID: module_tmp uuid.so (writes <dir>/uuid), else "outbound requires valid UUID" and
//   the account is dropped.
// - Account line: <sip:USER@DOMAIN;transport=tls>;auth_user=..;auth_pass=..;outbound="sip:HOST:PORT;transport=tls";
//   sipnat=outbound;answermode=manual|auto;regint=N;audio_codecs=pcmu,pcma[;mediaenc=srtp-mand].
//
// Behaviour on the wire:
// - REGISTER sip:DOMAIN;transport=tls with Route <sip:HOST:PORT;transport=tls;lr>, Supported: gruu, outbound, path,
//   Contact <sip:USER-0xHEX@127.0.0.1:LISTENPORT;transport=tls>;expires=N;+sip.instance="<urn:uuid:..>";reg-id=1
//   (no ;ob). First REGISTER has no Authorization; after a 401 it answers MD5 only with qop=auth, nc=00000001 and
//   uri = the Request-URI ("sip:DOMAIN;transport=tls").
// - It keeps using the TLS connection it opened: an INVITE sent down that connection to the registered Contact is
//   answered (180, then 200 or 486) on the same connection, and its BYE goes there too.
// - Keep-alives: no CRLF ping was seen within 8 s even with "Require: outbound" and "Flow-Timer: 3" in the 200.
// - On quit it un-REGISTERs (expires=0) and waits for the answer before it exits; an unanswered un-REGISTER keeps
//   it alive for seconds, hence StopAsync's kill fallback. A ringing call is ended with 486 Busy Here on quit.
// - It sends no request to a route or target that is not a sip: URI: libre's sip_request() returns ENOSYS for any
//   other scheme, so a sips: Record-Route from a proxy makes the ACK of an answered call fail ("session closed:
//   Function not implemented") and "/dial sips:..." becomes "sip:sips:...". sip:...;transport=tls is the form it routes.
//
// Media and SIP trace (BaresipCarrier, SipTrace, GetAudioStatsAsync):
// - sip_listen 127.0.0.1:P listens for UDP and TCP on P and for TLS on P+1; baresip asks a TLS client for no certificate.
// - An INVITE goes to the account whose Contact user, else AOR user, equals the Request-URI user (404 otherwise), so
//   an account <sip:+441632960001@127.0.0.1;transport=tls>;regint=0 takes SipTrunk's sips:+441632960001@127.0.0.1:P+1.
// - "-s" on the command line prints every SIP message sent or received (BaresipSipTrace reads them); there is no
//   config key for it in 1.0. The RTP socket binds 0.0.0.0:PORT (the SDP port) and RTCP PORT+1 (no rtcp-mux).
// - audio_debug (ctrl_tcp) reports "TX: packets=N", the received count per RTCP member ("rcvd=N", after SRTP
//   authentication) and "menc: srtp-mand (secure=yes)"; events CALL_MENC ("0,audio,AES_CM_128_HMAC_SHA1_80"),
//   CALL_RTPESTAB (first RTP received) and CALL_RTCP (every ~5 s) come on ctrl_tcp.

/// <summary>
/// A running baresip softphone (see the notes at the top of this file) with one account from
/// <see cref="BaresipOptions"/> (or a carrier's, see <see cref="BaresipCarrier"/>), configured in its own directory,
/// controlled through <c>ctrl_tcp</c>.
/// </summary>
public sealed class BaresipProcess : IAsyncDisposable
{
    /// <summary>The program started (Debian package <c>baresip</c>).</summary>
    public const string Program = "baresip";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly ChildProcess _process;
    private readonly TempDirectory? _ownedDirectory;
    private readonly BaresipSipTrace? _trace;
    private BaresipControl? _control;
    private IReadOnlySet<int> _listeningPorts = new HashSet<int>();

    private BaresipProcess(
        ChildProcess process, TempDirectory? ownedDirectory, string directory, BaresipOptions? options, int controlPort, BaresipSipTrace? trace)
    {
        _process = process;
        _ownedDirectory = ownedDirectory;
        _trace = trace;
        ConfigDirectory = directory;
        Options = options;
        ControlPort = controlPort;
    }

    /// <summary>What this baresip was started with; null for a carrier (see <see cref="BaresipCarrier"/>).</summary>
    public BaresipOptions? Options { get; }

    /// <summary>The directory holding config, accounts and the combined certificate.</summary>
    public string ConfigDirectory { get; }

    /// <summary>The 127.0.0.1 port of its ctrl_tcp control socket.</summary>
    public int ControlPort { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once baresip has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What baresip wrote to stdout and stderr so far (the last 64 KiB).</summary>
    public string Output => _process.OutputTail;

    /// <summary>Every ctrl_tcp message (responses and events, JSON) received so far.</summary>
    public IReadOnlyList<string> ControlMessages => _control?.Messages ?? [];

    /// <summary>The TCP ports baresip listened on once started: SIP over TCP and TLS, and ctrl_tcp.</summary>
    public IReadOnlySet<int> ListeningPorts => _listeningPorts;

    /// <summary>
    /// Every SIP message baresip sent or received so far, in order, read whole from its <c>-s</c> trace (not from
    /// the bounded <see cref="Output"/>). Needs <see cref="BaresipOptions.SipTrace"/> (or a carrier's).
    /// </summary>
    /// <exception cref="InvalidOperationException">baresip was started without the SIP trace.</exception>
    public IReadOnlyList<BaresipSipMessage> SipTrace =>
        (_trace ?? throw new InvalidOperationException("start baresip with SipTrace = true to read its SIP messages")).Messages(_listeningPorts);

    /// <summary>The SDP bodies baresip sent (its offers and answers), in order.</summary>
    public IReadOnlyList<string> SentSdp => [.. SipTrace.Where(message => message.Sent && message.HasSdp).Select(message => message.Body)];

    /// <summary>The SDP bodies baresip received (the other side's offers and answers, as they reached it), in order.</summary>
    public IReadOnlyList<string> ReceivedSdp => [.. SipTrace.Where(message => !message.Sent && message.HasSdp).Select(message => message.Body)];

    /// <summary>Writes the configuration, starts baresip and connects to its control socket.</summary>
    /// <exception cref="InvalidOperationException">baresip ended first, or is not installed (the message holds its output).</exception>
    /// <exception cref="TimeoutException">It did not open its control socket within 10 s.</exception>
    public static Task<BaresipProcess> StartAsync(BaresipOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return StartAsync(
            options.ToAccountLine(),
            new CertificateFiles(options.AorUser, options.ClientCertificatePemPath, options.ClientKeyPemPath),
            (certificatePath, controlPort) => options.ToConfiguration(certificatePath, controlPort),
            options.WorkDirectory,
            options.SipTrace,
            options,
            tlsPort: null,
            cancellationToken);
    }

    /// <summary>
    /// Starts a baresip carrier; returned once it listens for TLS on <paramref name="sipPort"/> + 1. Use
    /// <see cref="BaresipCarrier.StartAsync"/>, which picks the ports.
    /// </summary>
    internal static Task<BaresipProcess> StartCarrierAsync(BaresipCarrierOptions options, int sipPort, CancellationToken cancellationToken) =>
        StartAsync(
            options.ToAccountLine(),
            options.Certificate,
            (certificatePath, controlPort) => BaresipConfiguration.Create(sipPort, certificatePath, options.CaPemPath, controlPort),
            options.WorkDirectory,
            options.SipTrace,
            options: null,
            tlsPort: sipPort + 1,
            cancellationToken);

    private static async Task<BaresipProcess> StartAsync(
        string accountLine,
        CertificateFiles certificate,
        Func<string, int, string> configuration,
        string? workDirectory,
        bool sipTrace,
        BaresipOptions? options,
        int? tlsPort,
        CancellationToken cancellationToken)
    {
        var owned = workDirectory is null ? new TempDirectory() : null;
        var directory = owned?.Path ?? Path.GetFullPath(workDirectory!);
        BaresipProcess? baresip = null;
        try
        {
            Directory.CreateDirectory(directory);
            var certificatePath = Path.Combine(directory, "client.pem");
            var combined = await File.ReadAllTextAsync(certificate.CertificatePath, cancellationToken).ConfigureAwait(false)
                + "\n" + await File.ReadAllTextAsync(certificate.PrivateKeyPath, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(certificatePath, combined, cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(certificatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var controlPort = FreePort.Tcp();
            await File.WriteAllTextAsync(
                Path.Combine(directory, "config"), configuration(certificatePath, controlPort), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(directory, "accounts"), accountLine, cancellationToken).ConfigureAwait(false);

            var trace = sipTrace ? new BaresipSipTrace() : null;
            var process = ChildProcess.Start(Program, sipTrace ? ["-f", directory, "-s"] : ["-f", directory], directory, trace is null ? null : trace.Observe);
            baresip = new BaresipProcess(process, owned, directory, options, controlPort, trace);
            await ListeningSocket.WaitAsync(process, controlPort, TimeSpan.FromSeconds(10), baresip.Describe, cancellationToken)
                .ConfigureAwait(false);
            if (tlsPort is { } port)
            {
                await ListeningSocket.WaitAsync(process, port, TimeSpan.FromSeconds(10), baresip.Describe, cancellationToken)
                    .ConfigureAwait(false);
            }

            // baresip opens its SIP listeners before it loads ctrl_tcp, so they are all here now; the SIP trace uses
            // them to tell what baresip sent from what it received.
            baresip._listeningPorts = ListeningSocket.ListeningPorts(process.Id);
            baresip._control = await BaresipControl.ConnectAsync(controlPort, cancellationToken).ConfigureAwait(false);
            return baresip;
        }
        catch
        {
            if (baresip is not null)
            {
                await baresip.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                owned?.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Runs a command through ctrl_tcp, written as on baresip's console: <c>/accept</c>, <c>/hangup</c>,
    /// <c>/dial sip:bob@example.com</c> (the leading slash is optional). Returns baresip's answer text.
    /// </summary>
    /// <exception cref="InvalidOperationException">baresip refused the command or has gone.</exception>
    public Task<string> SendCommandAsync(string command, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var control = _control ?? throw new InvalidOperationException("baresip has no control connection");
        var text = command.Trim().TrimStart('/');
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0
            ? control.SendAsync(text, null, CommandTimeout, cancellationToken)
            : control.SendAsync(text[..space], text[(space + 1)..].Trim(), CommandTimeout, cancellationToken);
    }

    /// <summary>Waits until <see cref="Output"/> contains <paramref name="text"/>.</summary>
    /// <exception cref="TimeoutException">It did not, within <paramref name="timeout"/> (the message holds the output).</exception>
    public Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return WaitForOutputAsync(new Regex(Regex.Escape(text), RegexOptions.CultureInvariant), timeout, cancellationToken);
    }

    /// <summary>Waits until <paramref name="pattern"/> matches <see cref="Output"/> and returns the match.</summary>
    /// <exception cref="TimeoutException">It did not, within <paramref name="timeout"/> (the message holds the output).</exception>
    public Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return PollAsync(
            () =>
            {
                var match = pattern.Match(Output);
                return (match.Success, match);
            },
            $"output matching /{pattern}/",
            timeout,
            cancellationToken);
    }

    /// <summary>
    /// Waits for a ctrl_tcp event of <paramref name="type"/> (REGISTER_OK, CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED, ...)
    /// received since start, and returns it. Events before the control connection was up (within milliseconds of
    /// start) are missed; for the first registration prefer <see cref="WaitForRegisteredAsync"/>.
    /// </summary>
    public Task<JsonElement> WaitForEventAsync(string type, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        return PollAsync(
            () =>
            {
                var found = _control?.FindEvent(type);
                return (found.HasValue, found.GetValueOrDefault());
            },
            $"ctrl_tcp event {type}",
            timeout,
            cancellationToken);
    }

    /// <summary>
    /// Waits for the next ctrl_tcp event of <paramref name="type"/> among the messages from index <paramref name="start"/>
    /// on (0, then what the previous call returned), for a process that sees the same event again and again (one call
    /// after another); returns the index just past it.
    /// </summary>
    public Task<int> WaitForNextEventAsync(string type, int start, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        return PollAsync(
            () =>
            {
                var found = _control?.FindEvent(type, start);
                return (found.HasValue, found.GetValueOrDefault().Next);
            },
            $"ctrl_tcp event {type} after message {start}",
            timeout,
            cancellationToken);
    }

    /// <summary>Waits until baresip reports a 200 to its REGISTER over TLS (console line <c>{1/TLS/v4} 200 OK</c>).</summary>
    public Task WaitForRegisteredAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForOutputAsync(new Regex(@"\{\d+/TLS/v[46]\} 200 ", RegexOptions.CultureInvariant), timeout, cancellationToken);

    /// <summary>
    /// The current call's audio stream as baresip's <c>audio_debug</c> command reports it: RTP packets sent and
    /// received (decrypted, for SRTP), media encryption and the RTP addresses.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no call, or baresip has gone.</exception>
    public async Task<BaresipAudioStats> GetAudioStatsAsync(CancellationToken cancellationToken = default) =>
        BaresipAudioStats.Parse(await SendCommandAsync("audio_debug", cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Waits until the current call has sent and received at least <paramref name="packets"/> RTP packets each
    /// (50 is one second of 20 ms G.711), polling <see cref="GetAudioStatsAsync"/>, and returns the stats.
    /// </summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/> (the message holds the last stats and the log).</exception>
    public async Task<BaresipAudioStats> WaitForAudioAsync(long packets, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var stats = await GetAudioStatsAsync(cancellationToken).ConfigureAwait(false);
            if (stats.PacketsSent >= packets && stats.PacketsReceived >= packets)
            {
                return stats;
            }

            if (Stopwatch.GetElapsedTime(started) >= timeout)
            {
                throw new TimeoutException(
                    $"baresip did not send and receive {packets} RTP packets within {timeout.TotalSeconds:0.#} s\n{stats.Text}\n{Describe()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Quits gracefully (<c>quit</c>: un-REGISTER, end calls) and waits up to <paramref name="grace"/> (default 3 s),
    /// then SIGTERM and SIGKILL. Waits until it has ended.
    /// </summary>
    public async Task StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default)
    {
        var wait = grace ?? TimeSpan.FromSeconds(3);
        if (!_process.HasExited && _control is not null)
        {
            try
            {
                await _control.SendAsync("quit", null, wait, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or ObjectDisposedException)
            {
                // Already going; the signals below finish the job.
            }

            if (await _process.WaitForExitAsync(wait, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        await _process.StopAsync("TERM", TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command, configuration, account line, console output and control messages, for assertion messages.</summary>
    public string Describe()
    {
        static string Read(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (IOException)
            {
                return "(unreadable)\n";
            }
        }

        return $"--- {_process.CommandLine}\n--- config\n{Read(Path.Combine(ConfigDirectory, "config"))}"
            + $"--- accounts\n{Read(Path.Combine(ConfigDirectory, "accounts"))}--- console\n{Output}"
            + $"--- ctrl_tcp\n{string.Join('\n', ControlMessages)}\n";
    }

    /// <summary>Stops baresip (gracefully if it still can), closes the control socket and deletes an owned directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (_control is not null)
            {
                await _control.DisposeAsync().ConfigureAwait(false);
            }

            await _process.DisposeAsync().ConfigureAwait(false);
            _ownedDirectory?.Dispose();
        }
    }

    private async Task<T> PollAsync<T>(Func<(bool Found, T Value)> probe, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var (found, value) = probe();
            if (found)
            {
                return value;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"baresip exited with {_process.ExitCode} before {what}\n{Describe()}");
            }

            if (Stopwatch.GetElapsedTime(started) >= timeout)
            {
                throw new TimeoutException($"no {what} from baresip within {timeout.TotalSeconds:0.#} s\n{Describe()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
    }
}
