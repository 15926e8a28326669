using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SipTrunk.Sip.Framing;
using SipTrunk.Testing.Pki;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// A bare SIP-over-TLS client for tests that need to send exact bytes (malformed messages, unknown identities) and
/// read exact answers on one connection.
/// </summary>
public sealed class TlsSipClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly byte[] _buffer = new byte[65536];
    private int _buffered;

    private TlsSipClient(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
    }

    /// <summary>The negotiated protocol.</summary>
    public SslProtocols Protocol => _tls.SslProtocol;

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> and handshakes (verifying the server against the test CA), presenting <paramref name="certificate"/> if given.</summary>
    public static async Task<TlsSipClient> ConnectAsync(int port, CertificateFiles? certificate, string caCertificatePath, CancellationToken cancellationToken = default)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            var trust = new X509Certificate2Collection();
            trust.ImportFromPemFile(caCertificatePath);
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                    CustomTrustStore = { trust[0] },
                },
            };
            if (certificate is not null)
            {
                using var pem = X509Certificate2.CreateFromPemFile(certificate.CertificatePath, certificate.PrivateKeyPath);
                options.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
            }

            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return new TlsSipClient(tcp, tls);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="text"/> as is (Latin-1).</summary>
    public async Task SendAsync(string text, CancellationToken cancellationToken = default)
    {
        await _tls.WriteAsync(Encoding.Latin1.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await _tls.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next complete SIP message, or null when the server closed the connection (or refused the TLS session).</summary>
    public async Task<string?> ReadMessageAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var frame = SipFrameScanner.Scan(_buffer.AsSpan(0, _buffered), new Sip.Messages.SipLimits());
            if (frame.Status == FrameStatus.Message)
            {
                var text = Encoding.Latin1.GetString(_buffer, 0, frame.Length);
                Buffer.BlockCopy(_buffer, frame.Length, _buffer, 0, _buffered - frame.Length);
                _buffered -= frame.Length;
                return text;
            }

            if (frame.Status is FrameStatus.KeepAlivePing or FrameStatus.KeepAlivePong)
            {
                Buffer.BlockCopy(_buffer, frame.Length, _buffer, 0, _buffered - frame.Length);
                _buffered -= frame.Length;
                continue;
            }

            int read;
            try
            {
                read = await _tls.ReadAsync(_buffer.AsMemory(_buffered), cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or AuthenticationException or ObjectDisposedException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _buffered += read;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }
}
