using SipTrunk.Testing.Pki;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// A carrier (or a PBX SipTrunk calls) for tests: a SIPp UAS on plain TCP behind a server-mode stunnel that presents
/// the carrier's certificate and requires a client certificate chaining to the test CA.
/// </summary>
public sealed class SippCarrier : IAsyncDisposable
{
    private SippCarrier(SippProcess uas, StunnelProcess stunnel)
    {
        Uas = uas;
        Stunnel = stunnel;
    }

    /// <summary>The answering SIPp.</summary>
    public SippProcess Uas { get; }

    /// <summary>The TLS front.</summary>
    public StunnelProcess Stunnel { get; }

    /// <summary>The 127.0.0.1 port to connect to with TLS (a carrier <c>Uri</c> of <c>sips:127.0.0.1:TlsPort</c>).</summary>
    public int TlsPort => Stunnel.AcceptPort;

    /// <summary>Starts the UAS with <paramref name="uasOptions"/>, then its stunnel; both are listening when this returns.</summary>
    public static async Task<SippCarrier> StartAsync(
        SippOptions uasOptions, CertificateFiles certificate, string caCertificatePath, CancellationToken cancellationToken = default)
    {
        var uas = await SippProcess.StartAsync(uasOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var stunnel = await StunnelProcess.StartServerAsync(uas.LocalPort, certificate, caCertificatePath, cancellationToken)
                .ConfigureAwait(false);
            return new SippCarrier(uas, stunnel);
        }
        catch
        {
            await uas.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A carrier running the UAS scenario <paramref name="scenarioPath"/> (see <see cref="SippScenarios"/>).</summary>
    public static Task<SippCarrier> StartAsync(
        string scenarioPath, CertificateFiles certificate, string caCertificatePath, CancellationToken cancellationToken = default) =>
        StartAsync(SippOptions.Server(scenarioPath), certificate, caCertificatePath, cancellationToken);

    /// <summary>Both processes' state and logs, for assertion messages.</summary>
    public string Describe() => $"=== carrier stunnel\n{Stunnel.Describe()}\n=== carrier SIPp\n{Uas.Describe()}";

    /// <summary>Stops the stunnel, then the UAS.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Stunnel.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await Uas.DisposeAsync().ConfigureAwait(false);
        }
    }
}
