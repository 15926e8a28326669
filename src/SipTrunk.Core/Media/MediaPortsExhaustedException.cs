namespace SipTrunk.Core.Media;

/// <summary>No free RTP/RTCP port pair is left in <c>Media:PortRange</c>.</summary>
public sealed class MediaPortsExhaustedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MediaPortsExhaustedException()
        : base("No free media port pair is left in Media:PortRange.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MediaPortsExhaustedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MediaPortsExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
