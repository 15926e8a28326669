using System.Security.Cryptography.X509Certificates;
using SipTrunk.Core.Certificates;
using SipTrunk.Testing;

namespace SipTrunk.Core.Tests.Certificates;

public class DevPkiTests
{
    private readonly DevPki _pki = new();

    [Fact]
    public void Initialize_NewDirectory_WritesEveryFileAndCreatesDirectoryPrivate()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("certs");

        var result = _pki.Initialize(new DevPkiRequest { OutputDirectory = output, Peers = ["pbx-a"], Carriers = ["carrier-1"] });

        Assert.False(result.CaReused);
        Assert.Empty(result.SkippedFiles);
        Assert.Equal(
            ["ca.pem", "ca.key", "server.pem", "server.key", "pbx-a.pem", "pbx-a.key", "carrier-1.pem", "carrier-1.key"],
            result.WrittenFiles.Select(FileName).ToArray());
        Assert.All(result.WrittenFiles, file => Assert.True(File.Exists(file), file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(output));
        }
    }

    [Fact]
    public void Initialize_KeyFiles_AreMode0600AndPkcs8()
    {
        using var temp = new TempDirectory();

        var result = _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = ["pbx-a"] });

        foreach (var key in result.WrittenFiles.Where(f => f.EndsWith(".key", StringComparison.Ordinal)))
        {
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(key), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            }
        }

        foreach (var pem in result.WrittenFiles.Where(f => f.EndsWith(".pem", StringComparison.Ordinal)))
        {
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(pem), StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void Initialize_WrittenFiles_ChainToWrittenCa()
    {
        using var temp = new TempDirectory();
        _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = ["pbx-a"], Carriers = ["carrier-1"] });
        using var root = X509CertificateLoader.LoadCertificateFromFile(temp.Combine("ca.pem"));

        foreach (var name in new[] { "server", "pbx-a", "carrier-1" })
        {
            using var leaf = X509Certificate2.CreateFromPemFile(temp.Combine(name + ".pem"), temp.Combine(name + ".key"));
            Assert.True(leaf.HasPrivateKey);
            var (ok, status) = TestChain.Build(leaf, root);
            Assert.True(ok, $"{name}: {status}");
        }
    }

    [Fact]
    public void Initialize_SecondRunWithNewPeer_ReusesCaAndKeepsServer()
    {
        using var temp = new TempDirectory();
        _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = ["pbx-a"] });
        var caBefore = File.ReadAllBytes(temp.Combine("ca.pem"));
        var serverBefore = File.ReadAllBytes(temp.Combine("server.pem"));

        var result = _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = ["pbx-b"] });

        Assert.True(result.CaReused);
        Assert.Equal(["pbx-b.pem", "pbx-b.key"], result.WrittenFiles.Select(FileName).ToArray());
        Assert.Equal(["server.pem", "server.key"], result.SkippedFiles.Select(FileName).ToArray());
        Assert.Equal(caBefore, File.ReadAllBytes(temp.Combine("ca.pem")));
        Assert.Equal(serverBefore, File.ReadAllBytes(temp.Combine("server.pem")));
        using var root = X509CertificateLoader.LoadCertificateFromFile(temp.Combine("ca.pem"));
        using var peer = X509CertificateLoader.LoadCertificateFromFile(temp.Combine("pbx-b.pem"));
        Assert.True(TestChain.Build(peer, root).Ok);
    }

    [Fact]
    public void Initialize_ExistingPeerWithoutForce_RefusesAndWritesNothing()
    {
        using var temp = new TempDirectory();
        _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = ["pbx-a"] });
        var before = Snapshot(temp.Path);

        var ex = Assert.Throws<DevPkiException>(() =>
            _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = ["pbx-c", "pbx-a"] }));

        Assert.Equal(["pbx-a.pem", "pbx-a.key"], ex.ExistingFiles.Select(FileName).ToArray());
        Assert.Contains("pbx-a.pem", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.False(File.Exists(temp.Combine("pbx-c.pem")));
        Assert.Equal(before, Snapshot(temp.Path));
    }

    [Fact]
    public void Initialize_ServerWithoutCa_Refuses()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("server.pem"), "mine");

        var ex = Assert.Throws<DevPkiException>(() => _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path }));

        Assert.Equal([temp.Combine("server.pem")], ex.ExistingFiles);
        Assert.Equal("mine", File.ReadAllText(temp.Combine("server.pem")));
        Assert.False(File.Exists(temp.Combine("ca.pem")));
    }

    [Fact]
    public void Initialize_Force_ReplacesCaAndReissues()
    {
        using var temp = new TempDirectory();
        _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = ["pbx-a"] });
        var caBefore = File.ReadAllText(temp.Combine("ca.pem"));
        var peerBefore = File.ReadAllText(temp.Combine("pbx-a.pem"));

        var result = _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = ["pbx-a"], Force = true });

        Assert.False(result.CaReused);
        Assert.Equal(6, result.WrittenFiles.Count);
        Assert.NotEqual(caBefore, File.ReadAllText(temp.Combine("ca.pem")));
        Assert.NotEqual(peerBefore, File.ReadAllText(temp.Combine("pbx-a.pem")));
        using var root = X509CertificateLoader.LoadCertificateFromFile(temp.Combine("ca.pem"));
        using var peer = X509CertificateLoader.LoadCertificateFromFile(temp.Combine("pbx-a.pem"));
        Assert.True(TestChain.Build(peer, root).Ok);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Combine("pbx-a.key")));
        }
    }

    [Fact]
    public void Initialize_Hosts_AddedToServerCertificate()
    {
        using var temp = new TempDirectory();

        _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Hosts = ["sip.example.net", "[2001:db8::1]"] });

        using var server = X509CertificateLoader.LoadCertificateFromFile(temp.Combine("server.pem"));
        var san = TestChain.SubjectAlternativeName(server)!;
        Assert.Equal("CN=sip.example.net", server.Subject);
        Assert.Contains("sip.example.net", san.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Parse("2001:db8::1"), san.EnumerateIPAddresses());
    }

    [Theory]
    [InlineData("bad/name")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("ca")]
    [InlineData("Server")]
    [InlineData("caf\u00e9")]
    public void Initialize_UnsafePeerName_ThrowsAndWritesNothing(string name)
    {
        using var temp = new TempDirectory();

        var ex = Assert.Throws<DevPkiException>(() =>
            _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = [name] }));

        Assert.StartsWith("--peer", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Initialize_SameNameTwice_Throws()
    {
        using var temp = new TempDirectory();

        Assert.Throws<DevPkiException>(() =>
            _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Peers = ["pbx-a"], Carriers = ["PBX-A"] }));
    }

    [Fact]
    public void Initialize_BadHost_Throws()
    {
        using var temp = new TempDirectory();

        var ex = Assert.Throws<DevPkiException>(() =>
            _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path, Hosts = ["not a host"] }));

        Assert.Contains("--host", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pbx-a", true)]
    [InlineData("carrier_1.example", true)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    public void IsSafeName_Cases_Expected(string name, bool expected)
    {
        Assert.Equal(expected, DevPki.IsSafeName(name, out var reason));
        Assert.Equal(expected, reason.Length == 0);
    }

    [Fact]
    public void EnsureDevelopmentCertificates_NothingPresent_GeneratesCaServerAndPeers()
    {
        using var temp = new TempDirectory();
        var dir = temp.Combine("certs");

        var result = _pki.EnsureDevelopmentCertificates(
            Path.Combine(dir, "server.pem"), Path.Combine(dir, "server.key"), Path.Combine(dir, "ca.pem"), ["pbx-a", "not/safe"]);

        Assert.True(result.Generated);
        Assert.Equal(Path.Combine(dir, "ca.key"), result.CaPrivateKeyPath);
        Assert.Equal(
            ["ca.pem", "ca.key", "server.pem", "server.key", "pbx-a.pem", "pbx-a.key"],
            result.WrittenFiles.Select(FileName).ToArray());
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, "ca.pem"));
        using var server = X509Certificate2.CreateFromPemFile(Path.Combine(dir, "server.pem"), Path.Combine(dir, "server.key"));
        Assert.True(TestChain.Build(server, root).Ok);
    }

    [Fact]
    public void EnsureDevelopmentCertificates_AllPresent_WritesNothing()
    {
        using var temp = new TempDirectory();
        _pki.Initialize(new DevPkiRequest { OutputDirectory = temp.Path });
        var before = Snapshot(temp.Path);

        var result = _pki.EnsureDevelopmentCertificates(temp.Combine("server.pem"), temp.Combine("server.key"), temp.Combine("ca.pem"), ["pbx-a"]);

        Assert.False(result.Generated);
        Assert.Empty(result.WrittenFiles);
        Assert.Equal(before, Snapshot(temp.Path));
    }

    [Fact]
    public void EnsureDevelopmentCertificates_CaPresentServerMissing_IssuesFromExistingCa()
    {
        using var temp = new TempDirectory();
        var ca = DevCertificateAuthority.Create();
        ca.Certificate.WritePem(temp.Combine("ca.pem"), temp.Combine("ca.key"));

        var result = _pki.EnsureDevelopmentCertificates(temp.Combine("server.pem"), temp.Combine("server.key"), temp.Combine("ca.pem"));

        Assert.Equal(["server.pem", "server.key"], result.WrittenFiles.Select(FileName).ToArray());
        Assert.Equal(ca.Certificate.CertificatePem, File.ReadAllText(temp.Combine("ca.pem")));
        using var root = ca.Certificate.ToPublicX509Certificate2();
        using var server = X509CertificateLoader.LoadCertificateFromFile(temp.Combine("server.pem"));
        Assert.True(TestChain.Build(server, root).Ok);
    }

    [Fact]
    public void EnsureDevelopmentCertificates_CaWithoutKey_Throws()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("ca.pem"), DevCertificateAuthority.Create().Certificate.CertificatePem);

        Assert.Throws<DevPkiException>(() =>
            _pki.EnsureDevelopmentCertificates(temp.Combine("server.pem"), temp.Combine("server.key"), temp.Combine("ca.pem")));
        Assert.False(File.Exists(temp.Combine("server.pem")));
    }

    [Fact]
    public void EnsureDevelopmentCertificates_HalfServerPair_Throws()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("server.key"), "key");

        Assert.Throws<DevPkiException>(() =>
            _pki.EnsureDevelopmentCertificates(temp.Combine("server.pem"), temp.Combine("server.key"), temp.Combine("ca.pem")));
        Assert.Equal("key", File.ReadAllText(temp.Combine("server.key")));
    }

    [Fact]
    public void WritePem_ExistingFileWithoutOverwrite_ThrowsAndKeepsFile()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("x.key"), "old");
        var issued = DevCertificateAuthority.Create().Issue(CertificateRequestSpec.ForPeer("x"));

        Assert.ThrowsAny<IOException>(() => issued.WritePem(temp.Combine("x.pem"), temp.Combine("x.key")));
        Assert.Equal("old", File.ReadAllText(temp.Combine("x.key")));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.GetFiles(directory).ToDictionary(FileName, f => Convert.ToBase64String(File.ReadAllBytes(f)));

    private static string FileName(string path) => Path.GetFileName(path);
}
