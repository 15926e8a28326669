using System.Collections;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace SipTrunk.Configuration;

/// <summary>
/// Loads the configuration in CONTRACT.md §3 order, later sources winning: the JSON file, environment variables
/// <c>SIPTRUNK__Section__Key</c>, then <c>--SipTrunk:Key=value</c> arguments; binds and validates it, collecting
/// every problem.
/// </summary>
internal static class ConfigurationLoader
{
    public const string EnvironmentPrefix = "SIPTRUNK__";
    public const string CommandLinePrefix = "--SipTrunk:";

    /// <summary>Loads <paramref name="configPath"/>; throws <see cref="FileNotFoundException"/> when it does not exist.</summary>
    /// <param name="configPath">The JSON file; relative paths inside it are resolved against its directory.</param>
    /// <param name="commandLineOverrides"><c>--SipTrunk:Key=value</c> tokens (see <see cref="IsOverride"/>).</param>
    /// <param name="environment">Environment variables; <see langword="null"/> reads the process environment.</param>
    public static ConfigurationLoadResult Load(
        string configPath,
        IEnumerable<string> commandLineOverrides,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var fullPath = Path.GetFullPath(configPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"file not found: {fullPath}", fullPath);
        }

        var baseDirectory = Path.GetDirectoryName(fullPath)!;
        var empty = new ConfigurationBuilder().Build();
        if (CheckJsonSyntax(fullPath) is { } syntaxProblem)
        {
            return new ConfigurationLoadResult(fullPath, empty, new SipTrunkOptions(), [syntaxProblem]);
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(fullPath, optional: false, reloadOnChange: false)
                .AddInMemoryCollection(MapEnvironment(environment ?? ReadProcessEnvironment()))
                .AddInMemoryCollection(MapCommandLine(commandLineOverrides))
                .Build();
        }
        catch (InvalidDataException ex)
        {
            // Duplicate keys and the like, which the JSON reader itself accepts.
            var reason = ex.InnerException?.Message ?? ex.Message;
            return new ConfigurationLoadResult(fullPath, empty, new SipTrunkOptions(), [new ConfigProblem(fullPath, reason)]);
        }

        var problems = new List<ConfigProblem>();
        var options = SipTrunkOptionsBinder.Bind(configuration, baseDirectory, problems);

        // A value the binder could not convert was replaced by its default; do not also blame the default.
        var reported = problems.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        if (reported.Contains(SipTrunkOptions.SectionName))
        {
            return new ConfigurationLoadResult(fullPath, configuration, options, problems);
        }

        problems.AddRange(SipTrunkOptionsValidator.Validate(options).Where(p => !reported.Contains(p.Key)));
        var warnings = CheckTlsMaterial(options, problems);
        return new ConfigurationLoadResult(fullPath, configuration, options, problems)
        {
            Warnings = warnings,
            CommandLineOverrides = [.. commandLineOverrides],
            Environment = environment,
        };
    }

    /// <summary>
    /// Loads the certificate files as the engine will (expiry, key match, chain, CRL signatures) once the validator
    /// found nothing wrong with them; files the development PKI will create are not there to check yet.
    /// </summary>
    private static IReadOnlyList<ConfigProblem> CheckTlsMaterial(SipTrunkOptions options, List<ConfigProblem> problems)
    {
        if (problems.Any(p => p.Key.StartsWith("Tls.", StringComparison.Ordinal)) || ConfigSummary.MissingCertificateFiles(options).Count > 0)
        {
            return [];
        }

        var material = TlsMaterialLoader.Load(options.Tls, DateTimeOffset.UtcNow);
        problems.AddRange(material.Problems);
        return material.Warnings;
    }

    /// <summary>Whether an unmatched command-line token is a configuration override.</summary>
    public static bool IsOverride(string token) => token.StartsWith(CommandLinePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>--SipTrunk:Key=value</c> into <c>SipTrunk:Key</c> and the value; <see langword="null"/> when there is no <c>=</c>.</summary>
    public static KeyValuePair<string, string?>? ParseOverride(string token)
    {
        if (!IsOverride(token))
        {
            return null;
        }

        var equals = token.IndexOf('=', StringComparison.Ordinal);
        if (equals <= CommandLinePrefix.Length)
        {
            return null;
        }

        var key = string.Concat(SipTrunkOptions.SectionName, ":", token.AsSpan(CommandLinePrefix.Length, equals - CommandLinePrefix.Length));
        return new KeyValuePair<string, string?>(key, token[(equals + 1)..]);
    }

    /// <summary>
    /// Splits a command's unmatched tokens into configuration overrides and usage errors: anything that is not
    /// <c>--SipTrunk:Key=value</c> is an error, so typos in real options still fail as usage errors.
    /// </summary>
    public static IReadOnlyList<string> FindUsageErrors(IEnumerable<string> unmatchedTokens)
    {
        var errors = new List<string>();
        foreach (var token in unmatchedTokens)
        {
            if (!IsOverride(token))
            {
                errors.Add($"Unrecognized command or argument '{token}'.");
            }
            else if (ParseOverride(token) is null)
            {
                errors.Add($"'{token}' must have the form {CommandLinePrefix}Key=value.");
            }
        }

        return errors;
    }

    private static Dictionary<string, string?> MapCommandLine(IEnumerable<string> tokens)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var token in tokens)
        {
            if (ParseOverride(token) is { } pair)
            {
                result[pair.Key] = pair.Value;
            }
        }

        return result;
    }

    private static Dictionary<string, string?> MapEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        // SIPTRUNK__Peers__0__Name → SipTrunk:Peers:0:Name, as the environment-variables provider maps "__".
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > EnvironmentPrefix.Length)
            {
                var rest = name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                result[$"{SipTrunkOptions.SectionName}:{rest}"] = value;
            }
        }

        return result;
    }

    private static Dictionary<string, string?> ReadProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }

    /// <summary>
    /// Parses the file with the JSON provider's own reader settings first, because the provider's exception does not
    /// say where the error is; operators need the line and position.
    /// </summary>
    private static ConfigProblem? CheckJsonSyntax(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            return null;
        }
        catch (JsonException ex)
        {
            var message = ex.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut < 0)
            {
                cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            }

            var reason = cut > 0 ? message[..cut] : message;
            return new ConfigProblem(path, $"invalid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}: {reason}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ConfigProblem(path, $"cannot read: {ex.Message}");
        }
    }
}
