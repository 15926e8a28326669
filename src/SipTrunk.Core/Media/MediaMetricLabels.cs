namespace SipTrunk.Core.Media;

/// <summary>Label values of <c>siptrunk_media_packets_total</c> and <c>siptrunk_media_packets_dropped_total</c>.</summary>
internal static class MediaMetricLabels
{
    public const string In = "in";
    public const string Out = "out";
    public const string AuthFailed = "auth-failed";
    public const string Replayed = "replayed";
    public const string Malformed = "malformed";
    public const string UnlatchedSource = "unlatched-source";
    public const string Inactive = "inactive";
    public const string NoTarget = "no-target";

    /// <summary>The kernel refused the send (send buffer full, no route).</summary>
    public const string SendFailed = "send-failed";
}
