using System.Reflection;
using System.Security.Cryptography;

namespace SipTrunk.Admin;

/// <summary>
/// The web dashboard's files (<c>Admin/wwwroot</c>), embedded in the executable so a published <c>siptrunk</c> needs
/// nothing beside it. Read once; the files are a few tens of kilobytes.
/// </summary>
internal sealed class DashboardAssets
{
    /// <summary>The manifest-name prefix the project file gives the embedded files.</summary>
    public const string ResourcePrefix = "SipTrunk.Admin.wwwroot.";

    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    /// <summary>The file names, e.g. <c>index.html</c>.</summary>
    public IEnumerable<string> Names => _assets.Keys;

    /// <summary>Loads every embedded dashboard file of this assembly.</summary>
    public static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            var content = Read(assembly, resource);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8)) + "\"";
            assets[name] = new DashboardAsset(name, content, ContentTypeOf(name), etag);
        }

        return new DashboardAssets(assets);
    }

    /// <summary>The file called <paramref name="name"/>, or null.</summary>
    public DashboardAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
