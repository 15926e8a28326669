using System.Text.Json;
using SipTrunk.Cli;
using SipTrunk.IntegrationTests.Proxy;

namespace SipTrunk.IntegrationTests.Registrar;

/// <summary>Registrations live in the store: `siptrunk registrations` shows them while running, stopped, and after a restart.</summary>
public sealed class RegistrarPersistenceTests
{
    private const string Password = "registrar persistence password";

    [Fact]
    public async Task Registrations_SurviveARestart_AndTheCliReadsThemFromTheStore()
    {
        await using var fixture = new ProxyFixture();
        var config = fixture.NewConfig();
        config.Peers.Add(config.DigestPeer(ProxyFixture.Peer, Password));
        var siptrunk = await fixture.StartSipTrunkAsync(config);
        var configPath = fixture.Directory.Combine("siptrunk.json");

        await using (var peer = await PeerAuthenticationTests.ConnectAsync(fixture))
        {
            var response = await peer.RegisterWithPasswordAsync(Password);
            Assert.Equal(200, response?.StatusCode);
            Assert.Contains(SipTestPeer.Values(response!, Sip.Messages.HeaderId.Contact), c => c.Contains("sip:pbx-a@127.0.0.1:5099", StringComparison.Ordinal));
        }

        // Written behind: give the store a moment, then read it as ops would, while the proxy runs.
        await AssertRegisteredEventuallyAsync(configPath, fixture);

        Assert.Equal(0, await siptrunk.StopAsync());
        await AssertRegisteredEventuallyAsync(configPath, fixture);
        var table = await RunCliAsync("registrations", "--config", configPath);
        Assert.Contains("pbx-a", table, StringComparison.Ordinal);
        Assert.Contains("sip:pbx-a@127.0.0.1:5099;transport=tls", table, StringComparison.Ordinal);

        var restarted = await fixture.StartSipTrunkAsync(config);
        Assert.True(await restarted.WaitForOutputAsync("1 binding(s) restored", TimeSpan.FromSeconds(10)), fixture.Describe());
        await AssertRegisteredEventuallyAsync(configPath, fixture);
    }

    internal static async Task AssertRegisteredEventuallyAsync(string configPath, ProxyFixture fixture)
    {
        string json = "";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            json = await RunCliAsync("registrations", "--format", "json", "--config", configPath);
            using var document = JsonDocument.Parse(json);
            var bindings = document.RootElement.EnumerateArray().ToList();
            if (bindings.Count == 1)
            {
                var binding = bindings[0];
                Assert.Equal("pbx-a", binding.GetProperty("peer").GetString());
                Assert.Equal("sip:pbx-a@localhost", binding.GetProperty("aor").GetString());
                Assert.Equal("sip:pbx-a@127.0.0.1:5099;transport=tls", binding.GetProperty("contact").GetString());
                Assert.InRange(binding.GetProperty("expiresInSeconds").GetInt64(), 1, 600);
                Assert.Equal("tls", binding.GetProperty("transport").GetString());
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("no registration in the store: " + json + "\n" + fixture.Describe());
    }

    private static async Task<string> RunCliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await SipTrunkCli.RunAsync(args, stdout, stderr);
        Assert.True(exit == 0, $"siptrunk {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout.ToString();
    }
}
