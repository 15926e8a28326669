using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>Recognises SDP bodies (RFC 3264 offers and answers) on SIP messages.</summary>
internal static class SdpBody
{
    /// <summary>Whether the message carries a non-empty <c>application/sdp</c> body.</summary>
    public static bool IsPresent(SipMessage message)
    {
        if (message.Body.IsEmpty || !message.TryGetFirstValue(HeaderId.ContentType, out var value))
        {
            return false;
        }

        var type = value.ToString().AsSpan();
        var semicolon = type.IndexOf(';');
        if (semicolon >= 0)
        {
            type = type[..semicolon];
        }

        return type.Trim().Equals("application/sdp", StringComparison.OrdinalIgnoreCase);
    }
}
