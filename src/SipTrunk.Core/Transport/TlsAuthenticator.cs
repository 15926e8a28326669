using System.ComponentModel;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SipTrunk.Core.Transport;

/// <summary>
/// Runs the server and client sides of TLS handshakes with SipTrunk's certificate and policy (ARCHITECTURE.md "TLS"):
/// TLS 1.2/1.3 only, ECDHE+AEAD suites, no renegotiation, certificates judged by <see cref="CertificateVerifier"/>.
/// Timeouts are the caller's cancellation token.
/// </summary>
internal sealed class TlsAuthenticator
{
    private readonly TimeProvider _time;
    private TlsMaterial _material;

    public TlsAuthenticator(TlsSettings settings, TimeProvider time)
    {
        _material = new TlsMaterial(settings);
        _time = time;
    }

    /// <summary>The settings new handshakes use.</summary>
    public TlsSettings Settings => Volatile.Read(ref _material).Settings;

    /// <summary>
    /// Swaps in new certificates, CAs and revocation lists (a reload): handshakes that start from now on use them;
    /// established connections are untouched.
    /// </summary>
    public void Update(TlsSettings settings) => Volatile.Write(ref _material, new TlsMaterial(settings));

    /// <summary>
    /// Accepts a TLS client on <paramref name="inner"/>, which the returned stream owns; a cancelled handshake is a
    /// <see cref="HandshakeFailureReason.Timeout"/> failure.
    /// </summary>
    public async Task<TlsHandshakeResult> AuthenticateAsServerAsync(
        Stream inner, ClientCertificateRequirement requirement, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var verdict = new Verdict();
        var material = Volatile.Read(ref _material);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = material.ServerContext,
            ClientCertificateRequired = requirement != ClientCertificateRequirement.None,
            EnabledSslProtocols = material.Settings.Protocols,
            CipherSuitesPolicy = material.CipherSuites,
            AllowRenegotiation = false,
            AllowTlsResume = material.Settings.SessionResumption,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                VerifyClient(material.Settings, verdict, certificate, chain, requirement),
        };

        return await HandshakeAsync(ssl, verdict, () => ssl.AuthenticateAsServerAsync(options, cancellationToken));
    }

    /// <summary>
    /// Opens TLS toward <paramref name="target"/> on <paramref name="inner"/>, presenting our certificate; a cancelled
    /// handshake is a <see cref="HandshakeFailureReason.Timeout"/> failure.
    /// </summary>
    public async Task<TlsHandshakeResult> AuthenticateAsClientAsync(Stream inner, OutboundTarget target, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var verdict = new Verdict();
        var material = Volatile.Read(ref _material);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = target.EffectiveServerName,
            ClientCertificateContext = material.ClientContext,
            EnabledSslProtocols = material.Settings.Protocols,
            CipherSuitesPolicy = material.CipherSuites,
            AllowRenegotiation = false,
            AllowTlsResume = material.Settings.SessionResumption,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                VerifyServer(material.Settings, verdict, certificate, chain, target),
        };

        return await HandshakeAsync(ssl, verdict, () => ssl.AuthenticateAsClientAsync(options, cancellationToken));
    }

    private static async Task<TlsHandshakeResult> HandshakeAsync(SslStream ssl, Verdict verdict, Func<Task> handshake)
    {
        try
        {
            await handshake();
        }
        catch (OperationCanceledException)
        {
            // The caller's token is its timeout (or shutdown, which the caller recognises and does not count).
            return new TlsHandshakeResult(ssl, null, HandshakeFailureReason.Timeout, "handshake not finished in time", verdict.PeerSubject);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or Win32Exception or ObjectDisposedException)
        {
            // No verdict means the certificate was never judged: version, cipher or a broken/aborted handshake.
            var failure = verdict.Failure ?? HandshakeFailureReason.Protocol;
            return new TlsHandshakeResult(ssl, null, failure, verdict.Detail ?? ex.Message, verdict.PeerSubject);
        }

        var remote = ssl.RemoteCertificate is { } certificate ? CertificateVerifier.AsCertificate2(certificate) : null;
        var session = new TlsSessionInfo(
            ssl.SslProtocol,
            ssl.NegotiatedCipherSuite,
            remote?.Subject,
            remote is null ? [] : SubjectAltNames.Read(remote).PeerIdentities,
            remote is null ? null : CertificateVerifier.Sha256Hex(remote));
        return new TlsHandshakeResult(ssl, session, null, null, remote?.Subject);
    }

    private bool VerifyClient(TlsSettings settings, Verdict verdict, X509Certificate? certificate, X509Chain? chain, ClientCertificateRequirement requirement)
    {
        if (certificate is null)
        {
            if (requirement == ClientCertificateRequirement.Require)
            {
                return verdict.Refuse(HandshakeFailureReason.NoCertificate, "no client certificate");
            }

            return true;
        }

        var leaf = CertificateVerifier.AsCertificate2(certificate);
        verdict.PeerSubject = leaf.Subject;
        var failure = CertificateVerifier.VerifyChain(
            leaf, chain, settings.TrustedCaCertificates, CertificateVerifier.ClientAuthOid, _time.GetUtcNow(), settings.RevocationLists);
        return failure is not { } reason || verdict.Refuse(reason, $"client certificate {reason.ToLabel()}");
    }

    private bool VerifyServer(TlsSettings settings, Verdict verdict, X509Certificate? certificate, X509Chain? chain, OutboundTarget target)
    {
        if (certificate is null)
        {
            return verdict.Refuse(HandshakeFailureReason.NoCertificate, "the server sent no certificate");
        }

        var leaf = CertificateVerifier.AsCertificate2(certificate);
        verdict.PeerSubject = leaf.Subject;
        var failure = CertificateVerifier.VerifyChain(
            leaf, chain, target.TrustedCaCertificates, CertificateVerifier.ServerAuthOid, _time.GetUtcNow(), settings.RevocationLists);
        if (failure is { } reason)
        {
            return verdict.Refuse(reason, reason.ToLabel());
        }

        var name = target.EffectiveServerName;
        if (!SubjectAltNames.Read(leaf).Matches(name))
        {
            return verdict.Refuse(HandshakeFailureReason.UnknownIdentity, $"the certificate does not name {name}");
        }

        if (target.Sha256Pin is { } pin && !string.Equals(CertificateVerifier.Sha256Hex(leaf), pin, StringComparison.OrdinalIgnoreCase))
        {
            return verdict.Refuse(HandshakeFailureReason.UnknownIdentity, "the certificate does not match the SHA-256 pin");
        }

        return true;
    }

    /// <summary>What the validation callback decided, read after the handshake throws.</summary>
    private sealed class Verdict
    {
        public HandshakeFailureReason? Failure { get; private set; }

        public string? Detail { get; private set; }

        public string? PeerSubject { get; set; }

        public bool Refuse(HandshakeFailureReason reason, string detail)
        {
            Failure = reason;
            Detail = detail;
            return false;
        }
    }
}
