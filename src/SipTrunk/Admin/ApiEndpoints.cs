using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Admin;

/// <summary>
/// <c>/api/*</c> (CONTRACT.md §4): call records from the store, active calls, registrations and carriers from the
/// running proxy. JSON is camelCase (<see cref="CallRecordJson.Options"/>); errors are RFC 9457 problem details.
/// </summary>
internal static partial class ApiEndpoints
{
    /// <summary>Maps the API; with a <paramref name="token"/> every endpoint requires it as a bearer token.</summary>
    public static void Map(IEndpointRouteBuilder routes, string? token)
    {
        var api = routes.MapGroup("/api");
        if (!string.IsNullOrEmpty(token))
        {
            api.AddEndpointFilter(new BearerTokenFilter(token));
        }

        api.MapGet("/calls", ListCallsAsync);
        api.MapGet("/calls/active", (IAdminSource source) => Results.Json(new ItemList<Core.Proxy.ActiveCall>(source.Calls.ActiveCalls()), CallRecordJson.Options));
        api.MapGet("/calls/{id}", GetCallAsync);
        api.MapGet("/registrations", (IAdminSource source, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            var items = source.Registrations()
                .OrderBy(b => b.Peer, StringComparer.Ordinal)
                .ThenBy(b => b.Aor, StringComparer.Ordinal)
                .ThenBy(b => b.ContactUri, StringComparer.Ordinal)
                .Select(b => RegistrationView.From(b, now))
                .ToList();
            return Results.Json(new ItemList<RegistrationView>(items), CallRecordJson.Options);
        });
        api.MapGet("/carriers", (IAdminSource source) => Results.Json(new ItemList<CarrierStatus>(source.Carriers()), CallRecordJson.Options));
    }

    private static async Task<IResult> ListCallsAsync(HttpRequest request, IAdminSource source, TimeProvider time, ILogger<AdminServer> logger, CancellationToken cancellationToken)
    {
        if (!CallQueryParser.TryParse(request.Query, time.GetUtcNow(), out var query, out var errors))
        {
            return Results.ValidationProblem(errors, title: "Invalid call query");
        }

        if (source.CallRecords is not { } store)
        {
            return StoreUnavailable();
        }

        try
        {
            var page = await store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            return Results.Json(page, CallRecordJson.Options);
        }
        catch (Exception exception) when (query.Cursor is not null && exception is ArgumentException or FormatException)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["not a cursor this API returned"] }, title: "Invalid call query");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(logger, exception);
            return StoreUnavailable();
        }
    }

    private static async Task<IResult> GetCallAsync(string id, IAdminSource source, ILogger<AdminServer> logger, CancellationToken cancellationToken)
    {
        if (source.CallRecords is not { } store)
        {
            return StoreUnavailable();
        }

        CallRecord? record;
        try
        {
            record = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(logger, exception);
            return StoreUnavailable();
        }

        return record is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Call not found", detail: "No call record has this id or Call-ID.")
            : Results.Json(record, CallRecordJson.Options);
    }

    private static IResult StoreUnavailable() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Call records unavailable",
        detail: "The call-record store cannot be read now; records are spooled and written when it returns.");

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error, Message = "Admin API: reading call records failed")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);
}
