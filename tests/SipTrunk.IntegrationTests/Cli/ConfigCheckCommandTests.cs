using System.Text.Json.Nodes;
using SipTrunk.Testing;

namespace SipTrunk.IntegrationTests.Cli;

public sealed class ConfigCheckCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ConfigCheck_ShippedConfig_ExitsZeroWithSummary()
    {
        var config = ConfigTestFiles.CopyShippedConfig(_directory);

        var result = await RunAsync("config", "check", "--config", config);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains($"Configuration OK: {config}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Domain: trunk.example.net", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("peers tls 0.0.0.0:5061 client-cert require", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("carriers-udp udp 0.0.0.0:5060 (disabled)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("pbx-a  subject pbx-a  digest no  numbers +441632960", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("carrier-1  sips:127.0.0.1:5081  priority 1 weight 100  srtp require", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("+44 -> carrier-1", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(default) -> carrier-1", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("development certificates", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public async Task ConfigCheck_RepositoryConfigInPlace_ExitsZero()
    {
        var config = Path.Combine(ConfigTestFiles.RepositoryRoot(), "config", "siptrunk.json");

        var result = await RunAsync("config", "check", "--config", config);

        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    [Fact]
    public async Task ConfigCheck_BrokenConfig_ListsEveryProblemWithKey()
    {
        var config = ConfigTestFiles.CopyShippedConfig(_directory, c =>
        {
            c["Carriers"]![0]!["Uri"] = "http://carrier.example";
            c["Listeners"]![0]!["Port"] = 70000;
            c["Peers"]![0]!["Digset"] = new JsonObject { ["Username"] = "x" };
            c["Routes"]![0]!["Carriers"] = new JsonArray("carrier-9");
        });

        var result = await RunAsync("config", "check", "--config", config);

        Assert.Equal(1, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("Carriers[0].Uri: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Listeners[0].Port: ", StringComparison.Ordinal));
        Assert.Contains("Peers[0].Digset: unknown key", lines);
        Assert.Contains(lines, l => l.StartsWith("Routes[0].Carriers[0]: unknown carrier 'carrier-9'", StringComparison.Ordinal));
        Assert.Equal($"4 problems in {config}", lines[^1]);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task ConfigCheck_CommandLineOverride_AppliedToSummary()
    {
        var config = ConfigTestFiles.CopyShippedConfig(_directory);

        var result = await RunAsync("config", "check", "--config", config, "--SipTrunk:Domain=cli.example.net");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("Domain: cli.example.net", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_InvalidOverride_ExitsOneWithKey()
    {
        var config = ConfigTestFiles.CopyShippedConfig(_directory);

        var result = await RunAsync("config", "check", "--config", config, "--SipTrunk:Tls:MinProtocol=Ssl3");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Tls.MinProtocol: 'Ssl3' is not one of tls12, tls13", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_InvalidJson_ExitsOneWithPosition()
    {
        var config = _directory.Combine("broken.json");
        await File.WriteAllTextAsync(config, "{\n  \"SipTrunk\": { \"Domain\": }\n}");

        var result = await RunAsync("config", "check", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{config}: invalid JSON at line 2", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_MissingFile_ExitsOneWithOneLine()
    {
        var config = _directory.Combine("absent.json");

        var result = await RunAsync("config", "check", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"config: file not found: {config}", result.StandardError.TrimEnd());
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("extra-argument")]
    [InlineData("--SipTrunk:Domain")]
    public async Task ConfigCheck_BadArgument_ExitsTwo(string argument)
    {
        var config = ConfigTestFiles.CopyShippedConfig(_directory);

        var result = await RunAsync("config", "check", "--config", config, argument);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(argument, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_Help_ExitsZero()
    {
        var result = await RunAsync("config", "check", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--config", result.StandardOutput, StringComparison.Ordinal);
    }

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunSipTrunkAsync(arguments, workingDirectory: _directory.Path, timeout: TimeSpan.FromSeconds(60));
}
