using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;
using SipTrunk.IntegrationTests.Admin;

namespace SipTrunk.IntegrationTests.Reload;

/// <summary>
/// A <see cref="ProxyFixture"/> whose SipTrunk serves its certificate from files a test may replace (a copy of the
/// test PKI's server certificate in <c>live/</c>) and whose configuration file a test may edit, then reload.
/// </summary>
internal sealed class ReloadWorld : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private JsonObject _json = null!;

    private ReloadWorld(ProxyFixture fixture) => Fixture = fixture;

    public ProxyFixture Fixture { get; }

    public TestPki Pki => Fixture.Pki;

    public SipTrunkProcess SipTrunk { get; private set; } = null!;

    public string ConfigPath { get; private set; } = "";

    /// <summary>The certificate files SipTrunk serves (a copy of the test PKI's server certificate at start).</summary>
    public CertificateFiles Live { get; private set; } = null!;

    /// <summary>The CRL file SipTrunk is configured with (see <see cref="StartAsync"/>).</summary>
    public string RevocationListPath { get; private set; } = "";

    public JsonObject Settings => _json[nameof(SipTrunk)]!.AsObject();

    /// <summary>A world with one carrier (SIPp UAS), peer pbx-a and, unless <paramref name="withDefaultRoute"/> is false, a default route.</summary>
    /// <param name="withRevocationList">Configure <see cref="RevocationListPath"/>, an empty CRL of the test CA at start.</param>
    public static async Task<ReloadWorld> StartAsync(bool withDefaultRoute = true, Action<JsonObject>? tweak = null, bool withRevocationList = false)
    {
        var world = new ReloadWorld(new ProxyFixture("carrier-1"));
        try
        {
            var fixture = world.Fixture;
            var carrier = await fixture.StartCarrierAsync("carrier-1", SippScenarios.Uas);
            var live = fixture.Directory.Combine("live");
            Directory.CreateDirectory(live);
            world.Live = new CertificateFiles("localhost", Path.Combine(live, "server.pem"), Path.Combine(live, "server.key"));
            File.Copy(world.Pki.Server.CertificatePath, world.Live.CertificatePath);
            File.Copy(world.Pki.Server.PrivateKeyPath, world.Live.PrivateKeyPath);

            var config = fixture.NewConfig() with { ServerCertificatePath = world.Live.CertificatePath, ServerKeyPath = world.Live.PrivateKeyPath };
            config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
            config.Carriers.Add(ProxyTestConfig.Carrier("carrier-1", carrier.TlsPort));
            config.Routes.Add(withDefaultRoute ? ProxyTestConfig.Route("", "carrier-1") : ProxyTestConfig.Route("+33", "carrier-1"));
            world.ConfigPath = config.Write(fixture.Directory.Combine("siptrunk.json"));
            world._json = JsonNode.Parse(File.ReadAllText(world.ConfigPath))!.AsObject();
            if (withRevocationList)
            {
                world.RevocationListPath = Path.Combine(live, "ca.crl");
                File.Copy(world.Pki.WriteRevocationList("empty.crl", []), world.RevocationListPath);
                world.Settings["Tls"]!["CertificateRevocationLists"] = new JsonArray(world.RevocationListPath);
            }

            tweak?.Invoke(world.Settings);
            world.WriteConfig();

            world.SipTrunk = await SipTrunkProcess.StartAsync(world.ConfigPath, fixture.ListenerPort);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>Edits the configuration and writes it the way editors and deploy tools do: a new file renamed over the old.</summary>
    public void EditConfig(Action<JsonObject> edit)
    {
        edit(Settings);
        WriteConfig();
    }

    /// <summary>Replaces the served certificate and key with <paramref name="files"/>, key first, each by rename.</summary>
    public void ReplaceCertificate(CertificateFiles files)
    {
        ReplaceFile(Live.PrivateKeyPath, File.ReadAllBytes(files.PrivateKeyPath));
        ReplaceFile(Live.CertificatePath, File.ReadAllBytes(files.CertificatePath));
    }

    public static void ReplaceFile(string path, byte[] content)
    {
        var staging = path + ".new";
        File.WriteAllBytes(staging, content);
        File.Move(staging, path, overwrite: true);
    }

    /// <summary>Sends SIGHUP to SipTrunk.</summary>
    public async Task SighupAsync()
    {
        var result = await ProcessRunner.RunAsync("kill", ["-HUP", SipTrunk.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: Bound);
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    /// <summary>Waits for a log line containing <paramref name="text"/>, failing with the log when it does not come.</summary>
    public async Task ExpectLogAsync(string text) =>
        Assert.True(await SipTrunk.WaitForOutputAsync(text, Bound), $"no log line with '{text}'\n{Describe()}");

    /// <summary>A fresh TLS handshake as pbx-a; returns the SHA-256 (hex) of the certificate SipTrunk presented.</summary>
    public async Task<string> PresentedFingerprintAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Fixture.ListenerPort);
        await using var tls = new SslStream(tcp.GetStream());
        var peer = Pki.Peers[ProxyFixture.Peer];
        using var pem = X509Certificate2.CreateFromPemFile(peer.CertificatePath, peer.PrivateKeyPath);
        using var client = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        string? presented = null;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [client],
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
                return certificate is not null;
            },
        });
        return presented ?? throw new InvalidOperationException("no server certificate");
    }

    public static string Fingerprint(CertificateFiles files)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(files.CertificatePath));
        return Convert.ToHexString(SHA256.HashData(certificate.RawData));
    }

    /// <summary>Prometheus text from SipTrunk's admin server (its port is read from the start-up log).</summary>
    public async Task<string> MetricsAsync()
    {
        using var http = AdminEndpoint.Client(await AdminEndpoint.WaitForUrlAsync(SipTrunk, Bound));
        http.Timeout = Bound;
        return await http.GetStringAsync("metrics");
    }

    public string Describe(SippResult? result = null) =>
        (result?.Describe() ?? "") + "\n=== siptrunk\n" + (SipTrunk?.Output ?? "(not started)");

    public async ValueTask DisposeAsync()
    {
        if (SipTrunk is not null)
        {
            await SipTrunk.DisposeAsync();
        }

        await Fixture.DisposeAsync();
    }

    private void WriteConfig() => ReplaceFile(ConfigPath, System.Text.Encoding.UTF8.GetBytes(_json.ToJsonString()));
}
