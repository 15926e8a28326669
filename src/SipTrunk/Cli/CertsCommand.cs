using System.CommandLine;
using SipTrunk.Core.Certificates;

namespace SipTrunk.Cli;

/// <summary>`siptrunk certs` (CONTRACT.md §2).</summary>
internal static class CertsCommand
{
    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var command = new Command("certs", "Development certificates (a private CA for tests and evaluation).");
        command.Subcommands.Add(BuildInit());
        return command;
    }

    private static Command BuildInit()
    {
        var output = new Option<string>("--out")
        {
            Description = "Output directory (created with mode 0700 if missing).",
            DefaultValueFactory = _ => "certs",
            HelpName = "DIR",
        };
        var peers = new Option<string[]>("--peer")
        {
            Description = "Issue a client certificate NAME.pem/NAME.key for a PBX (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "NAME",
        };
        var carriers = new Option<string[]>("--carrier")
        {
            Description = "Issue a server+client certificate NAME.pem/NAME.key for a test carrier on loopback (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "NAME",
        };
        var hosts = new Option<string[]>("--host")
        {
            Description = "Add a DNS name or IP address to server.pem beyond localhost, 127.0.0.1 and ::1; the first is the CN (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "H",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Start over: a new CA, and every requested file re-issued and overwritten.",
        };

        var command = new Command(
            "init",
            "Write a development PKI (PEM): ca.pem/ca.key, server.pem/server.key and NAME.pem/NAME.key. Keys are PKCS#8, " +
            "mode 0600. Never overwrites without --force: if ca.pem and ca.key exist they sign the new certificates " +
            "(so '--peer pbx-b' can be added later), an existing server.pem/server.key is then kept as it is, and any " +
            "other existing file makes it refuse without writing anything. With --force, peers not named again keep " +
            "their old files, which no longer chain to the new CA.");
        command.Options.Add(output);
        command.Options.Add(peers);
        command.Options.Add(carriers);
        command.Options.Add(hosts);
        command.Options.Add(force);
        command.SetAction(parseResult =>
        {
            var request = new DevPkiRequest
            {
                OutputDirectory = parseResult.GetValue(output) ?? "certs",
                Peers = parseResult.GetValue(peers) ?? [],
                Carriers = parseResult.GetValue(carriers) ?? [],
                Hosts = parseResult.GetValue(hosts) ?? [],
                Force = parseResult.GetValue(force),
            };
            DevPkiResult result;
            try
            {
                result = new DevPki().Initialize(request);
            }
            catch (DevPkiException ex)
            {
                throw new CliUserException(ex.Message, ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUserException($"cannot write the certificates: {ex.Message}", ex);
            }

            var stdout = parseResult.InvocationConfiguration.Output;
            var caPem = Path.Combine(result.OutputDirectory, DevPki.CaCertificateFileName);
            if (result.CaReused)
            {
                stdout.WriteLine($"reused CA {caPem}");
            }

            foreach (var file in result.WrittenFiles)
            {
                stdout.WriteLine($"wrote {file}");
            }

            foreach (var file in result.SkippedFiles)
            {
                stdout.WriteLine($"kept {file} (exists; use --force to re-issue it)");
            }

            stdout.WriteLine(
                $"Trust the CA: list {caPem} in Tls:TrustedCaCertificates and install it as a trusted CA on each PBX " +
                "(Debian/Ubuntu system-wide: copy it to /usr/local/share/ca-certificates/siptrunk-dev.crt and run update-ca-certificates).");
            return SipTrunkCli.Success;
        });
        return command;
    }
}
