using System.Diagnostics;
using System.Globalization;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// Tells when a child process listens on a TCP port, from /proc (Linux): the socket in LISTEN state on the port must be
/// one of the process's own file descriptors. A connect probe would do, but it has side effects here: through a
/// client-mode stunnel it opens a TLS connection to the system under test, and SIPp or SipTrunk would see a
/// connection come and go. Checking the owner also catches another program holding the port while ours failed to bind.
/// </summary>
internal static class ListeningSocket
{
    private const string ListenState = "0A";

    /// <summary>
    /// Polls until <paramref name="process"/> listens on <paramref name="port"/>. Throws when the process ends first
    /// or <paramref name="timeout"/> passes, with <paramref name="describe"/>() (its log) in the message.
    /// </summary>
    public static async Task WaitAsync(
        ChildProcess process, int port, TimeSpan timeout, Func<string> describe, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{process.CommandLine} exited with {process.ExitCode} before listening on 127.0.0.1:{port}\n{describe()}");
            }

            if (IsListening(process.Id, port))
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(started) >= timeout)
            {
                throw new TimeoutException(
                    $"{process.CommandLine} did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds:0.#} s\n{describe()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when process <paramref name="processId"/> owns a TCP socket listening on <paramref name="port"/>.</summary>
    public static bool IsListening(int processId, int port)
    {
        var inodes = ListeningInodes("/proc/net/tcp", port).Concat(ListeningInodes("/proc/net/tcp6", port))
            .Select(entry => entry.Inode).ToHashSet();
        return inodes.Count > 0 && SocketInodes(processId).Overlaps(inodes);
    }

    /// <summary>Every TCP port process <paramref name="processId"/> listens on right now (empty once it has ended).</summary>
    public static IReadOnlySet<int> ListeningPorts(int processId)
    {
        var owned = SocketInodes(processId);
        return ListeningInodes("/proc/net/tcp", port: null).Concat(ListeningInodes("/proc/net/tcp6", port: null))
            .Where(entry => owned.Contains(entry.Inode))
            .Select(entry => entry.Port)
            .ToHashSet();
    }

    // Each socket descriptor of the process links to "socket:[inode]".
    private static HashSet<string> SocketInodes(int processId)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{processId}/fd"))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked; the caller sees HasExited next round.
        }

        return inodes;
    }

    // Lines: "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...",
    // addresses as HEXIP:HEXPORT. A null port lists every listening socket.
    private static IEnumerable<(string Inode, int Port)> ListeningInodes(string table, int? port)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(table);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != ListenState)
            {
                continue;
            }

            var colon = fields[1].LastIndexOf(':');
            if (colon > 0 && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var localPort)
                && (port is null || localPort == port))
            {
                yield return (fields[9], localPort);
            }
        }
    }
}
