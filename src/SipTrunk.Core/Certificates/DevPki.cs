namespace SipTrunk.Core.Certificates;

/// <summary>
/// The development PKI on disk: <c>siptrunk certs init</c> (<see cref="Initialize"/>) and the certificates
/// <c>siptrunk run</c> generates when none exist (<see cref="EnsureDevelopmentCertificates"/>).
/// </summary>
public sealed class DevPki
{
    /// <summary>The CA certificate's file name in an output directory.</summary>
    public const string CaCertificateFileName = "ca.pem";

    /// <summary>The CA key's file name in an output directory.</summary>
    public const string CaPrivateKeyFileName = "ca.key";

    /// <summary>SipTrunk's own certificate's file name.</summary>
    public const string ServerCertificateFileName = "server.pem";

    /// <summary>SipTrunk's own key's file name.</summary>
    public const string ServerPrivateKeyFileName = "server.key";

    private const int MaxNameLength = 64;

    private readonly TimeProvider _timeProvider;

    public DevPki(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Checks that <paramref name="name"/> can name a peer or carrier certificate file: 1-64 letters, digits,
    /// '.', '-' or '_', not starting with '.', and not <c>ca</c> or <c>server</c> (whose files are taken).
    /// </summary>
    public static bool IsSafeName(string? name, out string reason)
    {
        if (string.IsNullOrEmpty(name))
        {
            reason = "the name is empty";
            return false;
        }

        if (name.Length > MaxNameLength)
        {
            reason = $"'{name}' is longer than {MaxNameLength} characters (the X.509 CN limit, RFC 5280 appendix A)";
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '_'))
            {
                reason = $"'{name}' may contain only letters, digits, '.', '-' and '_'";
                return false;
            }
        }

        if (name[0] == '.')
        {
            reason = $"'{name}' must not start with '.'";
            return false;
        }

        if (name.Equals("ca", StringComparison.OrdinalIgnoreCase) || name.Equals("server", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"'{name}' is reserved for the CA and server files";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    /// <summary>
    /// Writes a dev PKI into <see cref="DevPkiRequest.OutputDirectory"/>. Without <see cref="DevPkiRequest.Force"/>:
    /// an existing <c>ca.pem</c>+<c>ca.key</c> is reused to sign what is asked; an existing <c>server.pem</c>+
    /// <c>server.key</c> is then kept (reported as skipped); any other file that would be written and already
    /// exists makes the whole call refuse before writing anything. With Force: a fresh CA, everything re-issued.
    /// </summary>
    /// <exception cref="DevPkiException">A bad name or host, an existing file, an unusable CA.</exception>
    public DevPkiResult Initialize(DevPkiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var leaves = ValidateLeafNames(request);
        foreach (var host in request.Hosts)
        {
            if (!HostName.TryParse(host, out _))
            {
                throw new DevPkiException($"--host '{host}' is neither an IP address nor a DNS name");
            }
        }

        var directory = request.OutputDirectory;
        if (File.Exists(directory))
        {
            throw new DevPkiException($"{directory} is a file, not a directory");
        }

        string InDirectory(string fileName) => Path.Combine(directory, fileName);
        var caPem = InDirectory(CaCertificateFileName);
        var caKey = InDirectory(CaPrivateKeyFileName);
        var serverPem = InDirectory(ServerCertificateFileName);
        var serverKey = InDirectory(ServerPrivateKeyFileName);

        var conflicts = new List<string>();
        var reuseCa = false;
        var writeServer = true;
        if (!request.Force)
        {
            reuseCa = File.Exists(caPem) && File.Exists(caKey);
            if (!reuseCa)
            {
                AddExisting(conflicts, caPem, caKey);
            }

            if (reuseCa && File.Exists(serverPem) && File.Exists(serverKey))
            {
                writeServer = false;
            }
            else
            {
                AddExisting(conflicts, serverPem, serverKey);
            }

            foreach (var (name, _) in leaves)
            {
                AddExisting(conflicts, InDirectory(name + ".pem"), InDirectory(name + ".key"));
            }
        }

        if (conflicts.Count > 0)
        {
            throw new DevPkiException(
                $"refusing to overwrite existing files (use --force to re-issue everything): {string.Join(", ", conflicts)}",
                conflicts);
        }

        DevCertificateAuthority ca;
        if (reuseCa)
        {
            ca = DevCertificateAuthority.Load(caPem, caKey, _timeProvider);
            if (ca.Certificate.NotAfter <= _timeProvider.GetUtcNow())
            {
                throw new DevPkiException($"{caPem} expired on {ca.Certificate.NotAfter:yyyy-MM-dd}; use --force for a new CA");
            }
        }
        else
        {
            ca = DevCertificateAuthority.Create(timeProvider: _timeProvider);
        }

        EnsureDirectory(directory);
        var written = new List<string>();
        var skipped = new List<string>();
        if (!reuseCa)
        {
            Write(ca.Certificate, caPem, caKey, request.Force, written);
        }

        if (writeServer)
        {
            Write(ca.Issue(CertificateRequestSpec.ForServer(request.Hosts)), serverPem, serverKey, request.Force, written);
        }
        else
        {
            skipped.Add(serverPem);
            skipped.Add(serverKey);
        }

        foreach (var (name, spec) in leaves)
        {
            Write(ca.Issue(spec), InDirectory(name + ".pem"), InDirectory(name + ".key"), request.Force, written);
        }

        return new DevPkiResult(directory, reuseCa, written, skipped);
    }

    /// <summary>
    /// For <c>siptrunk run</c> with <c>Tls:AutoGenerateDevCertificates</c>: when the server certificate and key are
    /// both missing, issues them from the CA at <paramref name="caCertificatePath"/> (key beside it, extension
    /// <c>.key</c>), creating that CA first if it is missing too, and then issues a client certificate beside the
    /// server certificate for each of <paramref name="peerNames"/> that is a safe file name and has no files yet.
    /// When the server certificate and key exist (and the CA certificate does) nothing is written. Never overwrites.
    /// </summary>
    /// <exception cref="DevPkiException">
    /// Half of a pair exists, or the CA certificate exists without its key (so it cannot sign), or the server
    /// certificate exists but its CA certificate is gone.
    /// </exception>
    public DevCertificatesResult EnsureDevelopmentCertificates(
        string serverCertificatePath,
        string serverPrivateKeyPath,
        string caCertificatePath,
        IReadOnlyList<string>? peerNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverCertificatePath);
        ArgumentException.ThrowIfNullOrEmpty(serverPrivateKeyPath);
        ArgumentException.ThrowIfNullOrEmpty(caCertificatePath);
        var serverPem = Path.GetFullPath(serverCertificatePath);
        var serverKey = Path.GetFullPath(serverPrivateKeyPath);
        var caPem = Path.GetFullPath(caCertificatePath);
        var caKey = Path.ChangeExtension(caPem, ".key");

        var serverPemExists = File.Exists(serverPem);
        var serverKeyExists = File.Exists(serverKey);
        if (serverPemExists && serverKeyExists)
        {
            return File.Exists(caPem)
                ? new DevCertificatesResult(false, [], caPem, caKey)
                : throw new DevPkiException(
                    $"{caPem} is missing but {serverPem} exists, so the CA that signed it cannot be recreated; " +
                    "run 'siptrunk certs init --force' or point Tls:TrustedCaCertificates at the right CA");
        }

        if (serverPemExists || serverKeyExists)
        {
            var (present, absent) = serverPemExists ? (serverPem, serverKey) : (serverKey, serverPem);
            throw new DevPkiException($"{present} exists without {absent}; refusing to overwrite it");
        }

        var written = new List<string>();
        DevCertificateAuthority ca;
        var caPemExists = File.Exists(caPem);
        var caKeyExists = File.Exists(caKey);
        if (caPemExists && caKeyExists)
        {
            ca = DevCertificateAuthority.Load(caPem, caKey, _timeProvider);
        }
        else if (caPemExists)
        {
            throw new DevPkiException($"cannot issue a server certificate: {caKey} (the key of {caPem}) is missing");
        }
        else if (caKeyExists)
        {
            throw new DevPkiException($"{caKey} exists without {caPem}; refusing to overwrite it");
        }
        else
        {
            ca = DevCertificateAuthority.Create(timeProvider: _timeProvider);
            EnsureDirectory(Path.GetDirectoryName(caPem)!);
            Write(ca.Certificate, caPem, caKey, overwrite: false, written);
        }

        var serverDirectory = Path.GetDirectoryName(serverPem)!;
        EnsureDirectory(serverDirectory);
        EnsureDirectory(Path.GetDirectoryName(serverKey)!);
        Write(ca.Issue(CertificateRequestSpec.ForServer()), serverPem, serverKey, overwrite: false, written);

        foreach (var name in peerNames ?? [])
        {
            var peerPem = Path.Combine(serverDirectory, name + ".pem");
            var peerKey = Path.Combine(serverDirectory, name + ".key");
            if (IsSafeName(name, out _) && !File.Exists(peerPem) && !File.Exists(peerKey))
            {
                Write(ca.Issue(CertificateRequestSpec.ForPeer(name)), peerPem, peerKey, overwrite: false, written);
            }
        }

        return new DevCertificatesResult(true, written, caPem, caKey);
    }

    private static List<(string Name, CertificateRequestSpec Spec)> ValidateLeafNames(DevPkiRequest request)
    {
        var leaves = new List<(string Name, CertificateRequestSpec Spec)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, string option, Func<string, CertificateRequestSpec> spec)
        {
            if (!IsSafeName(name, out var reason))
            {
                throw new DevPkiException($"{option} {reason}");
            }

            // Case-insensitive: on a case-insensitive file system PBX-A.pem and pbx-a.pem are one file.
            if (!seen.Add(name))
            {
                throw new DevPkiException($"{option} '{name}' is named more than once");
            }

            leaves.Add((name, spec(name)));
        }

        foreach (var peer in request.Peers)
        {
            Add(peer, "--peer", CertificateRequestSpec.ForPeer);
        }

        foreach (var carrier in request.Carriers)
        {
            Add(carrier, "--carrier", CertificateRequestSpec.ForCarrier);
        }

        return leaves;
    }

    private static void AddExisting(List<string> conflicts, params ReadOnlySpan<string> paths)
    {
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                conflicts.Add(path);
            }
        }
    }

    private static void Write(IssuedCertificate certificate, string pemPath, string keyPath, bool overwrite, List<string> written)
    {
        certificate.WritePem(pemPath, keyPath, overwrite);
        written.Add(pemPath);
        written.Add(keyPath);
    }

    // A directory we create holds private keys: only the owner may list or enter it.
    private static void EnsureDirectory(string directory)
    {
        if (directory.Length == 0 || Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
