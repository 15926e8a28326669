using System.Security.Cryptography;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// The health check toward a carrier: an OPTIONS over the carrier's connection (RFC 3261 §11). Any response, whatever
/// its code, proves the carrier alive; no response within the probe timeout, or no connection, is a failure.
/// </summary>
public sealed class CarrierOptionsProbe : ICarrierProbe
{
    private readonly SipProxy _proxy;

    /// <summary>Creates a probe sending through <paramref name="proxy"/>'s transports and transactions.</summary>
    public CarrierOptionsProbe(SipProxy proxy) => _proxy = proxy;

    /// <inheritdoc/>
    public async Task<bool> ProbeAsync(CarrierDefinition carrier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        SipFlow flow;
        try
        {
            flow = await _proxy.Flows.ConnectAsync(carrier, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Not reaching the carrier is exactly what a failed probe means.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }

        var branch = TransactionLayer.NewBranch();
        var domain = string.IsNullOrEmpty(_proxy.Settings.Domain) ? "siptrunk.invalid" : _proxy.Settings.Domain;
        var options = SipMessageBuilder.Request("OPTIONS", carrier.Uri.WithoutHeaders().ToString())
            .Add(HeaderId.Via, _proxy.Messages.CreateVia(flow, branch))
            .Add(HeaderId.MaxForwards, "70")
            .Add(HeaderId.From, $"<sip:siptrunk@{domain}>;tag={ProxyMessageFactory.NewTag()}")
            .Add(HeaderId.To, $"<{carrier.Uri.WithoutHeaders()}>")
            .Add(HeaderId.CallId, RandomNumberGenerator.GetHexString(24, lowercase: true))
            .Add(HeaderId.CSeq, "1 OPTIONS")
            .Add(HeaderId.Accept, "application/sdp");
        var request = _proxy.Transactions.AddProduct(options, HeaderId.UserAgent).ToArray();
        var waiter = new ProbeWaiter();
        _proxy.Transactions.StartClientTransaction(flow, request, branch, SipMethod.Options, waiter);
        try
        {
            return await waiter.Task.WaitAsync(_proxy.Settings.ProbeTimeout, _proxy.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private sealed class ProbeWaiter : IClientTransactionUser
    {
        private readonly TaskCompletionSource<bool> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<bool> Task => _result.Task;

        public void OnResponse(ClientTransaction transaction, SipResponse response) => _result.TrySetResult(true);

        public void OnTimeout(ClientTransaction transaction) => _result.TrySetResult(false);

        public void OnTransportError(ClientTransaction transaction) => _result.TrySetResult(false);
    }
}
