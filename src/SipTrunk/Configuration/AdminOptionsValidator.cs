using System.Net;

namespace SipTrunk.Configuration;

/// <summary>Validates <c>Admin</c>: URLs, and a token whenever the API is reachable from other hosts (CONTRACT.md §4).</summary>
internal static class AdminOptionsValidator
{
    public static void Validate(AdminOptions admin, List<ConfigProblem> problems)
    {
        var urls = admin.UrlList;
        if (urls.Count == 0)
        {
            problems.Add(new("Admin.Urls", "required"));
        }

        foreach (var url in urls)
        {
            if (CheckUrl(url, out var loopback) is { } reason)
            {
                problems.Add(new("Admin.Urls", reason));
            }
            else if (!loopback && string.IsNullOrWhiteSpace(admin.Token))
            {
                problems.Add(new("Admin.Token", $"required because {url} is not a loopback address"));
            }
        }
    }

    /// <summary>Checks one URL the Kestrel way: <c>*</c> and <c>+</c> are wildcard hosts, no path allowed.</summary>
    private static string? CheckUrl(string url, out bool loopback)
    {
        loopback = false;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var probe = url;
        var wildcard = false;
        if (schemeEnd > 0 && url.Length > schemeEnd + 3 && url[schemeEnd + 3] is '*' or '+')
        {
            // System.Uri refuses Kestrel's wildcard hosts; substitute an address to check the rest.
            wildcard = true;
            probe = string.Concat(url.AsSpan(0, schemeEnd + 3), "0.0.0.0", url.AsSpan(schemeEnd + 4));
        }

        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"'{url}' is not an absolute http:// or https:// URL";
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            return $"'{url}' must not have a path";
        }

        loopback = !wildcard && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));
        return null;
    }
}
