using System.Net;

namespace SipTrunk.Core.Transport;

/// <summary>Counts inbound connections per remote IP address and refuses those over the limit (CONTRACT.md §3).</summary>
internal sealed class ConnectionLimiter(int limit)
{
    private readonly Dictionary<IPAddress, int> _counts = [];
    private readonly Lock _lock = new();

    public int Limit => limit;

    /// <summary>Counts one more connection from <paramref name="address"/>, unless that would exceed the limit.</summary>
    public bool TryAcquire(IPAddress address)
    {
        lock (_lock)
        {
            _counts.TryGetValue(address, out var count);
            if (count >= limit)
            {
                return false;
            }

            _counts[address] = count + 1;
            return true;
        }
    }

    public void Release(IPAddress address)
    {
        lock (_lock)
        {
            if (_counts.TryGetValue(address, out var count))
            {
                if (count <= 1)
                {
                    _counts.Remove(address);
                }
                else
                {
                    _counts[address] = count - 1;
                }
            }
        }
    }
}
