namespace SipTrunk.Core.Transport;

/// <summary>A listener could not be bound, or an outbound flow could not be opened; the message says why.</summary>
public sealed class SipTransportException : Exception
{
    /// <summary>Creates an exception without a message.</summary>
    public SipTransportException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public SipTransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause (typically a <see cref="System.Net.Sockets.SocketException"/>).</summary>
    public SipTransportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a refused TLS handshake.</summary>
    public SipTransportException(string message, HandshakeFailureReason handshakeFailure, Exception? innerException = null)
        : base(message, innerException)
    {
        HandshakeFailure = handshakeFailure;
    }

    /// <summary>Why the TLS handshake was refused, when that is what failed; null for bind, DNS or TCP failures.</summary>
    public HandshakeFailureReason? HandshakeFailure { get; }
}
