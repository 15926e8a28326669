using System.Text.Json.Nodes;
using SipTrunk.Sip.Auth;

namespace SipTrunk.IntegrationTests.Proxy;

/// <summary>
/// A SipTrunk configuration for one test: one mTLS listener on a free loopback port, the test PKI, the given peers,
/// carriers and routes, health checks off unless a carrier asks for them.
/// </summary>
internal sealed record ProxyTestConfig
{
    public required int ListenerPort { get; init; }

    public required string CaPath { get; init; }

    public required string ServerCertificatePath { get; init; }

    public required string ServerKeyPath { get; init; }

    public required string DataDirectory { get; init; }

    public List<JsonObject> Peers { get; } = [];

    public List<JsonObject> Carriers { get; } = [];

    public List<JsonObject> Routes { get; } = [];

    public int InviteTimeoutSeconds { get; init; } = 32;

    public int HandshakeTimeoutSeconds { get; init; } = 5;

    /// <summary>The digest realm (also the Domain's default realm in production).</summary>
    public string Realm { get; init; } = "trunk.test";

    public int NonceLifetimeSeconds { get; init; } = 300;

    public int AuthFailuresBeforeBan { get; init; } = 10;

    public int BanSeconds { get; init; } = 600;

    /// <summary>When set, a second listener: plain UDP on this loopback port (CONTRACT.md §3 <c>carriers-udp</c>).</summary>
    public int? UdpListenerPort { get; init; }

    /// <summary>When set, the whole log is also written to this file (for tests that scan every line).</summary>
    public string? LogFile { get; init; }

    public string LogLevel { get; init; } = "Information";

    /// <summary><c>Storage:Provider</c>.</summary>
    public string StorageProvider { get; init; } = "sqlite";

    /// <summary><c>Storage:ConnectionString</c>; null: a SQLite file in <see cref="DataDirectory"/>.</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary><c>Media:SrtpMode</c>.</summary>
    public string SrtpMode { get; init; } = "rekey";

    /// <summary><c>Media:InactivityTimeoutSeconds</c>.</summary>
    public int InactivityTimeoutSeconds { get; init; } = 60;

    /// <summary>The relay's port range: a block of its own per instance (the pool skips ports another test holds).</summary>
    public int MediaPortMin { get; init; } = 30000 + (Random.Shared.Next(0, 150) * 200);

    /// <summary>A peer that must also pass digest authentication with <paramref name="password"/> (HA1s of both algorithms).</summary>
    public JsonObject DigestPeer(string name, string password, string? username = null, bool md5Only = false)
    {
        var peer = Peer(name);
        var user = username ?? name;
        peer["Register"] = true;
        peer["Digest"] = new JsonObject
        {
            ["Username"] = user,
            ["Ha1Sha256"] = md5Only ? null : DigestMath.ComputeHa1(DigestAlgorithm.Sha256, user, Realm, password),
            ["Ha1Md5"] = DigestMath.ComputeHa1(DigestAlgorithm.Md5, user, Realm, password),
        };
        return peer;
    }

    public static JsonObject Peer(string name) => new()
    {
        ["Name"] = name,
        ["Certificate"] = new JsonObject { ["Subject"] = name },
        ["AllowedNetworks"] = new JsonArray("127.0.0.0/8"),
        ["Numbers"] = new JsonArray(),
        ["Register"] = false,
        // SIPp and plain baresip speak RTP; media tests that need SRTP from a peer set "require".
        ["Srtp"] = "optional",
        // Load tests run far above the production defaults (10 calls/s, 50 at once); limit tests set their own.
        ["MaxCallsPerSecond"] = 10_000,
        ["MaxConcurrentCalls"] = 10_000,
    };

    public static JsonObject Carrier(string name, int tlsPort, int priority = 1, int healthIntervalSeconds = 0) => new()
    {
        ["Name"] = name,
        ["Uri"] = $"sips:127.0.0.1:{tlsPort}",
        ["TlsServerName"] = name,
        ["Priority"] = priority,
        ["Weight"] = 100,
        ["Srtp"] = "optional",
        ["HealthCheck"] = new JsonObject { ["OptionsIntervalSeconds"] = healthIntervalSeconds, ["FailuresBeforeDown"] = 1 },
    };

    public static JsonObject Route(string prefix, params string[] carriers) => new()
    {
        ["Prefix"] = prefix,
        [nameof(Carriers)] = new JsonArray([.. carriers.Select(c => JsonValue.Create(c))]),
    };

    public string Write(string path)
    {
        var root = new JsonObject
        {
            ["SipTrunk"] = new JsonObject
            {
                ["Domain"] = "localhost",
                ["Listeners"] = new JsonArray(new JsonObject
                {
                    ["Name"] = "peers",
                    ["Transport"] = "tls",
                    ["Address"] = "127.0.0.1",
                    ["Port"] = ListenerPort,
                    ["ClientCertificate"] = "require",
                }),
                ["Tls"] = new JsonObject
                {
                    ["Certificate"] = ServerCertificatePath,
                    ["PrivateKey"] = ServerKeyPath,
                    ["TrustedCaCertificates"] = new JsonArray(CaPath),
                    [nameof(HandshakeTimeoutSeconds)] = HandshakeTimeoutSeconds,
                    ["AutoGenerateDevCertificates"] = false,
                },
                [nameof(Peers)] = new JsonArray([.. Peers.Select(p => p.DeepClone())]),
                [nameof(Carriers)] = new JsonArray([.. Carriers.Select(c => c.DeepClone())]),
                [nameof(Routes)] = new JsonArray([.. Routes.Select(r => r.DeepClone())]),
                ["Routing"] = new JsonObject { [nameof(InviteTimeoutSeconds)] = InviteTimeoutSeconds },
                ["Digest"] = new JsonObject { [nameof(Realm)] = Realm, ["Algorithms"] = new JsonArray("SHA-256", "MD5"), [nameof(NonceLifetimeSeconds)] = NonceLifetimeSeconds },
                ["Media"] = new JsonObject
                {
                    ["Address"] = "127.0.0.1",
                    ["PortRange"] = new JsonObject { ["Min"] = MediaPortMin, ["Max"] = MediaPortMin + 199 },
                    [nameof(SrtpMode)] = SrtpMode,
                    [nameof(InactivityTimeoutSeconds)] = InactivityTimeoutSeconds,
                },
                ["Limits"] = new JsonObject { [nameof(AuthFailuresBeforeBan)] = AuthFailuresBeforeBan, [nameof(BanSeconds)] = BanSeconds },
                ["Storage"] = new JsonObject
                {
                    ["Provider"] = StorageProvider,
                    ["ConnectionString"] = StorageConnectionString ?? $"Data Source={Path.Combine(DataDirectory, "siptrunk.db")}",
                    ["SpoolDirectory"] = DataDirectory,
                },
                ["Admin"] = new JsonObject { ["Urls"] = "http://127.0.0.1:0" },
            },
            ["Serilog"] = new JsonObject
            {
                ["MinimumLevel"] = new JsonObject { ["Default"] = LogLevel, ["Override"] = new JsonObject { ["Microsoft"] = "Warning" } },
            },
        };
        if (LogFile is not null)
        {
            root["Serilog"]!["WriteTo"] = new JsonArray(
                new JsonObject { ["Name"] = "Console" },
                new JsonObject { ["Name"] = "File", ["Args"] = new JsonObject { ["path"] = LogFile } });
        }

        if (UdpListenerPort is { } udpPort)
        {
            root["SipTrunk"]!["Listeners"]!.AsArray().Add(new JsonObject
            {
                ["Name"] = "carriers-udp",
                ["Transport"] = "udp",
                ["Address"] = "127.0.0.1",
                ["Port"] = udpPort,
            });
        }

        File.WriteAllText(path, root.ToJsonString());
        return path;
    }
}
