using System.Buffers.Binary;

namespace SipTrunk.Core.Media;

/// <summary>
/// Loss and interarrival jitter of the RTP one relay socket receives, as RFC 3550 Appendix A.1, A.3 and A.8 compute
/// them. One writer (the socket's receive loop); <see cref="Lost"/> and <see cref="Jitter"/> are published with
/// <see cref="Volatile"/> writes so any thread can read them. A new SSRC starts a new sequence (its loss adds to the
/// loss of the sources before it).
/// </summary>
internal sealed class RtpReceptionStats
{
    // RFC 3550 A.1.
    private const int SeqMod = 1 << 16;
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int MinSequential = 2;

    private bool _hasSource;
    private uint _ssrc;
    private int _maxSeq;
    private long _cycles;
    private int _baseSeq;
    private int _badSeq;
    private int _probation;
    private long _received;
    private long _lostBefore;
    private long _lost;

    private bool _hasTransit;
    private long _lastArrival;
    private uint _lastRtpTimestamp;
    private double _jitter;

    /// <summary>Packets lost so far (RFC 3550 A.3 cumulative loss, never negative), all SSRCs together.</summary>
    public long Lost => Volatile.Read(ref _lost);

    /// <summary>Interarrival jitter in RTP timestamp units (RFC 3550 A.8).</summary>
    public double Jitter => Volatile.Read(ref _jitter);

    /// <summary>Accounts one RTP packet (at least the 12-byte fixed header) that arrived at <paramref name="arrival"/>.</summary>
    /// <param name="rtp">The packet; only its fixed header is read, which SRTP leaves in the clear.</param>
    /// <param name="arrival">A <see cref="TimeProvider.GetTimestamp"/> value.</param>
    /// <param name="frequency">The <see cref="TimeProvider.TimestampFrequency"/> of <paramref name="arrival"/>.</param>
    /// <param name="clockRate">The stream's RTP clock rate.</param>
    public void Update(ReadOnlySpan<byte> rtp, long arrival, long frequency, int clockRate)
    {
        int seq = BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]);
        var timestamp = BinaryPrimitives.ReadUInt32BigEndian(rtp[4..]);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtp[8..]);
        if (!_hasSource || ssrc != _ssrc)
        {
            // RFC 3550 A.1: a new source is on probation until MinSequential packets arrive in sequence. The loss of
            // the previous SSRC (a re-INVITE, a PBX transfer) stays counted.
            _lostBefore = _lost;
            _hasSource = true;
            _ssrc = ssrc;
            InitSequence(seq);
            _maxSeq = (seq - 1) & (SeqMod - 1);
            _probation = MinSequential;
            _hasTransit = false;
        }

        if (UpdateSequence(seq))
        {
            // RFC 3550 A.3: expected minus received, which duplicates can push below zero.
            var expected = _cycles + _maxSeq - _baseSeq + 1;
            Volatile.Write(ref _lost, _lostBefore + Math.Max(0, expected - _received));
        }

        UpdateJitter(timestamp, arrival, frequency, clockRate);
    }

    private void InitSequence(int seq)
    {
        _baseSeq = seq;
        _maxSeq = seq;
        _badSeq = SeqMod + 1;
        _cycles = 0;
        _received = 0;
    }

    // RFC 3550 A.1 update_seq: false while the source is on probation or after a jump the next packet must confirm.
    private bool UpdateSequence(int seq)
    {
        var delta = (seq - _maxSeq) & (SeqMod - 1);
        if (_probation > 0)
        {
            if (seq == ((_maxSeq + 1) & (SeqMod - 1)))
            {
                _probation--;
                _maxSeq = seq;
                if (_probation == 0)
                {
                    InitSequence(seq);
                    _received++;
                    return true;
                }
            }
            else
            {
                _probation = MinSequential - 1;
                _maxSeq = seq;
            }

            return false;
        }

        if (delta < MaxDropout)
        {
            if (seq < _maxSeq)
            {
                // The sequence number wrapped.
                _cycles += SeqMod;
            }

            _maxSeq = seq;
        }
        else if (delta <= SeqMod - MaxMisorder)
        {
            // A large jump: the sender restarted without changing SSRC, or the packet is stray. Two in sequence resync.
            if (seq == _badSeq)
            {
                // Whatever was lost before the restart stays lost.
                _lostBefore = _lost;
                InitSequence(seq);
            }
            else
            {
                _badSeq = (seq + 1) & (SeqMod - 1);
                return false;
            }
        }

        // Otherwise a duplicate or a reordered packet: counted as received, max_seq unchanged.
        _received++;
        return true;
    }

    // RFC 3550 A.8: J += (|D(i-1,i)| - J) / 16, D being the difference of the relative transit times of two packets in
    // timestamp units. Arrival times are converted to the RTP clock as differences, so no absolute value overflows.
    private void UpdateJitter(uint timestamp, long arrival, long frequency, int clockRate)
    {
        if (_hasTransit && clockRate > 0)
        {
            var arrivalDelta = (double)(arrival - _lastArrival) * clockRate / frequency;
            var timestampDelta = (double)(int)(timestamp - _lastRtpTimestamp);
            var d = Math.Abs(arrivalDelta - timestampDelta);
            Volatile.Write(ref _jitter, _jitter + ((d - _jitter) / 16));
        }

        _hasTransit = true;
        _lastArrival = arrival;
        _lastRtpTimestamp = timestamp;
    }
}
