using System.Globalization;
using Npgsql;

namespace SipTrunk.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster for tests: <c>initdb</c> in a fresh temporary directory, listening only on
/// 127.0.0.1 on a free port, trust authentication, <c>fsync=off</c> (the data is thrown away, and a simulated crash
/// is a process kill, not a power cut, so the kernel still holds every write; commits stay synchronous, so what a
/// test saw committed survives <see cref="StopAsync"/> with <c>immediate</c>). PostgreSQL refuses to run as root, so
/// when the tests run as root the binaries run as the <c>postgres</c> OS user (<c>runuser</c>) in a directory it owns.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Overrides where the server binaries are looked for (a folder holding <c>initdb</c>, <c>pg_ctl</c>).</summary>
    public const string BinDirectoryVariable = "SIPTRUNK_POSTGRES_BIN";

    private const string OsUser = "postgres";
    private const int StartAttempts = 3;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binDirectory;
    private readonly bool _asOsUser;
    private readonly string _root;
    private bool _running;

    /// <summary>Finds the binaries and creates the (empty) directory; <see cref="StartAsync"/> creates the cluster.</summary>
    /// <param name="binDirectory">Where <c>initdb</c> and <c>pg_ctl</c> are; null to look in the usual places.</param>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed, or root cannot switch to its user.</exception>
    public PostgresServer(string? binDirectory = null)
    {
        _binDirectory = FindBinDirectory(binDirectory) ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found in " + (binDirectory ?? "/usr/lib/postgresql/*/bin nor in $" + BinDirectoryVariable)
            + "; install them with 'apt-get install postgresql' (test.sh does).");
        _asOsUser = Environment.IsPrivilegedProcess;
        if (_asOsUser && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
        {
            throw new InvalidOperationException("Running as root, PostgreSQL needs 'runuser' (util-linux) to start as the postgres user.");
        }

        _root = Directory.CreateTempSubdirectory("siptrunk-pg-").FullName;
    }

    /// <summary>The TCP port on 127.0.0.1 (known after <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>The connection string of the <c>postgres</c> database as superuser <c>postgres</c>.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "postgres.log");

    /// <summary>The connection string of database <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = OsUser,
        Database = database,
        Pooling = true,
        Timeout = 10,
    }.ConnectionString;

    /// <summary>Creates the cluster and starts it; returns once it accepts connections (pg_ctl -w, bounded).</summary>
    /// <exception cref="InvalidOperationException">initdb or the start failed; the message carries the server log.</exception>
    public async Task StartAsync()
    {
        if (_asOsUser)
        {
            await RunCheckedAsync("chown", [OsUser + ":" + OsUser, _root]);
        }

        await RunCheckedAsync(Tool("initdb"), ["-D", DataDirectory, "-U", OsUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"], asOsUser: true);

        // The port is picked free and then bound by the server; another process can take it in between, so a bind
        // failure picks another port rather than failing the test.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Tcp();
            await WriteSettingsAsync();
            var result = await PgCtlStartAsync();
            if (result.ExitCode == 0)
            {
                _running = true;
                return;
            }

            var log = ReadLog();
            if (attempt == StartAttempts || !log.Contains("could not bind", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"PostgreSQL did not start (pg_ctl exit {result.ExitCode}): {result.StandardError}\n{log}");
            }
        }
    }

    /// <summary>Stops the server: <paramref name="immediate"/> aborts every process without a checkpoint, like a crash.</summary>
    public async Task StopAsync(bool immediate)
    {
        await RunCheckedAsync(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "30"], asOsUser: true);
        _running = false;
    }

    /// <summary>Starts the stopped server again on the same data directory and port (crash recovery runs first).</summary>
    public async Task StartAgainAsync()
    {
        var result = await PgCtlStartAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"PostgreSQL did not start again (pg_ctl exit {result.ExitCode}): {result.StandardError}\n{ReadLog()}");
        }

        _running = true;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || name.Length > 63)
        {
            throw new ArgumentException("Database names here are ASCII letters, digits and '_' (at most 63).", nameof(name));
        }

        // Unpooled: a pooled admin connection would be dead after a simulated crash.
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return ConnectionStringFor(name);
    }

    /// <summary>Kills the server (immediate stop, else the postmaster's pid) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_running)
        {
            try
            {
                await StopAsync(immediate: true);
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
            {
                KillPostmaster();
            }
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A server process may still be exiting; the OS temp cleaner gets the rest.
        }
    }

    private static string? FindBinDirectory(string? given)
    {
        var configured = given ?? Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb")) && File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
        }

        const string installed = "/usr/lib/postgresql";
        if (!Directory.Exists(installed))
        {
            return null;
        }

        // Debian keeps one folder per major version; take the newest that has the server tools.
        return Directory.GetDirectories(installed)
            .Select(folder => (Folder: folder, Version: int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(candidate => candidate.Version >= 0 && File.Exists(Path.Combine(candidate.Folder, "bin", "initdb")) && File.Exists(Path.Combine(candidate.Folder, "bin", "pg_ctl")))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => Path.Combine(candidate.Folder, "bin"))
            .FirstOrDefault();
    }

    private string Tool(string name) => Path.Combine(_binDirectory, name);

    private async Task WriteSettingsAsync()
    {
        // Appended last, so these win over initdb's defaults; included as a file of its own so a retry replaces it.
        var settings = string.Join('\n',
            "listen_addresses = '127.0.0.1'",
            $"port = {Port.ToString(CultureInfo.InvariantCulture)}",
            $"unix_socket_directories = '{_root}'",
            "fsync = off",
            "full_page_writes = off",
            "max_connections = 100",
            "log_min_messages = warning",
            string.Empty);
        var path = Path.Combine(DataDirectory, "siptrunk-test.conf");
        await File.WriteAllTextAsync(path, settings);
        var main = Path.Combine(DataDirectory, "postgresql.conf");
        if (!(await File.ReadAllTextAsync(main)).Contains("include 'siptrunk-test.conf'", StringComparison.Ordinal))
        {
            await File.AppendAllTextAsync(main, "\ninclude 'siptrunk-test.conf'\n");
        }

        if (_asOsUser)
        {
            await RunCheckedAsync("chown", [OsUser + ":" + OsUser, path]);
        }
    }

    private Task<ProcessResult> PgCtlStartAsync() =>
        RunAsync(Tool("pg_ctl"), ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "30"], asOsUser: true);

    private async Task RunCheckedAsync(string tool, string[] arguments, bool asOsUser = false)
    {
        var result = await RunAsync(tool, arguments, asOsUser);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(tool)} failed (exit {result.ExitCode}): {result.StandardError}{result.StandardOutput}\n{ReadLog()}");
        }
    }

    private Task<ProcessResult> RunAsync(string tool, string[] arguments, bool asOsUser)
    {
        // The working directory is ours: the postgres user may not be allowed into the test's own folder.
        return asOsUser && _asOsUser
            ? ProcessRunner.RunAsync("runuser", ["-u", OsUser, "--", tool, .. arguments], workingDirectory: _root, timeout: CommandTimeout)
            : ProcessRunner.RunAsync(tool, arguments, workingDirectory: _root, timeout: CommandTimeout);
    }

    private string ReadLog()
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadAllText(LogFile) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private void KillPostmaster()
    {
        try
        {
            var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
