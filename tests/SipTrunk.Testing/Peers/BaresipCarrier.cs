using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// A baresip as the carrier SipTrunk dials: a TLS listener on 127.0.0.1 presenting a carrier certificate from the
/// test PKI, answering calls to one number (<see cref="BaresipCarrierOptions"/>). Point a carrier at
/// <see cref="Uri"/> with <c>TlsServerName</c> = the certificate's name, and route the number to it.
/// </summary>
/// <remarks>
/// What makes it work, found by running baresip 1.0.0: <c>sip_listen 127.0.0.1:P</c> opens UDP and TCP on P and TLS on
/// P+1; <c>sip_certificate</c> (certificate and key in one PEM) is the TLS server certificate; baresip asks for no
/// client certificate. The account <c>&lt;sip:NUMBER@127.0.0.1;transport=tls&gt;;regint=0;answermode=auto</c>
/// registers nowhere and takes an INVITE for <c>sips:NUMBER@127.0.0.1:P+1</c>: baresip 1.0 matches the Request-URI
/// user against each account's Contact user, then its AOR user, then a catch-all account (which only its C API can
/// set), and answers 404 otherwise.
/// </remarks>
public sealed class BaresipCarrier : IAsyncDisposable
{
    private BaresipCarrier(BaresipProcess baresip, BaresipCarrierOptions options, int sipPort)
    {
        Baresip = baresip;
        Options = options;
        SipPort = sipPort;
    }

    /// <summary>The answering baresip.</summary>
    public BaresipProcess Baresip { get; }

    /// <summary>What it was started with.</summary>
    public BaresipCarrierOptions Options { get; }

    /// <summary>The <c>sip_listen</c> port (UDP and TCP).</summary>
    public int SipPort { get; }

    /// <summary>The 127.0.0.1 port its TLS listener accepts on.</summary>
    public int TlsPort => SipPort + 1;

    /// <summary>The carrier <c>Uri</c> for SipTrunk's configuration: <c>sips:127.0.0.1:TlsPort</c>.</summary>
    public string Uri => string.Create(CultureInfo.InvariantCulture, $"sips:127.0.0.1:{TlsPort}");

    /// <summary>Starts baresip and returns once it listens for TLS.</summary>
    /// <exception cref="InvalidOperationException">baresip ended first (the message holds its output).</exception>
    /// <exception cref="TimeoutException">It did not listen within 10 s.</exception>
    public static async Task<BaresipCarrier> StartAsync(BaresipCarrierOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sipPort = options.SipPort == 0 ? PickSipPort() : options.SipPort;
        var baresip = await BaresipProcess.StartCarrierAsync(options, sipPort, cancellationToken).ConfigureAwait(false);
        return new BaresipCarrier(baresip, options, sipPort);
    }

    /// <summary>baresip's state and log, for assertion messages.</summary>
    public string Describe() => $"=== carrier baresip (TLS {TlsPort})\n{Baresip.Describe()}";

    /// <summary>Stops baresip.</summary>
    public ValueTask DisposeAsync() => Baresip.DisposeAsync();

    // A port P with UDP P, TCP P and TCP P+1 free right now (see FreePort for the race this leaves).
    private static int PickSipPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = FreePort.Tcp();
            if (port < IPEndPoint.MaxPort && CanBind(SocketType.Stream, ProtocolType.Tcp, port + 1) && CanBind(SocketType.Dgram, ProtocolType.Udp, port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free 127.0.0.1 port pair for baresip's SIP and TLS listeners");
    }

    private static bool CanBind(SocketType type, ProtocolType protocol, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
