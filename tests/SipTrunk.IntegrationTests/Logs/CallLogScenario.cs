using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SipTrunk.IntegrationTests.Admin;
using SipTrunk.IntegrationTests.Cli;
using SipTrunk.IntegrationTests.Media;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.IntegrationTests.Registrar;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Logs;

/// <summary>
/// One run of SipTrunk at Debug level that handles every kind of secret CONTRACT.md §6 keeps out of the log: a
/// registered baresip (MD5 digest) places an SRTP call through SipTrunk to a baresip carrier (<c>a=crypto</c> keys on
/// both legs, SipTrunk's own keys included since it re-keys), and a hand-driven peer with SHA-256 and MD5 credentials
/// registers with a wrong then the right password and places a digest-authenticated INVITE to a number with no route.
/// The admin API is called with the configured token and a wrong one. Everything SipTrunk logged goes to a text file and a compact-JSON file (the format of
/// <c>run --log-format json</c>), which the tests read after SipTrunk has stopped.
/// </summary>
public sealed partial class CallLogScenario : IAsyncLifetime
{
    public const string CallerPeer = ProxyFixture.Peer;
    public const string OtherPeer = "stranger";
    public const string UnroutedNumber = "+15550100777";
    private const string CallerPassword = "caller-Pw-7731-never-logged";
    private const string OtherPassword = "stranger-Pw-4402-never-logged";

    /// <summary>Every secret the run put on the wire or in the configuration, with a label for the failure message.</summary>
    public List<(string Label, string Value)> Secrets { get; } = [];

    /// <summary>The text log.</summary>
    public string TextLog { get; private set; } = "";

    /// <summary>The compact-JSON log, one event per line.</summary>
    public List<JsonElement> JsonLog { get; } = [];

    /// <summary>What the SipTrunk process wrote to its console (the last 64 KiB).</summary>
    public string ConsoleOutput { get; private set; } = "";

    /// <summary>The SIP Call-ID of the SRTP call placed by baresip.</summary>
    public string CallId { get; private set; } = "";

    /// <summary>The SIP Call-ID of the hand-driven peer's INVITE to <see cref="UnroutedNumber"/>.</summary>
    public string UnroutedCallId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await using var fixture = new ProxyFixture(MediaHarnessTests.Carrier);
        var textLog = fixture.Directory.Combine("siptrunk.log");
        var jsonLog = fixture.Directory.Combine("siptrunk.json.log");
        var adminToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var config = fixture.NewConfig() with { LogLevel = "Debug", LogFile = textLog, AdminToken = adminToken };
        config.Peers.Add(config.DigestPeer(CallerPeer, CallerPassword, md5Only: true));
        config.Peers.Add(config.DigestPeer(OtherPeer, OtherPassword));
        await using var carrier = await MediaHarnessTests.StartCarrierAsync(fixture.Pki, MediaHarnessTests.Carrier, MediaHarnessTests.Number, "srtp-mand");
        var carrierConfig = ProxyTestConfig.Carrier(MediaHarnessTests.Carrier, carrier.TlsPort);
        carrierConfig["Srtp"] = "require";
        config.Carriers.Add(carrierConfig);
        config.Routes.Add(ProxyTestConfig.Route("+44", MediaHarnessTests.Carrier));
        var configPath = WriteConfig(config, fixture.Directory.Combine("siptrunk.json"), jsonLog);
        Secrets.Add(("admin token", adminToken));
        Secrets.Add(("caller password", CallerPassword));
        Secrets.Add(("other peer password", OtherPassword));
        foreach (var peer in config.Peers)
        {
            foreach (var key in new[] { "Ha1Sha256", "Ha1Md5" })
            {
                if ((string?)peer["Digest"]?[key] is { } ha1)
                {
                    Secrets.Add(($"{peer["Name"]} {key}", ha1));
                }
            }
        }

        var sipTrunk = await SipTrunkProcess.StartAsync(configPath, fixture.ListenerPort);
        try
        {
            await using (var caller = await BaresipProcess.StartAsync(
                fixture.PeerBaresip(CallerPassword) with { MediaEncryption = "srtp-mand", SipTrace = true }, CancellationToken.None))
            {
                await caller.WaitForRegisteredAsync(MediaHarnessTests.Step);
                var (callerMedia, calleeMedia, packets) = await MediaHarnessTests.RunCallAsync(caller, carrier.Baresip, $"sip:{MediaHarnessTests.Number}@localhost");
                MediaHarnessTests.AssertEncrypted(callerMedia, calleeMedia, packets);
                CallId = caller.SipTrace.First(m => m.Sent && m.Method == "INVITE").CallId!;
                AddWireSecrets("baresip caller", caller);
                AddWireSecrets("baresip carrier", carrier.Baresip);
            }

            await RunOtherPeerAsync(fixture);
            await CallAdminApiAsync(sipTrunk, adminToken);
        }
        finally
        {
            // SIGTERM: the host stops and disposes the logger, which flushes both files.
            await sipTrunk.StopAsync();
            ConsoleOutput = sipTrunk.Output;
            await sipTrunk.DisposeAsync();
        }

        TextLog = await File.ReadAllTextAsync(textLog);
        foreach (var line in await File.ReadAllLinesAsync(jsonLog))
        {
            JsonLog.Add(JsonDocument.Parse(line).RootElement.Clone());
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The CallId/Peer/Carrier/EventId properties of a JSON log event (null when absent).</summary>
    public static (string? CallId, string? Peer, string? Carrier, int EventId) Properties(JsonElement logEvent) => (
        logEvent.TryGetProperty(nameof(CallId), out var callId) ? callId.GetString() : null,
        logEvent.TryGetProperty("Peer", out var peer) ? peer.GetString() : null,
        logEvent.TryGetProperty("Carrier", out var carrier) ? carrier.GetString() : null,
        logEvent.TryGetProperty("EventId", out var eventId) && eventId.TryGetProperty("Id", out var id) ? id.GetInt32() : 0);

    // The ProxyTestConfig file plus a compact-JSON file sink.
    private static string WriteConfig(ProxyTestConfig config, string path, string jsonLog)
    {
        config.Write(path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["Serilog"]!["WriteTo"]!.AsArray().Add(new JsonObject
        {
            ["Name"] = "File",
            ["Args"] = new JsonObject
            {
                ["path"] = jsonLog,
                ["formatter"] = "Serilog.Formatting.Compact.RenderedCompactJsonFormatter, Serilog.Formatting.Compact",
            },
        });
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    // Digest responses baresip sent and every SDES key either side saw (its own and SipTrunk's).
    private void AddWireSecrets(string label, BaresipProcess baresip)
    {
        foreach (var message in baresip.SipTrace.Where(m => m.Sent))
        {
            foreach (Match match in DigestResponse().Matches(message.Text))
            {
                Secrets.Add(($"{label} digest response", match.Groups[1].Value));
            }
        }

        foreach (var sdp in baresip.SentSdp.Concat(baresip.ReceivedSdp))
        {
            foreach (Match match in InlineKey().Matches(sdp))
            {
                Secrets.Add(($"{label} a=crypto key", match.Groups[1].Value));
            }
        }
    }

    // The admin API with the token, and with a wrong one (an Authorization header is no more loggable for being wrong).
    private async Task CallAdminApiAsync(SipTrunkProcess sipTrunk, string adminToken)
    {
        using var http = AdminEndpoint.Client(await AdminEndpoint.WaitForUrlAsync(sipTrunk, MediaHarnessTests.Step));
        var wrongToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        Secrets.Add(("wrong admin token", wrongToken));
        foreach (var (token, expected) in new[] { (adminToken, HttpStatusCode.OK), (wrongToken, HttpStatusCode.Unauthorized) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/calls");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
        }
    }

    // A wrong then the right REGISTER password, then an INVITE with SHA-256 credentials to a number no route serves.
    private async Task RunOtherPeerAsync(ProxyFixture fixture)
    {
        await using var peer = await SipTestPeer.ConnectAsync(fixture.ListenerPort, fixture.Pki.Peers[OtherPeer], fixture.Pki.CaCertificatePath, OtherPeer);
        var challenge = await peer.RegisterAsync();
        Assert.Equal(401, challenge?.StatusCode);
        Assert.Equal(401, (await peer.RegisterAsync(peer.Answer(challenge!, "REGISTER", "sip:localhost", OtherPeer, "wrong-" + OtherPassword)))?.StatusCode);
        Assert.Equal(200, (await peer.RegisterWithPasswordAsync(OtherPassword))?.StatusCode);

        UnroutedCallId = Guid.NewGuid().ToString("N") + "@stranger";
        var refused = await SipTestInvite.SendAsync(peer, UnroutedNumber, UnroutedCallId, OtherPassword);
        Assert.Equal(404, refused?.StatusCode);
        Assert.Contains(peer.SentCredentials, c => c.Contains("algorithm=SHA-256", StringComparison.Ordinal));
        foreach (var sent in peer.SentCredentials)
        {
            Secrets.Add(("hand-driven peer digest response", DigestResponse().Match(sent).Groups[1].Value));
        }
    }

    [GeneratedRegex("response=\"?([0-9a-fA-F]{32,})")]
    private static partial Regex DigestResponse();

    [GeneratedRegex("inline:([A-Za-z0-9+/]{20,}={0,2})")]
    private static partial Regex InlineKey();
}
