using System.Text.Json.Nodes;
using SipTrunk.Testing;

namespace SipTrunk.IntegrationTests.Cli;

/// <summary>Copies of the shipped <c>config/siptrunk.json</c> in a temp directory, optionally edited.</summary>
internal static class ConfigTestFiles
{
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SipTrunk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("SipTrunk.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Writes the shipped config to <c>TEMP/config/siptrunk.json</c> (so <c>../certs</c> is inside TEMP) after <paramref name="edit"/>.</summary>
    public static string CopyShippedConfig(TempDirectory directory, Action<JsonNode>? edit = null)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "config", "siptrunk.json")))!;
        edit?.Invoke(json["SipTrunk"]!);
        var path = directory.Combine("config", "siptrunk.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }
}
