using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace SipTrunk.Admin;

/// <summary>
/// The web dashboard (CONTRACT.md §4 <c>GET /</c>): <c>index.html</c> at the root, its script and style sheet under
/// <c>/assets/</c>. The page itself holds no data; everything it shows comes from <c>/api/*</c> with the token.
/// </summary>
internal static class DashboardEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, DashboardAssets assets)
    {
        routes.MapGet("/", (HttpContext context) => Serve(context, assets.Find("index.html")));
        routes.MapGet("/assets/{name}", (string name, HttpContext context) =>
            Serve(context, name == "index.html" ? null : assets.Find(name)));
    }

    private static IResult Serve(HttpContext context, DashboardAsset? asset)
    {
        if (asset is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        // Revalidate every time: a new siptrunk build must not run yesterday's script against today's API.
        var headers = context.Response.Headers;
        headers[HeaderNames.CacheControl] = "no-cache";
        headers[HeaderNames.ETag] = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
