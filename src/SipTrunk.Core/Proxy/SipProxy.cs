using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Media;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// The transaction-stateful, record-routing proxy core (RFC 3261 §16): identifies who sent each request (no open relay),
/// validates it (§16.3), answers OPTIONS addressed to SipTrunk, routes new INVITEs from peers to carriers with
/// failover (<see cref="OutboundCall"/>), loose-routes in-dialog requests along the flows recorded in its Record-Route,
/// and matches CANCELs to their INVITEs.
/// </summary>
public sealed partial class SipProxy : ITransactionUser, IDisposable
{
    /// <summary>What SipTrunk supports, for Allow headers.</summary>
    public const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO, PRACK, REFER, NOTIFY";

    private readonly ConcurrentDictionary<string, SipFlow> _peerFlows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IProxyCall> _answeredCalls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IProxyCall, byte> _liveCalls = new();
    private readonly CancellationTokenSource _stopping = new();
    private ProxySnapshot _snapshot;
    private TransactionLayer? _transactions;
    private bool _draining;

    /// <summary>Creates the proxy; call <see cref="Attach"/> before traffic flows.</summary>
    public SipProxy(
        ProxySettings settings,
        ProxySnapshot snapshot,
        ProxyMessageFactory messages,
        IFlowConnector flows,
        ICarrierSelector selector,
        CarrierHealthRegistry health,
        ICallObserver calls,
        SipTrunkMetrics metrics,
        TimeProvider time,
        ILogger<SipProxy> logger,
        PeerServices? peers = null,
        MediaService? media = null)
    {
        Media = media;
        Settings = settings;
        Peers = peers ?? new PeerServices();
        Gate = new PeerGate(this);
        _snapshot = snapshot;
        Messages = messages;
        Flows = flows;
        Selector = selector;
        Health = health;
        Calls = calls;
        Metrics = metrics;
        Time = time;
        Logger = logger;
        Tasks = new BackgroundTasks(logger);
    }

    /// <summary>The running configuration; swapped atomically by <see cref="UpdateSnapshot"/>.</summary>
    public ProxySnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Calls answered and not yet hung up.</summary>
    public int AnsweredCallCount => _answeredCalls.Count;

    /// <summary>Calls started (either direction) and not yet ended, ringing or answered.</summary>
    public int LiveCallCount => LiveCalls.Count;

    /// <summary>Whether new calls are refused because SipTrunk is shutting down (see <see cref="ProxyDrain"/>).</summary>
    public bool Draining => Volatile.Read(ref _draining);

    /// <summary>Work in flight (connects, sends), for shutdown and leak tests.</summary>
    public BackgroundTasks Tasks { get; }

    internal ProxySettings Settings { get; }

    internal PeerServices Peers { get; }

    /// <summary>Anchors calls' media on the relay; null: SDP passes unchanged (proxy-core tests).</summary>
    internal MediaService? Media { get; }

    internal PeerGate Gate { get; }

    internal ProxyMessageFactory Messages { get; }

    internal IFlowConnector Flows { get; }

    internal ICarrierSelector Selector { get; }

    internal CarrierHealthRegistry Health { get; }

    internal ICallObserver Calls { get; }

    internal SipTrunkMetrics Metrics { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>Calls in progress, counted for the drain.</summary>
    internal ActivityCounter LiveCalls { get; } = new();

    /// <summary>BYEs SipTrunk sent itself (<see cref="DialogTeardown"/>) and not yet answered.</summary>
    internal ActivityCounter Teardowns { get; } = new();

    internal TransactionLayer Transactions => _transactions ?? throw new InvalidOperationException("The proxy is not attached to a transaction layer.");

    /// <summary>Connects the proxy to the transaction layer it sends through (the layer calls back into the proxy).</summary>
    public void Attach(TransactionLayer transactions) => _transactions = transactions;

    /// <summary>Replaces the running configuration (calls in progress keep the snapshot they started with).</summary>
    public void UpdateSnapshot(ProxySnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);

    /// <summary>Stops background work: pending connects are cancelled and awaited.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Tasks.WhenAllAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose() => _stopping.Dispose();

    /// <inheritdoc/>
    public void OnRequest(ServerTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var snapshot = Snapshot;
        var source = snapshot.Identify(transaction.Flow);
        // CONTRACT.md §6: every line logged while handling the request (transactions and media included) names the call.
        using var scope = CallLogScope.Begin(Logger, transaction.Request.CallId, source.Peer?.Name, source.Carrier?.Name);
        try
        {
            HandleRequest(transaction, snapshot, source);
        }
#pragma warning disable CA1031 // One bad request must never take the proxy down; it gets a 500 instead.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRequestFailed(Logger, exception, transaction.Request.CallId, transaction.Request.MethodName);
            Respond(transaction, 500, "Server Internal Error");
        }
    }

    /// <inheritdoc/>
    public void OnAck(SipRequest ack, SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(ack);
        ArgumentNullException.ThrowIfNull(flow);
        var snapshot = Snapshot;
        var source = snapshot.Identify(flow);
        if (source.Kind == RequestSourceKind.Unknown
            || (source.Peer is { } peer && !PeerGate.IsAllowedNetwork(flow.RemoteEndPoint.Address, peer)))
        {
            // ACKs get no response: an unknown or out-of-network sender's is dropped.
            return;
        }

        using var scope = CallLogScope.Begin(Logger, ack.CallId, source.Peer?.Name, source.Carrier?.Name);
        RememberPeerFlow(source, flow);
        var routes = Messages.AnalyzeRoutes(ack, flow);
        if (routes.Token is not { } token || ack.MaxForwards is 0)
        {
            return;
        }

        // RFC 3261 §16.6: the ACK for a 2xx is its own transaction: forwarded statelessly along the dialog's route.
        ForwardAlongDialog(ack, flow, source, routes, token, server: null);
    }

    /// <inheritdoc/>
    public void OnStrayResponse(SipResponse response, SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(response);
        // RFC 6026: a 2xx retransmitted after the transactions are gone is still forwarded to the caller.
        if (response.StatusCode is >= 200 and < 300 && response.CSeq?.Method == "INVITE"
            && response.CallId is { } callId && _answeredCalls.TryGetValue(callId, out var call))
        {
            call.ForwardStrayAnswer(response);
        }
    }

    internal void RememberPeerFlow(RequestSource source, SipFlow flow)
    {
        if (source.Peer is { } peer)
        {
            _peerFlows[peer.Name] = flow;
        }
    }

    internal SipFlow? LatestPeerFlow(string peer) => _peerFlows.TryGetValue(peer, out var flow) && !flow.IsClosed ? flow : null;

    internal void OnCallAnswered(IProxyCall call) => _answeredCalls[call.CallId] = call;

    /// <summary>The call ended itself (media timeout): a later BYE finds nothing more to do.</summary>
    internal void ForgetAnsweredCall(string callId) => _answeredCalls.TryRemove(callId, out _);

    internal void OnDialogEnded(string callId, bool byPeer, string reason)
    {
        if (_answeredCalls.TryRemove(callId, out var call))
        {
            call.End(byPeer, reason);
        }
    }

    /// <summary>A call started: it is in progress until <see cref="OnCallClosed"/>.</summary>
    internal void OnCallOpened(IProxyCall call)
    {
        if (_liveCalls.TryAdd(call, 0))
        {
            LiveCalls.Add();
        }
    }

    /// <summary>A call reported its end.</summary>
    internal void OnCallClosed(IProxyCall call)
    {
        if (_liveCalls.TryRemove(call, out _))
        {
            LiveCalls.Remove();
        }
    }

    /// <summary>From now on new INVITEs (outside a dialog) get 503; everything else is handled as before.</summary>
    internal void BeginDrain() => Volatile.Write(ref _draining, true);

    /// <summary>SipTrunk ends every call still in progress itself (<see cref="IProxyCall.EndByProxy"/>); returns how many.</summary>
    internal int EndLiveCalls(string reason)
    {
        var calls = _liveCalls.Keys.ToArray();
        foreach (var call in calls)
        {
            try
            {
                call.EndByProxy(reason);
            }
#pragma warning disable CA1031 // One call that cannot be ended must not keep the others up.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogEndCallFailed(Logger, exception, call.CallId);
            }
        }

        return calls.Length;
    }

    /// <summary>A call admitted by <see cref="PeerGate.AdmitCall"/> ended: its slot is free again.</summary>
    internal void OnCallFinished(string peer) => Peers.CallLimiter?.EndCall(peer);

    internal static void Respond(ServerTransaction transaction, int statusCode, string? reason = null, params ReadOnlySpan<(HeaderId Id, string Value)> extra) =>
        transaction.SendResponse(statusCode, ProxyMessageFactory.CreateResponse(transaction.Request, statusCode, reason, transaction.ServerHeader, extra));

    // Answers a request of an identified source with a final refusal; a new INVITE also becomes a rejected call record.
    private void Refuse(ServerTransaction transaction, RequestSource source, int statusCode, string reason, string endReason, params ReadOnlySpan<(HeaderId Id, string Value)> extra)
    {
        Respond(transaction, statusCode, reason, extra);
        RejectedCalls.Report(this, transaction, source, statusCode, reason, endReason);
    }

    private void HandleRequest(ServerTransaction transaction, ProxySnapshot snapshot, RequestSource source)
    {
        var request = transaction.Request;
        var flow = transaction.Flow;
        if (source.Kind == RequestSourceKind.Unknown)
        {
            // No open relay: whoever SipTrunk cannot name gets nothing but 403.
            Metrics.RequestsRefused.Increment("unknown-source");
            // A scanner gets one line per minute, not one per probe (RefusalLog), so it cannot flood the log.
            var suppressed = 0;
            if (Peers.RefusalLog?.TryEnter(flow.RemoteEndPoint.Address + " unknown-source", out suppressed) != false)
            {
                LogUnknownSource(Logger, request.MethodName, request.CallId, flow.RemoteEndPoint.ToString(), source.Reason ?? "unknown", suppressed);
            }

            Respond(transaction, 403, "Forbidden");
            return;
        }

        // CONTRACT.md §3: a peer's AllowedNetworks are checked before any other work on its requests.
        if (source.Peer is { } sender && !Gate.IsAllowedNetwork(transaction, sender))
        {
            return;
        }

        RememberPeerFlow(source, flow);
        if (request.Method == SipMethod.Cancel)
        {
            HandleCancel(transaction);
            return;
        }

        var routes = Messages.AnalyzeRoutes(request, flow);
        var hasToTag = request.To?.Tag is not null;
        var addressedToUs = !routes.HasForeignRoute && request.RequestUri is SipUri uri && uri.User is null && Messages.IsLocal(uri, flow);
        if (request.Method == SipMethod.Options && addressedToUs && !hasToTag)
        {
            // RFC 3261 §11.2: OPTIONS to the proxy itself is answered, whatever Max-Forwards says.
            Respond(transaction, 200, "OK", (HeaderId.Allow, AllowedMethods), (HeaderId.Accept, "application/sdp"));
            return;
        }

        if (!hasToTag && request.Method == SipMethod.Invite && Draining)
        {
            // CONTRACT.md §2 run: shutting down, no new calls. Retry-After sends the caller elsewhere (RFC 3261 §21.5.4)
            // before any digest round trip; the refusal is recorded like any other.
            Metrics.RequestsRefused.Increment("draining");
            Refuse(
                transaction, source, 503, "Service Unavailable", ProxyDrain.DrainingReason,
                (HeaderId.RetryAfter, Settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)),
                (HeaderId.Warning, "399 siptrunk \"shutting down\""));
            return;
        }

        // Digest proves every new request of a peer that has credentials (RFC 3261 §22.3). In-dialog requests are bound
        // to an authenticated dialog by the HMAC-signed flow token and the same client certificate (see ForwardAlongDialog).
        if (!hasToTag && source.Peer is { Credentials: not null } claimant && !Gate.Authenticate(transaction, claimant))
        {
            return;
        }

        if (request.MaxForwards is 0)
        {
            Metrics.RequestsRefused.Increment("too-many-hops");
            Refuse(transaction, source, 483, "Too Many Hops", "too-many-hops");
            return;
        }

        if (Messages.IsLoop(request))
        {
            Metrics.RequestsRefused.Increment("loop");
            Refuse(transaction, source, 482, "Loop Detected", "loop");
            return;
        }

        if (request.TryGetFirstValue(HeaderId.ProxyRequire, out var proxyRequire))
        {
            // RFC 3261 §16.3 step 5: SipTrunk supports no proxy extensions.
            Refuse(transaction, source, 420, "Bad Extension", "bad-extension", (HeaderId.Unsupported, proxyRequire.ToString()));
            return;
        }

        if (hasToTag)
        {
            if (routes.Token is not { } token)
            {
                Respond(transaction, 481, "Call/Transaction Does Not Exist");
                return;
            }

            ForwardAlongDialog(request, flow, source, routes, token, transaction);
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Invite when source.Peer is { } peer:
                StartOutboundCall(transaction, source, routes, snapshot);
                break;
            case SipMethod.Invite when source.Carrier is { } carrier:
                StartInboundCall(transaction, carrier, routes, snapshot);
                break;
            case SipMethod.Register when source.Peer is { } registrant && Peers.Registrar is { } registrar:
                var result = registrar.Register(request, flow, registrant);
                Respond(transaction, result.StatusCode, result.Reason, [.. result.Headers]);
                break;
            case SipMethod.Register:
                // Carriers do not register with SipTrunk, and without a registrar nobody does.
                Respond(transaction, 403, "Forbidden");
                break;
            case SipMethod.Options:
                Respond(transaction, 200, "OK", (HeaderId.Allow, AllowedMethods), (HeaderId.Accept, "application/sdp"));
                break;
            default:
                Respond(transaction, 405, "Method Not Allowed", (HeaderId.Allow, AllowedMethods));
                break;
        }
    }

    private void StartOutboundCall(ServerTransaction transaction, RequestSource source, RouteAnalysis routes, ProxySnapshot snapshot)
    {
        var request = transaction.Request;
        var peer = source.Peer!;
        var user = CalledUser(request);
        if (request.RequestUri is not SipUri and not TelUri)
        {
            Refuse(transaction, source, 416, "Unsupported URI Scheme", "unsupported-uri");
            return;
        }

        if (string.IsNullOrEmpty(user))
        {
            Refuse(transaction, source, 404, "Not Found", "no-number");
            return;
        }

        var number = snapshot.Normalizer.Normalize(Uri.UnescapeDataString(user));
        if (number is null)
        {
            Refuse(transaction, source, 484, "Address Incomplete", "address-incomplete");
            return;
        }

        var route = snapshot.Routes.Match(number);
        if (route is null)
        {
            Metrics.RequestsRefused.Increment("no-route");
            LogNoRoute(Logger, request.CallId, peer.Name, number);
            Refuse(transaction, source, 404, "No Route", "no-route");
            return;
        }

        var configured = new List<CarrierDefinition>(route.Carriers.Count);
        foreach (var name in route.Carriers)
        {
            if (snapshot.FindCarrier(name) is { } carrier && Health.IsAvailable(carrier))
            {
                configured.Add(carrier);
            }
        }

        if (!Gate.AdmitCall(transaction, peer))
        {
            return;
        }

        var call = new OutboundCall(this, transaction, peer, number, routes.LocalRouteCount, Selector.Order(configured));
        call.Start();
    }

    // The called party: the Request-URI's user part, or a tel: URI's number.
    private static string? CalledUser(SipRequest request) => request.RequestUri switch
    {
        SipUri sip => sip.User,
        TelUri tel => tel.RawNumber,
        _ => null,
    };

    private void StartInboundCall(ServerTransaction transaction, CarrierDefinition carrier, RouteAnalysis routes, ProxySnapshot snapshot)
    {
        var request = transaction.Request;
        var user = CalledUser(request);
        var number = string.IsNullOrEmpty(user) ? null : snapshot.Normalizer.Normalize(Uri.UnescapeDataString(user));
        var peer = number is null ? null : snapshot.FindPeerByNumber(number);
        if (number is null || peer is null)
        {
            Metrics.RequestsRefused.Increment("no-peer");
            LogNoPeer(Logger, request.CallId, carrier.Name, number ?? user ?? "");
            Respond(transaction, 404, "Not Found");
            RejectedCalls.Report(this, transaction, "inbound", null, carrier.Name, 404, "Not Found", "no-peer");
            return;
        }

        var targets = new List<InboundTarget>();
        foreach (var binding in Peers.Locations?.Lookup(peer.Name) ?? [])
        {
            // The flow the REGISTER came on; after a reconnect (or a restart), the peer's newest connection.
            var flow = Flows.FindFlow(binding.FlowId) is { IsClosed: false } registered ? registered : LatestPeerFlow(peer.Name);
            if (flow is not null && !targets.Exists(t => t.Flow == flow && string.Equals(t.ContactUri, binding.ContactUri, StringComparison.Ordinal)))
            {
                targets.Add(new InboundTarget(binding.ContactUri, flow, null, binding.Path));
            }
        }

        if (targets.Count == 0 && peer.UriTarget is { } target && peer.Uri is { } uri)
        {
            targets.Add(new InboundTarget(uri, null, target, []));
        }

        if (targets.Count == 0)
        {
            Metrics.RequestsRefused.Increment("peer-unavailable");
            LogPeerUnavailable(Logger, request.CallId, carrier.Name, peer.Name);
            Respond(transaction, 480, "Temporarily Unavailable");
            RejectedCalls.Report(this, transaction, "inbound", peer.Name, carrier.Name, 480, "Temporarily Unavailable", "peer-unavailable");
            return;
        }

        if (!Gate.AdmitInboundCall(transaction, peer, carrier.Name))
        {
            return;
        }

        new InboundCall(this, transaction, carrier, peer, number, routes.LocalRouteCount, targets).Start();
    }

    private void HandleCancel(ServerTransaction transaction)
    {
        var invite = Transactions.FindInviteServerTransaction(transaction.Request);
        if (invite is null)
        {
            Respond(transaction, 481, "Call/Transaction Does Not Exist");
            return;
        }

        // RFC 3261 §16.10: answer the CANCEL at once, then cancel the branches; their 487 ends the INVITE.
        Respond(transaction, 200, "OK");
        if (invite.UserState is IProxyCall call)
        {
            call.CancelByCaller();
        }
        else if (invite.LastStatusCode < 200)
        {
            Respond(invite, 487, "Request Terminated");
        }
    }

    private void ForwardAlongDialog(SipRequest request, SipFlow arrival, RequestSource source, RouteAnalysis routes, FlowToken token, ServerTransaction? server)
    {
        var snapshot = Snapshot;
        // The dialog's token names both ends; its responses arrive on the other side's connection and log under it too.
        var logScope = new CallLogScope(request.CallId, token.Peer, token.Carrier);
        using var scope = Logger.BeginScope(logScope);
        if (source.Kind == RequestSourceKind.Carrier)
        {
            // Toward the peer: down the flow it opened (RFC 5626), or its newer one if it reconnected.
            var flow = Flows.FindFlow(token.PeerFlowId) is { IsClosed: false } original ? original : LatestPeerFlow(token.Peer);
            if (flow is null)
            {
                if (server is not null)
                {
                    Respond(server, 430, "Flow Failed");
                }

                return;
            }

            SendInDialog(request, arrival, flow, routes, server, fromPeer: false, logScope);
            return;
        }

        if (!string.Equals(token.Peer, source.Name, StringComparison.Ordinal))
        {
            // A valid token from someone else's dialog: never let one peer steer another's flows.
            Metrics.RequestsRefused.Increment("foreign-dialog");
            if (server is not null)
            {
                Respond(server, 403, "Forbidden");
            }

            return;
        }

        if (snapshot.FindCarrier(token.Carrier) is not { } carrier)
        {
            if (server is not null)
            {
                Respond(server, 404, "Not Found");
            }

            return;
        }

        // An inbound call's dialog goes back down the connection the carrier sent it on, while it lasts (RFC 5923).
        if (token.CarrierFlowId != 0 && Flows.FindFlow(token.CarrierFlowId) is { IsClosed: false } carrierFlow)
        {
            SendInDialog(request, arrival, carrierFlow, routes, server, fromPeer: true, logScope);
            return;
        }

        Tasks.Track(ConnectAndSendInDialogAsync(request, arrival, carrier, routes, server, logScope));
    }

    private async Task ConnectAndSendInDialogAsync(SipRequest request, SipFlow arrival, CarrierDefinition carrier, RouteAnalysis routes, ServerTransaction? server, CallLogScope logScope)
    {
        SipFlow flow;
        try
        {
            flow = await Flows.ConnectAsync(carrier, Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Any connect failure is a transport error for this request (RFC 3261 §16.9).
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogCarrierUnreachable(Logger, request.CallId, carrier.Name, exception.Message);
            if (server is not null)
            {
                Respond(server, 503, "Service Unavailable", (HeaderId.RetryAfter, Settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)));
            }

            return;
        }

        SendInDialog(request, arrival, flow, routes, server, fromPeer: true, logScope);
    }

    private void SendInDialog(SipRequest request, SipFlow arrival, SipFlow target, RouteAnalysis routes, ServerTransaction? server, bool fromPeer, CallLogScope logScope)
    {
        var media = InDialogMedia.For(this, request, fromPeer);
        ReadOnlyMemory<byte>? body = null;
        if (media is not null && !media.TryAnchorRequest(request, out body, out var refusal))
        {
            if (server is not null)
            {
                Respond(server, refusal.StatusCode, refusal.StatusCode == 488 ? "Not Acceptable Here" : "Service Unavailable", (HeaderId.Warning, "399 siptrunk \"" + refusal.Reason + "\""));
            }

            return;
        }

        var branch = TransactionLayer.NewBranch();
        var bytes = Messages.ForwardRequest(request, arrival, target, branch, requestUri: null, routes.LocalRouteCount, recordRoute: null, body);
        if (server is null)
        {
            target.TrySend(bytes);
            return;
        }

        var relay = new RequestRelay(this, server, request.Method == SipMethod.Bye ? fromPeer : null, logScope, media);
        Transactions.StartClientTransaction(target, bytes, branch, request.Method, relay);
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "Refused {Method} {CallId} from {Source}: {Reason} ({Suppressed} similar refusals not logged)")]
    private static partial void LogUnknownSource(ILogger logger, string method, string? callId, string source, string reason, int suppressed);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "No route for {CallId} from {Peer} to {Number}")]
    private static partial void LogNoRoute(ILogger logger, string? callId, string peer, string number);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Carrier {Carrier} unreachable for {CallId}: {Reason}")]
    private static partial void LogCarrierUnreachable(ILogger logger, string? callId, string carrier, string reason);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Information, Message = "Inbound call {CallId} from carrier {Carrier}: no peer has number {Number}")]
    private static partial void LogNoPeer(ILogger logger, string? callId, string carrier, string number);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "Inbound call {CallId} from carrier {Carrier}: peer {Peer} has no registered contact or Uri")]
    private static partial void LogPeerUnavailable(ILogger logger, string? callId, string carrier, string peer);

    [LoggerMessage(EventId = 3244, Level = LogLevel.Error, Message = "Ending call {CallId} on shutdown failed")]
    private static partial void LogEndCallFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Error, Message = "Handling {Method} {CallId} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string? callId, string method);
}
