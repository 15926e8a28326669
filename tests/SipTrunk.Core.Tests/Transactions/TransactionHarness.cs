using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transactions;

/// <summary>A transaction layer on virtual time with a recording user, and helpers to feed it real messages.</summary>
internal sealed class TransactionHarness
{
    public TransactionHarness()
    {
        Layer = new TransactionLayer(User, TransactionTimers.Default, Time, Metrics, NullLogger<TransactionLayer>.Instance);
    }

    public FakeTimeProvider Time { get; } = new();

    public SipTrunkMetrics Metrics { get; } = new();

    public RecordingTransactionUser User { get; } = new();

    public TransactionLayer Layer { get; }

    public static TimeSpan T1 => TransactionTimers.Default.T1;

    public static TimeSpan T2 => TransactionTimers.Default.T2;

    public static TimeSpan T4 => TransactionTimers.Default.T4;

    public static TimeSpan SixtyFourT1 => TransactionTimers.Default.TransactionTimeout;

    /// <summary>
    /// Advances virtual time in 1 ms steps. FakeTimeProvider moves its clock to the target before it fires what is due,
    /// so a timer re-armed from a callback (Timers A, E, G) would otherwise be scheduled from the end of one big step.
    /// </summary>
    public void Advance(TimeSpan span)
    {
        var step = TimeSpan.FromMilliseconds(1);
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += step)
        {
            Time.Advance(span - elapsed < step ? span - elapsed : step);
        }
    }

    public TestFlow Flow(SipTransportKind transport = SipTransportKind.Tls, long id = 1) => new(transport, Time, id);

    public void Receive(string text, SipFlow flow) => Layer.OnMessage(SipText.Parse(text), flow);

    /// <summary>Receives a request and returns the server transaction the user got for it.</summary>
    public ServerTransaction ReceiveNew(string text, SipFlow flow)
    {
        var before = User.Requests.Count;
        Receive(text, flow);
        Assert.Equal(before + 1, User.Requests.Count);
        return User.Requests[^1];
    }

    /// <summary>A response to <paramref name="transaction"/>'s request, as bytes.</summary>
    public static byte[] ResponseTo(ServerTransaction transaction, int statusCode, string? toTag = "s1") =>
        SipResponses.Create(transaction.Request, statusCode, toTag: toTag).ToArray();

    /// <summary>Starts a client transaction for a request built by <see cref="SipText.Request"/> with a fresh branch.</summary>
    public ClientTransaction StartClient(SipFlow flow, string method, RecordingClientUser user, out string branch)
    {
        branch = TransactionLayer.NewBranch();
        var request = SipText.Request(method, branch, sentBy: "203.0.113.1:5061");
        return Layer.StartClientTransaction(flow, System.Text.Encoding.Latin1.GetBytes(request), branch, SipMethods.Parse(method), user);
    }

    /// <summary>The intervals between consecutive sends on <paramref name="flow"/>.</summary>
    public static IReadOnlyList<TimeSpan> Intervals(TestFlow flow)
    {
        var times = flow.SentTimes;
        return [.. times.Skip(1).Select((t, i) => t - times[i])];
    }
}
