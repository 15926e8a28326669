using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Sip.Sdp;

/// <summary>The RTCP port attribute <c>a=rtcp:&lt;port&gt; [&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;]</c> (RFC 3605 §2.1).</summary>
public sealed record SdpRtcp
{
    /// <summary>Creates the attribute value; <paramref name="port"/> must be 0-65535.</summary>
    public SdpRtcp(int port, SdpConnection? connection = null)
    {
        SdpText.ThrowIfNotPort(port, nameof(port));
        Port = port;
        Connection = connection;
    }

    /// <summary>The RTCP port.</summary>
    public int Port { get; }

    /// <summary>The RTCP address, when it differs from the media's <c>c=</c> address.</summary>
    public SdpConnection? Connection { get; }

    /// <summary>Parses the value after <c>a=rtcp:</c>.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpRtcp? rtcp)
    {
        rtcp = null;
        if (value is null)
        {
            return false;
        }

        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !SdpText.TryParsePort(parts[0], out int port))
        {
            return false;
        }

        SdpConnection? connection = null;
        if (parts.Length == 4)
        {
            if (!SdpConnection.TryCreate(parts[1], parts[2], parts[3], out connection))
            {
                return false;
            }
        }
        else if (parts.Length != 1)
        {
            return false;
        }

        rtcp = new SdpRtcp(port, connection);
        return true;
    }

    /// <summary>The wire form of the value (after <c>a=rtcp:</c>).</summary>
    public override string ToString() =>
        Connection is null ? SdpText.Invariant(Port) : string.Concat(SdpText.Invariant(Port), " ", Connection.ToString());
}
