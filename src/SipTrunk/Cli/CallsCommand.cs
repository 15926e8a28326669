using System.CommandLine;
using System.CommandLine.Parsing;
using SipTrunk.Configuration;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Proxy;
using SipTrunk.Hosting;

namespace SipTrunk.Cli;

/// <summary>
/// `siptrunk calls [filters] [--format table|json|csv]` and `siptrunk calls show ID [--format text|json]`
/// (CONTRACT.md §2): call records read from the configured store, so they work whether the proxy runs or not.
/// </summary>
internal static class CallsCommand
{
    /// <summary>What one store query asks for at most (<see cref="CallRecordQuery.Limit"/>); larger limits page.</summary>
    private const int PageSize = 1000;

    private static readonly string[] Statuses =
        [CallStatus.Answered, CallStatus.Busy, CallStatus.NoAnswer, CallStatus.Cancelled, CallStatus.Failed, CallStatus.Rejected];

    /// <param name="config">The root's <c>--config</c> option.</param>
    /// <param name="openStore">Opens the call-record store of a configuration; <see cref="CallRecordStores.Create"/> by default.</param>
    /// <param name="time">The clock relative <c>--since</c>/<c>--until</c> values count back from.</param>
    public static Command Build(Option<string> config, Func<StorageOptions, ICallRecordStore>? openStore = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        openStore ??= CallRecordStores.Create;
        time ??= TimeProvider.System;

        var since = TimeOption("--since", "Calls started at or after this: a duration back from now (30s, 15m, 1h, 7d) or an ISO-8601 time.", time);
        var until = TimeOption("--until", "Calls started before this: a duration back from now or an ISO-8601 time.", time);
        var peer = new Option<string>("--peer") { Description = "Only calls of this peer." };
        var carrier = new Option<string>("--carrier") { Description = "Only calls through this carrier." };
        var status = new Option<string>("--status") { Description = "Only calls with this status." };
        status.AcceptOnlyFromAmong(Statuses);
        var number = new Option<string>("--number") { Description = "Only calls whose From, To or Request-URI contains this number." };
        var limit = new Option<int>("--limit")
        {
            Description = "At most this many calls, newest first.",
            DefaultValueFactory = _ => 50,
        };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is var value and < 1)
            {
                result.AddError(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--limit: {value} is not a positive number"));
            }
        });
        var format = new Option<string>("--format")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json", "csv");

        var command = new Command("calls", "Lists call records from the configured store, newest first.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(since);
        command.Options.Add(until);
        command.Options.Add(peer);
        command.Options.Add(carrier);
        command.Options.Add(status);
        command.Options.Add(number);
        command.Options.Add(limit);
        command.Options.Add(format);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var query = new CallRecordQuery
            {
                Since = parseResult.GetValue(since),
                Until = parseResult.GetValue(until),
                Peer = parseResult.GetValue(peer),
                Carrier = parseResult.GetValue(carrier),
                Status = parseResult.GetValue(status),
                Number = parseResult.GetValue(number),
            };
            return ListAsync(parseResult, config, openStore, query, parseResult.GetValue(limit), parseResult.GetValue(format) ?? "table", cancellationToken);
        });
        command.Subcommands.Add(BuildShow(config, openStore));
        return command;
    }

    private static Command BuildShow(Option<string> config, Func<StorageOptions, ICallRecordStore> openStore)
    {
        var id = new Argument<string>("ID") { Description = "The call record's id (or a SIP Call-ID: its newest record)." };
        var format = new Option<string>("--format")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var show = new Command("show", "Shows one call in full: parties, timings, outcome, attempts, TLS and media.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        show.Arguments.Add(id);
        show.Options.Add(format);
        show.SetAction((parseResult, cancellationToken) =>
            ShowAsync(parseResult, config, openStore, parseResult.GetValue(id) ?? "", parseResult.GetValue(format) ?? "text", cancellationToken));
        return show;
    }

    // A point in time given as a duration back from now or as an ISO-8601 time; a bad value is a usage error.
    private static Option<DateTimeOffset?> TimeOption(string name, string description, TimeProvider time) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (CallsTime.TryParse(text, time.GetUtcNow(), out var value, out var error))
            {
                return value;
            }

            result.AddError($"{name}: {error}");
            return null;
        },
    };

    private static async Task<int> ListAsync(
        ParseResult parseResult, Option<string> config, Func<StorageOptions, ICallRecordStore> openStore, CallRecordQuery query, int limit, string format, CancellationToken cancellationToken)
    {
        if (!TryLoadStorage(parseResult, config, out var storage, out var exitCode))
        {
            return exitCode;
        }

        var records = new List<CallRecord>();
        var more = false;
        await ReadAsync(openStore, storage, async store =>
        {
            string? cursor = null;
            do
            {
                var page = await store.QueryAsync(query with { Limit = Math.Min(PageSize, limit - records.Count), Cursor = cursor }, cancellationToken).ConfigureAwait(false);
                records.AddRange(page.Items);
                cursor = page.NextCursor;
            }
            while (cursor is not null && records.Count < limit);
            more = cursor is not null;
        }, cancellationToken).ConfigureAwait(false);

        var output = parseResult.InvocationConfiguration.Output;
        switch (format)
        {
            case "json":
                await output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(records, CallRecordJson.Options)).ConfigureAwait(false);
                break;
            case "csv":
                CallsCsv.Write(output, records);
                break;
            default:
                CallsTable.Write(output, records, more);
                break;
        }

        return SipTrunkCli.Success;
    }

    private static async Task<int> ShowAsync(
        ParseResult parseResult, Option<string> config, Func<StorageOptions, ICallRecordStore> openStore, string id, string format, CancellationToken cancellationToken)
    {
        if (!TryLoadStorage(parseResult, config, out var storage, out var exitCode))
        {
            return exitCode;
        }

        CallRecord? record = null;
        await ReadAsync(openStore, storage, async store => record = await store.GetAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            throw new CliUserException($"no call with id {CallsText.Clean(id)}");
        }

        var output = parseResult.InvocationConfiguration.Output;
        if (format == "json")
        {
            await output.WriteLineAsync(CallRecordJson.Serialize(record)).ConfigureAwait(false);
        }
        else
        {
            CallsText.Write(output, record);
        }

        return SipTrunkCli.Success;
    }

    private static bool TryLoadStorage(ParseResult parseResult, Option<string> config, out StorageOptions storage, out int exitCode)
    {
        storage = new StorageOptions();
        if (ConfigCommand.WriteUsageErrors(parseResult))
        {
            exitCode = SipTrunkCli.UsageError;
            return false;
        }

        if (!ConfigCommand.TryLoad(parseResult, config, out var loaded))
        {
            exitCode = SipTrunkCli.UserError;
            return false;
        }

        if (!loaded.IsValid)
        {
            ConfigSummary.WriteProblems(parseResult.InvocationConfiguration.Error, loaded);
            exitCode = SipTrunkCli.UserError;
            return false;
        }

        storage = loaded.Options.Storage;
        exitCode = SipTrunkCli.Success;
        return true;
    }

    // Opens the store, runs the read, closes it; a store that cannot be reached is the operator's to fix (exit 1).
    private static async Task ReadAsync(Func<StorageOptions, ICallRecordStore> openStore, StorageOptions storage, Func<ICallRecordStore, Task> read, CancellationToken cancellationToken)
    {
        try
        {
            var store = openStore(storage);
            await using (store.ConfigureAwait(false))
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                await read(store).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or CliUserException))
        {
            throw new CliUserException($"Storage: cannot read call records: {CallsText.Clean(exception.Message)}", exception);
        }
    }
}
