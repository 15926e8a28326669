using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SipTrunk.Admin;

/// <summary>
/// Guards <c>/api/*</c> with <c>Authorization: Bearer &lt;Admin:Token&gt;</c> (CONTRACT.md §4, RFC 6750 §2.1).
/// Missing or wrong credentials get 401 with a <c>WWW-Authenticate: Bearer</c> challenge (RFC 6750 §3).
/// </summary>
/// <remarks>
/// Both sides are hashed before the constant-time comparison, so neither the token's content nor its length can be
/// learnt from response times. The token itself is never logged or echoed.
/// </remarks>
internal sealed class BearerTokenFilter : IEndpointFilter
{
    private const string Realm = "siptrunk";
    private readonly byte[] _tokenHash;

    public BearerTokenFilter(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var presented = PresentedToken(context.HttpContext.Request);
        if (presented is null)
        {
            return Challenge(context.HttpContext, $"Bearer realm=\"{Realm}\"", "An Authorization: Bearer token is required.");
        }

        if (!CryptographicOperations.FixedTimeEquals(_tokenHash, SHA256.HashData(Encoding.UTF8.GetBytes(presented))))
        {
            return Challenge(context.HttpContext, $"Bearer realm=\"{Realm}\", error=\"invalid_token\"", "The bearer token is not valid.");
        }

        return await next(context).ConfigureAwait(false);
    }

    // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1).
    private static string? PresentedToken(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value)
        {
            return null;
        }

        const string Scheme = "Bearer ";
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value[Scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static IResult Challenge(HttpContext context, string challenge, string detail)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge;
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
    }
}
