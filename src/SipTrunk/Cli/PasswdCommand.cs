using System.CommandLine;
using System.Text;
using System.Text.Json;
using SipTrunk.Sip.Auth;

namespace SipTrunk.Cli;

/// <summary>`siptrunk passwd` (CONTRACT.md §2): HA1 values for a peer's <c>Digest</c> section.</summary>
internal static class PasswdCommand
{
    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var user = new Option<string>("--user")
        {
            Description = "The digest username (usually the peer's name).",
            Required = true,
            HelpName = "U",
        };
        var realm = new Option<string>("--realm")
        {
            Description = "The digest realm: the configuration's Digest:Realm.",
            Required = true,
            HelpName = "R",
        };
        var command = new Command(
            "passwd",
            "Read a password from stdin (one line; prompted without echo on a terminal) and print the Username, " +
            "Ha1Sha256 and Ha1Md5 lines to paste into a peer's Digest section. The password itself is never printed.");
        command.Options.Add(user);
        command.Options.Add(realm);
        command.SetAction(parseResult =>
        {
            var username = parseResult.GetValue(user) ?? string.Empty;
            var realmValue = parseResult.GetValue(realm) ?? string.Empty;
            if (username.Length == 0)
            {
                throw new CliUserException("--user must not be empty");
            }

            if (realmValue.Length == 0)
            {
                throw new CliUserException("--realm must not be empty");
            }

            var password = ReadPassword(parseResult.InvocationConfiguration.Error);
            if (string.IsNullOrEmpty(password))
            {
                throw new CliUserException("empty password: nothing to hash");
            }

            var ha1Sha256 = DigestMath.ComputeHa1(DigestAlgorithm.Sha256, username, realmValue, password);
            var ha1Md5 = DigestMath.ComputeHa1(DigestAlgorithm.Md5, username, realmValue, password);
            var stdout = parseResult.InvocationConfiguration.Output;
            stdout.WriteLine($"\"Username\": \"{JsonEncodedText.Encode(username)}\",");
            stdout.WriteLine($"\"Ha1Sha256\": \"{ha1Sha256}\",");
            stdout.WriteLine($"\"Ha1Md5\": \"{ha1Md5}\"");
            return SipTrunkCli.Success;
        });
        return command;
    }

    // One line from stdin without its line ending. On a terminal: prompt on stderr and read keys without echo.
    private static string? ReadPassword(TextWriter stderr)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine()?.TrimEnd('\r', '\n');
        }

        stderr.Write("Password: ");
        stderr.Flush();
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        stderr.WriteLine();
        return password.ToString();
    }
}
