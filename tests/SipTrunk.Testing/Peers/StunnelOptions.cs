using System.Globalization;
using System.Text;
using SipTrunk.Testing.Pki;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// One stunnel4 service on loopback. Both modes verify the other side's chain against
/// <see cref="CaCertificatePath"/>; TLS 1.2 is the floor, as in SipTrunk's default <c>Tls:MinProtocol</c>.
/// </summary>
public sealed record StunnelOptions
{
    /// <summary>Client (plain in, TLS out) or server (TLS in with a required client certificate, plain out).</summary>
    public required StunnelMode Mode { get; init; }

    /// <summary>The 127.0.0.1 port stunnel accepts on; 0 picks a free one (see <see cref="StunnelProcess.AcceptPort"/>).</summary>
    public int AcceptPort { get; init; }

    /// <summary>The 127.0.0.1 port stunnel connects each accepted connection to.</summary>
    public required int ConnectPort { get; init; }

    /// <summary>The certificate stunnel presents (client certificate in client mode).</summary>
    public required string CertificatePath { get; init; }

    /// <summary>The key of <see cref="CertificatePath"/>.</summary>
    public required string PrivateKeyPath { get; init; }

    /// <summary>The CA the other side's certificate must chain to.</summary>
    public required string CaCertificatePath { get; init; }

    /// <summary>
    /// Client mode: the name sent as SNI and required in the server certificate (<c>checkHost</c>). Null requires
    /// 127.0.0.1 in it instead (<c>checkIP</c>), which SipTrunk's server and the test carriers' certificates carry.
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>stunnel's log level (syslog numbering; 5 logs each connection and each verified certificate).</summary>
    public int DebugLevel { get; init; } = 5;

    /// <summary>Raw lines appended to the service section, for tests that need an odd setting.</summary>
    public IReadOnlyList<string> ExtraServiceLines { get; init; } = [];

    /// <summary>A PBX's TLS side: plain TCP in on <paramref name="acceptPort"/>, TLS out to <paramref name="connectPort"/>.</summary>
    public static StunnelOptions Client(
        int acceptPort, int connectPort, CertificateFiles certificate, string caCertificatePath, string? serverName = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new StunnelOptions
        {
            Mode = StunnelMode.Client,
            AcceptPort = acceptPort,
            ConnectPort = connectPort,
            CertificatePath = certificate.CertificatePath,
            PrivateKeyPath = certificate.PrivateKeyPath,
            CaCertificatePath = caCertificatePath,
            ServerName = serverName,
        };
    }

    /// <summary>A carrier's TLS side: TLS in on <paramref name="acceptPort"/>, plain TCP out to <paramref name="connectPort"/>.</summary>
    public static StunnelOptions Server(int acceptPort, int connectPort, CertificateFiles certificate, string caCertificatePath)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new StunnelOptions
        {
            Mode = StunnelMode.Server,
            AcceptPort = acceptPort,
            ConnectPort = connectPort,
            CertificatePath = certificate.CertificatePath,
            PrivateKeyPath = certificate.PrivateKeyPath,
            CaCertificatePath = caCertificatePath,
        };
    }

    /// <summary>The stunnel configuration file text for this service accepting on <paramref name="acceptPort"/>.</summary>
    internal string ToConfiguration(int acceptPort, string logPath)
    {
        var config = new StringBuilder();
        void Line(string text) => config.Append(text).Append('\n');

        // Foreground with no pid file: the test owns the process and kills it; nothing is left behind in /run.
        Line("foreground = yes");
        Line("pid =");
        Line(string.Create(CultureInfo.InvariantCulture, $"debug = {DebugLevel}"));
        Line($"output = {logPath}");
        Line(Mode == StunnelMode.Client ? "[peer]" : "[carrier]");
        if (Mode == StunnelMode.Client)
        {
            Line("client = yes");
        }

        Line(string.Create(CultureInfo.InvariantCulture, $"accept = 127.0.0.1:{acceptPort}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"connect = 127.0.0.1:{ConnectPort}"));
        Line($"cert = {CertificatePath}");
        Line($"key = {PrivateKeyPath}");
        Line($"CAfile = {CaCertificatePath}");
        Line("verifyChain = yes");
        Line("sslVersionMin = TLSv1.2");
        if (Mode == StunnelMode.Server)
        {
            Line("requireCert = yes");
        }
        else if (ServerName is not null)
        {
            Line($"sni = {ServerName}");
            Line($"checkHost = {ServerName}");
        }
        else
        {
            Line("checkIP = 127.0.0.1");
        }

        // SIPp does not set TCP_NODELAY; without it on both legs Nagle's algorithm adds delayed-ACK stalls (~40 ms)
        // to every small SIP message and the response times measure the kernel, not SipTrunk.
        Line("socket = l:TCP_NODELAY=1");
        Line("socket = r:TCP_NODELAY=1");
        foreach (var extra in ExtraServiceLines)
        {
            Line(extra);
        }

        return config.ToString();
    }
}
