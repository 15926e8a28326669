using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Admin;

/// <summary>
/// <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> (CONTRACT.md §4): open without a token, like a Prometheus
/// target or a load balancer's probe expects; the admin URLs are loopback unless a token protects the API.
/// </summary>
internal static partial class StatusEndpoints
{
    /// <summary>How long <c>/readyz</c> waits for the call-record store to answer.</summary>
    public static readonly TimeSpan StorePingTimeout = TimeSpan.FromSeconds(2);

    public static void Map(IEndpointRouteBuilder routes)
    {
        // HEAD too: some load balancers probe with it.
        routes.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], () => Results.Text("ok\n", "text/plain; charset=utf-8"));
        routes.MapMethods("/readyz", [HttpMethods.Get, HttpMethods.Head], ReadyAsync);
        routes.MapGet("/metrics", (IAdminSource source, TimeProvider time) =>
            Results.Text(MetricsExporter.Render(source, time.GetUtcNow()), PrometheusTextWriter.ContentType));
    }

    private static async Task<IResult> ReadyAsync(IAdminSource source, AdminLifecycle lifecycle, TimeProvider time, ILogger<AdminServer> logger, CancellationToken cancellationToken)
    {
        List<string> reasons = [];
        if (lifecycle.Draining)
        {
            reasons.Add("shutting down: draining calls");
        }

        var listeners = source.Listeners();
        if (listeners.Count == 0)
        {
            reasons.Add("no SIP listener is bound");
        }

        reasons.AddRange(listeners.Where(l => l.BoundAddress is null).Select(l => $"listener {l.Name} is not bound"));
        var store = source.CallRecords;
        if (store is null)
        {
            reasons.Add("no call-record store is open");
        }
        else if (!await PingAsync(store, time, logger, cancellationToken).ConfigureAwait(false))
        {
            reasons.Add("the call-record store does not answer");
        }

        if (reasons.Count > 0)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Not ready",
                detail: string.Join("; ", reasons),
                extensions: new Dictionary<string, object?> { ["reasons"] = reasons });
        }

        return Results.Json(new { status = "ready", listeners }, CallRecordJson.Options);
    }

    private static async Task<bool> PingAsync(ICallRecordStore store, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(StorePingTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await store.PingAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogStorePingFailed(logger, exception.GetType().Name, exception.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Readiness: the call-record store ping failed ({ExceptionType}: {Reason})")]
    private static partial void LogStorePingFailed(ILogger logger, string exceptionType, string reason);
}
