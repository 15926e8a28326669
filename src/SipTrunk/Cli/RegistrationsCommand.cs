using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SipTrunk.Configuration;
using SipTrunk.Core.Registrar;
using SipTrunk.Hosting;

namespace SipTrunk.Cli;

/// <summary>
/// `siptrunk registrations [--format table|json]` (CONTRACT.md §2): the registrar's current bindings, read from the
/// configured store, so it works whether the proxy runs or not.
/// </summary>
internal static class RegistrationsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var format = new Option<string>("--format")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("registrations", "Lists current registrar bindings (peer, AOR, contact, expiry, connection).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(format);
        command.SetAction((parseResult, cancellationToken) => ListAsync(parseResult, config, parseResult.GetValue(format) ?? "table", cancellationToken));
        return command;
    }

    private static async Task<int> ListAsync(ParseResult parseResult, Option<string> config, string format, CancellationToken cancellationToken)
    {
        if (ConfigCommand.WriteUsageErrors(parseResult))
        {
            return SipTrunkCli.UsageError;
        }

        if (!ConfigCommand.TryLoad(parseResult, config, out var loaded))
        {
            return SipTrunkCli.UserError;
        }

        if (!loaded.IsValid)
        {
            ConfigSummary.WriteProblems(parseResult.InvocationConfiguration.Error, loaded);
            return SipTrunkCli.UserError;
        }

        var now = DateTimeOffset.UtcNow;
        IReadOnlyList<RegistrarBinding> bindings;
        try
        {
            var store = RegistrationStores.Create(loaded.Options.Storage);
            try
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                bindings = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (store is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or CliUserException))
        {
            throw new CliUserException($"Storage: cannot read registrations: {exception.Message}", exception);
        }

        var current = bindings.Where(b => b.ExpiresAt > now).OrderBy(b => b.Peer, StringComparer.Ordinal).ThenBy(b => b.Aor, StringComparer.Ordinal).ToList();
        var output = parseResult.InvocationConfiguration.Output;
        if (format == "json")
        {
            var items = current.Select(b => new
            {
                b.Peer,
                b.Aor,
                Contact = b.ContactUri,
                b.ExpiresAt,
                ExpiresInSeconds = (long)(b.ExpiresAt - now).TotalSeconds,
                b.Transport,
                Source = b.RemoteEndPoint,
                b.Path,
                b.InstanceId,
                b.RegId,
                b.Q,
                b.UserAgent,
                b.UpdatedAt,
            });
            await output.WriteLineAsync(JsonSerializer.Serialize(items, Json)).ConfigureAwait(false);
            return SipTrunkCli.Success;
        }

        WriteTable(output, current, now);
        return SipTrunkCli.Success;
    }

    private static void WriteTable(TextWriter output, List<RegistrarBinding> bindings, DateTimeOffset now)
    {
        if (bindings.Count == 0)
        {
            output.WriteLine("No current registrations.");
            return;
        }

        string[] header = ["PEER", "AOR", "CONTACT", "EXPIRES", "TRANSPORT", "SOURCE", "USER-AGENT"];
        var rows = bindings.Select(b => new[]
        {
            b.Peer,
            b.Aor,
            b.ContactUri,
            ((long)(b.ExpiresAt - now).TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            b.Transport ?? "",
            b.RemoteEndPoint ?? "",
            b.UserAgent ?? "",
        }).ToList();
        var widths = new int[header.Length];
        for (var i = 0; i < header.Length; i++)
        {
            widths[i] = Math.Max(header[i].Length, rows.Max(r => r[i].Length));
        }

        output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bindings.Count} binding(s)"));
    }
}
