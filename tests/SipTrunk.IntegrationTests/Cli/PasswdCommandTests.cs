using System.Security.Cryptography;
using System.Text;
using SipTrunk.Testing;

namespace SipTrunk.IntegrationTests.Cli;

public class PasswdCommandTests
{
    [Fact]
    public async Task Passwd_PasswordOnStdin_PrintsHa1ValuesAndNotThePassword()
    {
        var result = await ProcessRunner.RunSipTrunkAsync(
            ["passwd", "--user", "pbx-a", "--realm", "trunk.example.net"], standardInput: "secret\n");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var input = Encoding.UTF8.GetBytes("pbx-a:trunk.example.net:secret");
#pragma warning disable CA5351 // HA1 for MD5 digest is MD5 by definition (RFC 2617 §3.2.2.2)
        var md5 = Convert.ToHexStringLower(MD5.HashData(input));
#pragma warning restore CA5351
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(input));
        Assert.Equal(
            $"\"Username\": \"pbx-a\",\n\"Ha1Sha256\": \"{sha256}\",\n\"Ha1Md5\": \"{md5}\"\n",
            result.StandardOutput.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.DoesNotContain("secret", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passwd_CrLfLineEnding_IsStripped()
    {
        var result = await ProcessRunner.RunSipTrunkAsync(
            ["passwd", "--user", "pbx-a", "--realm", "trunk.example.net"], standardInput: "secret\r\n");

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("pbx-a:trunk.example.net:secret")));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"\"Ha1Sha256\": \"{sha256}\"", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public async Task Passwd_EmptyPassword_ExitsOne(string stdin)
    {
        var result = await ProcessRunner.RunSipTrunkAsync(
            ["passwd", "--user", "pbx-a", "--realm", "trunk.example.net"], standardInput: stdin);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("empty password", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public async Task Passwd_MissingRealm_ExitsTwo()
    {
        var result = await ProcessRunner.RunSipTrunkAsync(["passwd", "--user", "pbx-a"], standardInput: "secret\n");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--realm", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passwd_Help_ExitsZero()
    {
        var result = await ProcessRunner.RunSipTrunkAsync(["passwd", "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--realm", result.StandardOutput, StringComparison.Ordinal);
    }
}
