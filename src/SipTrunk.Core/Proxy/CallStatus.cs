namespace SipTrunk.Core.Proxy;

/// <summary>The CDR <c>status</c> values (CONTRACT.md §5) and how a final response maps to them.</summary>
public static class CallStatus
{
    public const string Answered = "answered";
    public const string Busy = "busy";
    public const string NoAnswer = "no-answer";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string Rejected = "rejected";

    /// <summary>The status of a call that ended with <paramref name="sipCode"/> and no answer.</summary>
    public static string FromFinalResponse(int sipCode, bool cancelledByCaller) => sipCode switch
    {
        _ when cancelledByCaller => Cancelled,
        486 or 600 => Busy,
        408 or 480 => NoAnswer,
        487 => Cancelled,
        401 or 403 or 407 or 404 or 484 or 488 or 606 => Rejected,
        _ => Failed,
    };
}
