using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>The far end of transport tests: plain sockets and TLS clients on 127.0.0.1.</summary>
internal static class Wire
{
    /// <summary>How long a test waits for something that should happen at once before it fails (never a timing assertion).</summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(20);

    public static IPEndPoint Loopback0 => new(IPAddress.Loopback, 0);

    public static async Task<Socket> ConnectTcpAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint).WaitAsync(Patience);
        return socket;
    }

    /// <summary>
    /// A TLS client presenting <paramref name="clientCertificate"/> (sent even when the server's CA list does not name its
    /// issuer). The handshake error, if any, is returned rather than thrown: with TLS 1.3 a refused client certificate
    /// surfaces only on the first read.
    /// </summary>
    public static async Task<(Socket Socket, SslStream Tls, Exception? HandshakeError)> ConnectTlsAsync(
        IPEndPoint endPoint,
        X509Certificate2 serverCa,
        X509Certificate2? clientCertificate,
        SslProtocols protocols = SslProtocols.None,
        CipherSuitesPolicy? cipherSuites = null)
    {
        var socket = await ConnectTcpAsync(endPoint);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            CipherSuitesPolicy = cipherSuites,
            ClientCertificateContext = clientCertificate is null ? null : SslStreamCertificateContext.Create(clientCertificate, null, offline: true),
            RemoteCertificateValidationCallback = (_, certificate, _, _) => IsIssuedBy(certificate, serverCa),
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options).WaitAsync(Patience);
            return (socket, tls, null);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return (socket, tls, ex);
        }
    }

    /// <summary>Reads until the server closes the connection (end of stream, reset or a TLS alert).</summary>
    public static async Task WaitForCloseAsync(Stream stream)
    {
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Reads the raw socket until the peer's FIN or RST: after a TLS failure, proof that the server let go.</summary>
    public static async Task WaitForCloseAsync(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer).WaitAsync(Patience) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Whether the server has closed: TLS refusals reach the client as an alert, then a close.</summary>
    public static async Task WaitForTlsCloseAsync(Socket socket, SslStream tls, Exception? handshakeError)
    {
        if (handshakeError is null)
        {
            await WaitForCloseAsync(tls);
        }

        await WaitForCloseAsync(socket);
    }

    /// <summary>
    /// Advances fake time by <paramref name="step"/> until <paramref name="done"/> completes. The transport arms its
    /// timers asynchronously, so one advance may come too early; advancing again is what a clock would do.
    /// </summary>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Task done)
    {
        for (var i = 0; i < 1000 && !done.IsCompleted; i++)
        {
            time.Advance(step);
            await Task.WhenAny(done, Task.Delay(10));
        }

        Assert.True(done.IsCompleted, "the awaited event did not happen while time advanced");
        await done;
    }

    private static bool IsIssuedBy(X509Certificate? certificate, X509Certificate2 ca)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>A listening TCP socket on 127.0.0.1 that accepts only when told: a raw peer, a squatter, or a mute server.</summary>
    public static Socket ListenTcp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(Loopback0);
        socket.Listen();
        return socket;
    }

    /// <summary>A port nothing listens on (bound, then released).</summary>
    public static int UnusedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(Loopback0);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
