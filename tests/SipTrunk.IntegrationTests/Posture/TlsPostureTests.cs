using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing;
using Xunit.Abstractions;

namespace SipTrunk.IntegrationTests.Posture;

/// <summary>
/// What a scanner on the internet sees of the peer listener: Debian's <c>testssl.sh</c> (protocols, every cipher per
/// protocol, forward secrecy, the known TLS vulnerabilities) and <c>sslscan</c> against the real <c>siptrunk run</c>
/// on loopback, listener as shipped (<c>ClientCertificate: require</c>). testssl 3.0 has no client-certificate option
/// and needs none: protocol and cipher negotiation end at the server's hello, before the client's certificate is due
/// (testssl reports "certificate-based authentication"), so nothing had to be relaxed. sslscan presents the peer
/// certificate (<c>--certs</c>/<c>--pk</c>) and must agree. Both outputs are kept in <c>artifacts/tls-posture/</c>
/// beside the test assembly.
/// </summary>
public sealed class TlsPostureTests(ITestOutputHelper output)
{
    // testssl takes about 35 s for -p -E -f -U on this listener; this bounds it.
    private static readonly TimeSpan TestsslBound = TimeSpan.FromSeconds(90);

    // What testssl's -U must have judged, so that "nothing flagged" means "checked and clean".
    private static readonly string[] VulnerabilityIds =
    [
        "heartbleed", "CCS", "ROBOT", "secure_renego", "secure_client_renego", "CRIME_TLS", "POODLE_SSL", "fallback_SCSV",
        "SWEET32", "FREAK", "DROWN", "LOGJAM", "BEAST", "LUCKY13", "RC4",
    ];

    private static readonly string[] FlaggedSeverities = ["MEDIUM", "HIGH", "CRITICAL", "FATAL"];

    [Fact]
    public async Task PeerListener_ScannedByTestsslAndSslscan_OnlyTls12And13WithForwardSecretAeadAndNothingFlagged()
    {
        await using var world = new ProxyFixture("carrier-1");
        var config = world.NewConfig();
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-1", FreePort.Tcp()));
        config.Routes.Add(ProxyTestConfig.Route("", "carrier-1"));
        await world.StartSipTrunkAsync(config);
        var target = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{world.ListenerPort}");
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts", "tls-posture");
        Directory.CreateDirectory(artifacts);

        var testsslJson = Path.Combine(artifacts, "testssl.json");
        File.Delete(testsslJson);
        var testssl = await ProcessRunner.RunAsync(
            "testssl",
            ["--quiet", "--color", "0", "--warnings", "off", "-p", "-E", "-f", "-U", "--jsonfile", testsslJson, target],
            timeout: TestsslBound);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "testssl.txt"), testssl.StandardOutput + testssl.StandardError);
        var peer = world.Pki.Peers[ProxyFixture.Peer];
        var sslscanXml = Path.Combine(artifacts, "sslscan.xml");
        var sslscan = await ProcessRunner.RunAsync(
            "sslscan",
            ["--no-colour", $"--xml={sslscanXml}", $"--certs={peer.CertificatePath}", $"--pk={peer.PrivateKeyPath}", target],
            timeout: TimeSpan.FromSeconds(60));
        await File.WriteAllTextAsync(Path.Combine(artifacts, "sslscan.txt"), sslscan.StandardOutput + sslscan.StandardError);
        var context = $"artifacts: {artifacts}\n=== testssl\n{testssl.StandardOutput}\n=== sslscan\n{sslscan.StandardOutput}{world.Describe()}";
        Assert.True(File.Exists(testsslJson), context);
        Assert.True(sslscan.ExitCode == 0 && File.Exists(sslscanXml), context);

        var findings = ReadTestssl(testsslJson);
        var summary = Summarize(findings);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "summary.txt"), summary);
        output.WriteLine(summary);
        context = $"{summary}\n{context}";

        // Protocols: only TLS 1.2 and 1.3.
        foreach (var id in new[] { "SSLv2", "SSLv3", "TLS1", "TLS1_1" })
        {
            Assert.True(Finding(findings, id, context).StartsWith("not offered", StringComparison.Ordinal), $"{id} offered\n{context}");
        }

        Assert.True(Finding(findings, "TLS1_2", context).StartsWith("offered", StringComparison.Ordinal), context);
        Assert.True(Finding(findings, "TLS1_3", context).StartsWith("offered", StringComparison.Ordinal), context);

        // Ciphers: every one offered is forward-secret AEAD; testssl lists them per protocol (-E).
        var testsslCiphers = findings
            .Where(f => f.Id.StartsWith("cipher-", StringComparison.Ordinal))
            .Select(f => (Protocol: ProtocolOfCipherId(f.Id), Name: f.Finding.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]))
            .ToHashSet();
        Assert.Contains(testsslCiphers, c => c.Protocol == "TLSv1.2");
        Assert.Contains(testsslCiphers, c => c.Protocol == "TLSv1.3");
        Assert.All(testsslCiphers, c => Assert.True(IsForwardSecretAead(c.Protocol, c.Name), $"{c.Protocol} {c.Name}\n{context}"));
        Assert.Equal("offered", Finding(findings, "PFS", context));

        // Vulnerabilities: each one checked, none (nor anything else) flagged MEDIUM or worse.
        Assert.All(VulnerabilityIds, id => Finding(findings, id, context));
        Assert.DoesNotContain(findings, f => FlaggedSeverities.Contains(f.Severity));

        // sslscan agrees: the same protocols, the same cipher suites, no heartbleed, no insecure renegotiation.
        var scan = XDocument.Load(sslscanXml).Root!.Element("ssltest") ?? throw new Xunit.Sdk.XunitException(context);
        var enabled = scan.Elements("protocol").Where(p => (string?)p.Attribute("enabled") == "1")
            .Select(p => $"{(string?)p.Attribute("type")} {(string?)p.Attribute("version")}").ToList();
        Assert.Equal(["tls 1.2", "tls 1.3"], enabled.Order(StringComparer.Ordinal));
        Assert.Equal(6, scan.Elements("protocol").Count());
        var sslscanCiphers = scan.Elements("cipher")
            .Select(c => (Protocol: (string?)c.Attribute("sslversion") ?? "", Name: (string?)c.Attribute("cipher") ?? ""))
            .ToHashSet();
        Assert.True(testsslCiphers.SetEquals(sslscanCiphers), $"sslscan: {string.Join(", ", sslscanCiphers)}\n{context}");
        Assert.All(scan.Elements("heartbleed"), h => Assert.Equal("0", (string?)h.Attribute("vulnerable")));
        Assert.All(scan.Elements("renegotiation"), r => Assert.True(
            (string?)r.Attribute("supported") == "0" || (string?)r.Attribute("secure") == "1", context));
    }

    // testssl -E names its findings cipher-tls1_2_xc02c, cipher-tls1_3_x1302, cipher-ssl3_…, cipher-tls1_…
    private static string ProtocolOfCipherId(string id) => id switch
    {
        _ when id.StartsWith("cipher-tls1_3_", StringComparison.Ordinal) => "TLSv1.3",
        _ when id.StartsWith("cipher-tls1_2_", StringComparison.Ordinal) => "TLSv1.2",
        _ => id,
    };

    // TLS 1.3 suites are all AEAD with (EC)DHE key exchange (RFC 8446 §9.1, §B.4). Before 1.3: ECDHE or DHE key
    // exchange with AES-GCM or ChaCha20-Poly1305 (OpenSSL names, as both tools print them).
    private static bool IsForwardSecretAead(string protocol, string name) => protocol switch
    {
        "TLSv1.3" => name.StartsWith("TLS_", StringComparison.Ordinal),
        "TLSv1.2" => (name.StartsWith("ECDHE-", StringComparison.Ordinal) || name.StartsWith("DHE-", StringComparison.Ordinal))
            && (name.Contains("-GCM-", StringComparison.Ordinal) || name.Contains("CHACHA20-POLY1305", StringComparison.Ordinal)),
        _ => false,
    };

    private static string Finding(IReadOnlyList<TestsslFinding> findings, string id, string context) =>
        findings.FirstOrDefault(f => f.Id == id)?.Finding ?? throw new Xunit.Sdk.XunitException($"testssl reported nothing for {id}\n{context}");

    private static List<TestsslFinding> ReadTestssl(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(f => new TestsslFinding(
            f.GetProperty("id").GetString() ?? "",
            f.GetProperty("severity").GetString() ?? "",
            f.GetProperty("finding").GetString() ?? ""))];
    }

    // Every finding that is not plainly OK, by severity: what remains to read after the assertions.
    private static string Summarize(IReadOnlyList<TestsslFinding> findings)
    {
        var text = new StringBuilder("testssl findings other than OK:\n");
        foreach (var f in findings.Where(f => f.Severity != "OK").OrderBy(f => f.Severity, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {f.Severity,-8} {f.Id}: {string.Join(' ', f.Finding.Split(' ', StringSplitOptions.RemoveEmptyEntries))}\n");
        }

        return text.ToString();
    }
}
