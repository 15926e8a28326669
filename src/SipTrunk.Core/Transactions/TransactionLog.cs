using Microsoft.Extensions.Logging;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>The transaction layer's log events (EventIds 3000–3099).</summary>
internal static partial class TransactionLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Error, Message = "Message from {Flow} dropped: no transaction user attached yet")]
    public static partial void NoUserAttached(this ILogger logger, SipFlow flow);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Malformed {Method} request from {Flow} refused with {StatusCode} {Reason}")]
    public static partial void MalformedRequestRefused(this ILogger logger, string method, SipFlow flow, int statusCode, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Malformed request from {Flow} dropped: {Reason}")]
    public static partial void MalformedRequestDropped(this ILogger logger, SipFlow flow, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Malformed response from {Flow} dropped: {Reason}")]
    public static partial void MalformedResponseDropped(this ILogger logger, SipFlow flow, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Unparsable frame from {Flow} ({Answer}): {Reason}")]
    public static partial void UnparsableFrame(this ILogger logger, SipFlow flow, string answer, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Client transaction {Method} {Branch} on {Flow} timed out")]
    public static partial void ClientTimedOut(this ILogger logger, SipMethod method, string branch, SipFlow flow);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Client transaction {Method} {Branch} failed: {Flow} refused the request or closed")]
    public static partial void ClientTransportError(this ILogger logger, SipMethod method, string branch, SipFlow flow);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Debug, Message = "Server transaction {Branch} on {Flow}: no ACK for {StatusCode} before Timer H")]
    public static partial void ServerAckTimedOut(this ILogger logger, string branch, SipFlow flow, int statusCode);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "Server transaction {Branch} ended: {Flow} refused a response or closed")]
    public static partial void ServerTransportError(this ILogger logger, string branch, SipFlow flow);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "Transaction user callback {Callback} threw")]
    public static partial void CallbackFailed(this ILogger logger, Exception exception, string callback);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Cannot build {Method} for client transaction {Branch}: the stored INVITE does not parse ({Reason})")]
    public static partial void FollowUpNotBuilt(this ILogger logger, string method, string branch, string reason);
}
