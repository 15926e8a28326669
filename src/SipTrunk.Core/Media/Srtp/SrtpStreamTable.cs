namespace SipTrunk.Core.Media.Srtp;

/// <summary>
/// The per-SSRC state of one packet kind, in a small fixed table: a relay leg sees one SSRC, or a few when a party
/// changes it, so a linear scan beats hashing and nothing is allocated after construction. When full, the entry used
/// least recently is replaced, so a peer cycling through SSRCs cannot grow it. Lookups do not count as use: only a
/// packet that was processed (authenticated, when receiving) refreshes its entry.
/// </summary>
internal sealed class SrtpStreamTable<T>
    where T : struct
{
    private readonly uint[] _ssrcs;
    private readonly T[] _streams;
    private readonly long[] _lastUsed;
    private long _clock;

    public SrtpStreamTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ssrcs = new uint[capacity];
        _streams = new T[capacity];
        _lastUsed = new long[capacity];
    }

    /// <summary>Entries in use.</summary>
    public int Count { get; private set; }

    /// <summary>The slot holding <paramref name="ssrc"/>, or -1.</summary>
    public int Find(uint ssrc)
    {
        var ssrcs = _ssrcs.AsSpan(0, Count);
        for (var i = 0; i < ssrcs.Length; i++)
        {
            if (ssrcs[i] == ssrc)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The state in <paramref name="slot"/>, by reference.</summary>
    public ref T this[int slot] => ref _streams[slot];

    /// <summary>Takes a slot for <paramref name="ssrc"/> (not present), with default state; evicts the least recently used when full.</summary>
    public int Add(uint ssrc)
    {
        int slot;
        if (Count < _ssrcs.Length)
        {
            slot = Count++;
        }
        else
        {
            slot = 0;
            for (var i = 1; i < _lastUsed.Length; i++)
            {
                if (_lastUsed[i] < _lastUsed[slot])
                {
                    slot = i;
                }
            }
        }

        _ssrcs[slot] = ssrc;
        _streams[slot] = default;
        Touch(slot);
        return slot;
    }

    /// <summary>
    /// The state of <paramref name="ssrc"/> once a packet of it went through: the <paramref name="slot"/>
    /// <see cref="Find"/> gave, or a new one when that was -1; either way marked as just used.
    /// </summary>
    public ref T Use(int slot, uint ssrc)
    {
        if (slot < 0)
        {
            slot = Add(ssrc);
        }
        else
        {
            Touch(slot);
        }

        return ref _streams[slot];
    }

    /// <summary>Marks <paramref name="slot"/> as just used.</summary>
    public void Touch(int slot) => _lastUsed[slot] = ++_clock;
}
