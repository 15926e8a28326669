using System.Collections;
using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// The properties every log line about a call carries (CONTRACT.md §6): <c>CallId</c>, <c>Peer</c> and, once known,
/// <c>Carrier</c>. Given to <see cref="ILogger.BeginScope{TState}"/> around the proxy's per-call work, so that lines
/// from the transaction layer and the media code, which know nothing of peers, carry them too; providers that read
/// key/value scopes (Serilog) attach each pair as a property. Absent values are left out rather than logged as null.
/// </summary>
internal sealed class CallLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _items;

    public CallLogScope(string? callId, string? peer, string? carrier)
    {
        var items = new List<KeyValuePair<string, object?>>(3);
        Add(items, "CallId", callId);
        Add(items, "Peer", peer);
        Add(items, "Carrier", carrier);
        _items = [.. items];
    }

    public int Count => _items.Length;

    public KeyValuePair<string, object?> this[int index] => _items[index];

    /// <summary>Begins a scope with the call's properties on <paramref name="logger"/> (and its factory's other loggers).</summary>
    public static IDisposable? Begin(ILogger logger, string? callId, string? peer, string? carrier) =>
        logger.BeginScope(new CallLogScope(callId, peer, carrier));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>What text-only providers print for the scope: <c>CallId:… Peer:… Carrier:…</c>.</summary>
    public override string ToString() => string.Join(' ', _items.Select(item => item.Key + ":" + item.Value));

    private static void Add(List<KeyValuePair<string, object?>> items, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            items.Add(new KeyValuePair<string, object?>(key, value));
        }
    }
}
