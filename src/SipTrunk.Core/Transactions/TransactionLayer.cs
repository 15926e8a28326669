using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>
/// RFC 3261 §17: matches messages from the transports to transactions (§17.1.3, §17.2.3), runs Timers A–M through a
/// <see cref="TimeProvider"/>, answers malformed requests (400/416/505 with the reason) and hands new requests, 2xx
/// ACKs and stray responses to the <see cref="ITransactionUser"/>.
/// </summary>
/// <remarks>
/// <para>
/// The proxy core (the transaction user) needs the layer and the layer needs the user: construct the layer without a
/// user and call <see cref="Attach"/> once, before the transports deliver messages; or pass the user to the
/// constructor when it does not need the layer.
/// </para>
/// <para>
/// Requests whose top Via branch lacks the RFC 3261 magic cookie are refused with 400 (the RFC 2543 matching rules of
/// §17.2.3 are not implemented; an ACK without it is dropped). A malformed request is answered with the validator's
/// status code and reason when a response can be addressed (a valid top Via, and From, To, Call-ID and CSeq lines),
/// through a server transaction the user never sees when its branch is usable, so retransmissions get the same answer
/// and the ACK of a refused INVITE is absorbed; otherwise statelessly, or it is dropped. Every new INVITE is answered
/// with 100 Trying by the layer at once (§17.2.1), before <see cref="ITransactionUser.OnRequest"/>.
/// </para>
/// </remarks>
public sealed class TransactionLayer : ISipMessageSink
{
    // Metric label for extension methods: a label per unknown token would let any peer grow the series without bound.
    private const string OtherMethodLabel = "other";

    private readonly ConcurrentDictionary<ServerTransactionKey, ServerTransaction> _servers = new();
    private readonly ConcurrentDictionary<ClientTransactionKey, ClientTransaction> _clients = new();
    private readonly SipTrunkMetrics _metrics;
    private ITransactionUser? _user;

    /// <summary>Creates a layer reporting to <paramref name="user"/>.</summary>
    public TransactionLayer(ITransactionUser user, TransactionTimers timers, TimeProvider time, SipTrunkMetrics metrics, ILogger<TransactionLayer> logger)
        : this(timers, time, metrics, logger)
    {
        Attach(user);
    }

    /// <summary>Creates a layer whose user is attached later with <see cref="Attach"/> (before messages flow).</summary>
    public TransactionLayer(TransactionTimers timers, TimeProvider time, SipTrunkMetrics metrics, ILogger<TransactionLayer> logger)
    {
        ArgumentNullException.ThrowIfNull(timers);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        if (timers.T1 <= TimeSpan.Zero || timers.T2 < timers.T1 || timers.T4 <= TimeSpan.Zero)
        {
            throw new ArgumentException("Timers need 0 < T1 <= T2 and T4 > 0.", nameof(timers));
        }

        Timers = timers;
        Time = time;
        _metrics = metrics;
        Logger = logger;
    }

    /// <summary>
    /// The product SipTrunk names itself with (<c>Sip:UserAgent</c>): the Server header of the responses SipTrunk
    /// generates and the User-Agent header of the requests it originates (RFC 3261 §20.35, §20.41); null or empty: none.
    /// Never a version: scanners use it to pick exploits.
    /// </summary>
    public string? UserAgent { get; init; }

    /// <summary>Server transactions in the table (not yet terminated).</summary>
    public int ServerTransactionCount => _servers.Count;

    /// <summary>Client transactions in the table (not yet terminated), internal CANCEL transactions included.</summary>
    public int ClientTransactionCount => _clients.Count;

    internal TransactionTimers Timers { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>Sets the transaction user; once, before the transports deliver messages (earlier messages are dropped).</summary>
    /// <exception cref="InvalidOperationException">A user is already attached.</exception>
    public void Attach(ITransactionUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (Interlocked.CompareExchange(ref _user, user, null) is not null)
        {
            throw new InvalidOperationException("A transaction user is already attached.");
        }
    }

    /// <summary>
    /// Starts a client transaction: sends <paramref name="request"/> (whose top Via carries <paramref name="branch"/>)
    /// down <paramref name="flow"/>. If the flow refuses the request, <see cref="IClientTransactionUser.OnTransportError"/>
    /// is called before this returns and the returned transaction is already terminated.
    /// </summary>
    /// <exception cref="InvalidOperationException">A transaction with this branch and method is already running.</exception>
    public ClientTransaction StartClientTransaction(SipFlow flow, ReadOnlyMemory<byte> request, string branch, SipMethod method, IClientTransactionUser user) =>
        StartClientTransaction(flow, request, branch, method, user, userState: null);

    /// <summary>
    /// As <see cref="StartClientTransaction(SipFlow, ReadOnlyMemory{byte}, string, SipMethod, IClientTransactionUser)"/>,
    /// with <see cref="ClientTransaction.UserState"/> set before the request is sent, so that every report carries it.
    /// </summary>
    public ClientTransaction StartClientTransaction(SipFlow flow, ReadOnlyMemory<byte> request, string branch, SipMethod method, IClientTransactionUser user, object? userState) =>
        TryStartClientTransaction(flow, request, branch, method, user, userState)
        ?? throw new InvalidOperationException($"A {method} client transaction with branch {branch} is already running.");

    /// <summary>The INVITE server transaction a CANCEL refers to (same branch and sent-by, §9.2), if it still exists.</summary>
    public ServerTransaction? FindInviteServerTransaction(SipRequest cancel)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        return ServerTransactionKey.TryCreate(cancel, SipMethods.Invite, out var key) && _servers.TryGetValue(key, out var invite) ? invite : null;
    }

    /// <summary>A fresh RFC 3261 branch: the magic cookie plus 128 random bits (§8.1.1.7), lower-case hex.</summary>
    public static string NewBranch()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return ViaHeader.MagicCookie + Convert.ToHexStringLower(random);
    }

    /// <inheritdoc/>
    public void OnMessage(SipMessage message, SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(flow);
        if (Volatile.Read(ref _user) is not { } user)
        {
            Logger.NoUserAttached(flow);
            return;
        }

        switch (message)
        {
            case SipRequest { Method: SipMethod.Ack } ack:
                OnAck(ack, flow, user);
                break;
            case SipRequest request:
                OnRequest(request, flow, user);
                break;
            case SipResponse response:
                OnResponse(response, flow, user);
                break;
        }
    }

    /// <inheritdoc/>
    public void OnUnparsable(ReadOnlyMemory<byte> frame, string reason, SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(flow);
        // The transport has counted this frame in MalformedMessages already; counting here would double it.
        var response = UnparsableRequestResponder.TryCreate(frame.Span, reason, NewTag(), UserAgent);
        var answered = response is not null && flow.TrySend(response);
        Logger.UnparsableFrame(flow, answered ? "answered 400" : "dropped", reason);
    }

    /// <inheritdoc/>
    public void OnFlowClosed(SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);

        // A closed flow never reopens: client transactions on it fail (§17.1.4), server transactions can send nothing.
        foreach (var (_, client) in _clients)
        {
            if (ReferenceEquals(client.Flow, flow))
            {
                client.FailTransport();
            }
        }

        foreach (var (_, server) in _servers)
        {
            if (ReferenceEquals(server.Flow, flow))
            {
                server.Abandon();
            }
        }
    }

    internal ClientTransaction? TryStartClientTransaction(SipFlow flow, ReadOnlyMemory<byte> request, string branch, SipMethod method, IClientTransactionUser user, object? userState)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentException.ThrowIfNullOrEmpty(branch);
        ArgumentNullException.ThrowIfNull(user);
        if (method == SipMethod.Ack)
        {
            // §17: an ACK has no client transaction (for a non-2xx the layer sends it, for a 2xx it is sent as is).
            throw new ArgumentException("ACK is sent without a client transaction.", nameof(method));
        }

        var transaction = new ClientTransaction(this, flow, branch, method, request, user) { UserState = userState };
        if (!_clients.TryAdd(transaction.Key, transaction))
        {
            return null;
        }

        transaction.Start();
        return transaction;
    }

    internal void Remove(ServerTransaction transaction) => _servers.TryRemove(KeyValuePair.Create(transaction.Key, transaction));

    internal void Remove(ClientTransaction transaction) => _clients.TryRemove(KeyValuePair.Create(transaction.Key, transaction));

    private void OnRequest(SipRequest request, SipFlow flow, ITransactionUser user)
    {
        var hasKey = ServerTransactionKey.TryCreate(request, out var key);
        if (hasKey && _servers.TryGetValue(key, out var existing))
        {
            existing.OnRequestRetransmission();
            return;
        }

        var validation = SipMessageValidator.ValidateRequest(request);
        if (!validation.IsValid)
        {
            Refuse(request, flow, hasKey ? key : null, validation.StatusCode, validation.Reason ?? SipStatus.GetReasonPhrase(validation.StatusCode));
            return;
        }

        if (!hasKey)
        {
            Refuse(request, flow, null, 400, "Via branch lacks the RFC 3261 magic cookie");
            return;
        }

        var transaction = new ServerTransaction(this, key, request, flow);
        if (!_servers.TryAdd(key, transaction))
        {
            // A retransmission overtook this request on another flow or thread.
            if (_servers.TryGetValue(key, out existing))
            {
                existing.OnRequestRetransmission();
            }

            return;
        }

        _metrics.SipRequests.Increment(request.Method == SipMethod.Unknown ? OtherMethodLabel : request.MethodName);

        // §17.2.1: the INVITE server transaction answers 100 Trying itself unless the TU answers within 200 ms, which
        // a proxy waiting on a carrier cannot promise. A flow that refuses it has nothing to offer the TU either.
        if (transaction.IsInvite && !transaction.SendResponse(100, WithServer(SipResponses.Create(request, 100)).ToArray()))
        {
            return;
        }

        try
        {
            user.OnRequest(transaction);
        }
        catch (Exception exception)
        {
            Logger.CallbackFailed(exception, "ITransactionUser.OnRequest");
        }
    }

    private void OnAck(SipRequest ack, SipFlow flow, ITransactionUser user)
    {
        // §17: an ACK is never answered, so a malformed one, or one without a usable branch, is only dropped.
        var validation = SipMessageValidator.ValidateRequest(ack);
        if (!validation.IsValid || !ServerTransactionKey.TryCreate(ack, out var key))
        {
            _metrics.MalformedMessages.Increment(TransportLabel(flow));
            Logger.MalformedRequestDropped(flow, validation.Reason ?? "ACK without an RFC 3261 branch");
            return;
        }

        var disposition = _servers.TryGetValue(key, out var invite) ? invite.OnAck() : AckDisposition.ForUser;
        if (disposition == AckDisposition.Absorbed)
        {
            return;
        }

        _metrics.SipRequests.Increment(SipMethods.Ack);
        if (disposition == AckDisposition.Confirmed)
        {
            return;
        }

        try
        {
            user.OnAck(ack, flow);
        }
        catch (Exception exception)
        {
            Logger.CallbackFailed(exception, "ITransactionUser.OnAck");
        }
    }

    private void OnResponse(SipResponse response, SipFlow flow, ITransactionUser user)
    {
        // §18.1.2: a malformed response is discarded.
        if (SipMessageValidator.ValidateResponse(response) is { } error)
        {
            _metrics.MalformedMessages.Increment(TransportLabel(flow));
            Logger.MalformedResponseDropped(flow, error);
            return;
        }

        if (response.Via!.Branch is { } branch
            && _clients.TryGetValue(new ClientTransactionKey(branch, SipMethods.Parse(response.CSeq!.Method)), out var transaction))
        {
            transaction.OnResponse(response);
            return;
        }

        try
        {
            user.OnStrayResponse(response, flow);
        }
        catch (Exception exception)
        {
            Logger.CallbackFailed(exception, "ITransactionUser.OnStrayResponse");
        }
    }

    private void Refuse(SipRequest request, SipFlow flow, ServerTransactionKey? key, int statusCode, string reason)
    {
        _metrics.MalformedMessages.Increment(TransportLabel(flow));
        var addressable = request.Via is not null
            && request.Contains(HeaderId.From) && request.Contains(HeaderId.To) && request.Contains(HeaderId.CallId) && request.Contains(HeaderId.CSeq);
        if (!addressable)
        {
            Logger.MalformedRequestDropped(flow, reason);
            return;
        }

        Logger.MalformedRequestRefused(request.MethodName, flow, statusCode, reason);
        var response = WithServer(SipResponses.Create(request, statusCode, reason, NewTag())).ToArray();
        if (key is { } transactionKey)
        {
            var transaction = new ServerTransaction(this, transactionKey, request, flow);
            if (_servers.TryAdd(transactionKey, transaction))
            {
                transaction.SendResponse(statusCode, response);
                return;
            }
        }

        flow.TrySend(response);
    }

    /// <summary>Adds <see cref="UserAgent"/> as the Server header of a response SipTrunk generates (when set).</summary>
    internal SipMessageBuilder WithServer(SipMessageBuilder response) => AddProduct(response, HeaderId.Server);

    /// <summary>Adds <see cref="UserAgent"/> as <paramref name="header"/> (Server or User-Agent) when it is set.</summary>
    internal SipMessageBuilder AddProduct(SipMessageBuilder message, HeaderId header)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.IsNullOrEmpty(UserAgent) ? message : message.Add(header, UserAgent);
    }

    /// <summary>A To tag for responses the layer creates itself (§19.3: at least 32 random bits).</summary>
    private static string NewTag()
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return Convert.ToHexStringLower(random);
    }

    private static string TransportLabel(SipFlow flow) => flow.Transport switch
    {
        SipTransportKind.Udp => "udp",
        SipTransportKind.Tcp => "tcp",
        _ => "tls",
    };
}
