using System.Text.Json;
using System.Text.RegularExpressions;
using SipTrunk.Cli;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing.Peers;

namespace SipTrunk.IntegrationTests.Registrar;

/// <summary>
/// Issue 4's headline: a real softphone (baresip, MD5 digest) registers over mTLS, shows up in
/// `siptrunk registrations`, and a carrier's call (SIPp behind stunnel with the carrier's certificate) to the peer's
/// number rings it down the very connection baresip opened.
/// </summary>
public sealed partial class BaresipInboundCallTests
{
    private const string Password = "baresip-peer-password-7";
    private const string Number = "+441632960123";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CarrierCall_ToARegisteredBaresip_RingsItOverTheConnectionItOpened()
    {
        await using var fixture = new ProxyFixture("carrier-1");
        var log = fixture.Directory.Combine("siptrunk.log");
        var config = fixture.NewConfig() with { LogFile = log, LogLevel = "Debug" };
        // baresip (libre) answers MD5 only and gives up on a response that also offers SHA-256, so this peer has only
        // an MD5 HA1: SipTrunk challenges each peer with the algorithms it has an HA1 for.
        var peerConfig = config.DigestPeer(ProxyFixture.Peer, Password, md5Only: true);
        peerConfig["Numbers"] = new System.Text.Json.Nodes.JsonArray("+441632960");
        config.Peers.Add(peerConfig);
        // The carrier calls in on its own TLS connection; its Uri is never dialled in this test.
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-1", FreePortForNothing()));
        config.Routes.Add(ProxyTestConfig.Route("", "carrier-1"));
        await fixture.StartSipTrunkAsync(config);
        var configPath = fixture.Directory.Combine("siptrunk.json");

        await using var baresip = await BaresipProcess.StartAsync(fixture.PeerBaresip(Password) with { RegisterInterval = 600 }, CancellationToken.None);
        await baresip.WaitForRegisteredAsync(Step);

        // The registration is in the store, as ops see it.
        var binding = await RegisteredBindingAsync(configPath, fixture, baresip);
        Assert.Equal("sip:pbx-a@localhost", binding.GetProperty("aor").GetString());
        Assert.Equal("tls", binding.GetProperty("transport").GetString());
        var registeredFrom = binding.GetProperty("source").GetString();

        // The carrier calls the peer's number: baresip rings (180 reaches SIPp), then the carrier gives up.
        await using var carrierFront = await StunnelProcess.StartClientAsync(fixture.ListenerPort, fixture.Pki.Carriers["carrier-1"], fixture.Pki.CaCertificatePath);
        await using var carrier = await SippProcess.StartAsync(SippOptions.Client(SippScenarios.UacCancel, carrierFront.AcceptPort, calls: 1, callsPerSecond: 1) with { Service = Number });
        var result = await carrier.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0 && result.Statistics.SuccessfulCalls == 1, fixture.Describe(result) + "\n" + baresip.Describe());
        await baresip.WaitForOutputAsync("Incoming call from", Step);

        // Flow reuse (RFC 5626): the INVITE went down the connection the REGISTER came on, and SipTrunk never dialled baresip.
        var text = await File.ReadAllTextAsync(log);
        var forked = ForkedOver().Match(text);
        Assert.True(forked.Success, "no fork logged\n" + fixture.Describe());
        Assert.Equal(registeredFrom, forked.Groups["remote"].Value);
        Assert.DoesNotContain("Connected to", text, StringComparison.Ordinal);
        await PeerAuthenticationTests.AssertNoSecretsAsync(log, [], config);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> RegisteredBindingAsync(string configPath, ProxyFixture fixture, BaresipProcess baresip)
    {
        var json = "";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.Equal(0, await SipTrunkCli.RunAsync(["registrations", "--format", "json", "--config", configPath], stdout, stderr));
            json = stdout.ToString();
            var bindings = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
            if (bindings.Count > 0)
            {
                Assert.Single(bindings);
                return bindings[0].Clone();
            }

            await Task.Delay(100);
        }

        Assert.Fail("baresip's registration never reached the store: " + json + "\n" + fixture.Describe() + "\n" + baresip.Describe());
        return default;
    }

    private static int FreePortForNothing() => SipTrunk.Testing.FreePort.Tcp();

    [GeneratedRegex(@"Inbound call \S+: INVITE to \S+ over flow \d+ \((?<remote>[^)]+)\)")]
    private static partial Regex ForkedOver();
}
