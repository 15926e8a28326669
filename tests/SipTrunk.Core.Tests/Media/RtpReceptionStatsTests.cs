using SipTrunk.Core.Media;

namespace SipTrunk.Core.Tests.Media;

public class RtpReceptionStatsTests
{
    private const long Frequency = 1000;
    private readonly RtpReceptionStats _stats = new();

    [Fact]
    public void Update_SequenceWrapsAround_NoLoss()
    {
        Feed(65533, 65534, 65535, 0, 1, 2);

        Assert.Equal(0, _stats.Lost);
    }

    [Fact]
    public void Update_GapAcrossTheWrap_CountsTheMissingPackets()
    {
        Feed(65533, 65534, 1, 2);

        Assert.Equal(2, _stats.Lost);
    }

    [Fact]
    public void Update_DuplicatesAndReordering_LossNeverNegative()
    {
        Feed(10, 11, 12, 12, 12, 11, 13);

        Assert.Equal(0, _stats.Lost);
    }

    [Fact]
    public void Update_ReorderedPacketArrivesLate_NotLost()
    {
        Feed(10, 11, 13, 12, 14);

        Assert.Equal(0, _stats.Lost);
    }

    [Fact]
    public void Update_OneHugeJump_IgnoredUntilConfirmedThenResynchronized()
    {
        // RFC 3550 A.1: a jump of more than MAX_DROPOUT is a restart only when the next packet follows it.
        Feed(10, 11, 12, 30000);
        Assert.Equal(0, _stats.Lost);

        Feed(30001, 30003);
        Assert.Equal(1, _stats.Lost);
    }

    [Fact]
    public void Update_NewSsrc_KeepsTheLossOfTheOldOne()
    {
        Feed(ssrc: 1, 1, 2, 4, 5);
        Feed(ssrc: 2, 900, 901, 903);

        Assert.Equal(2, _stats.Lost);
    }

    [Fact]
    public void Update_SteadyArrivals_NoJitter()
    {
        for (var i = 0; i < 10; i++)
        {
            _stats.Update(RtpPackets.Rtp((ushort)i, timestamp: (uint)(i * 160)), arrival: i * 20, Frequency, clockRate: 8000);
        }

        Assert.Equal(0, _stats.Jitter);
    }

    [Fact]
    public void Update_RtpTimestampWraps_JitterUnaffected()
    {
        uint start = uint.MaxValue - 200;
        for (var i = 0; i < 4; i++)
        {
            _stats.Update(RtpPackets.Rtp((ushort)i, timestamp: unchecked(start + (uint)(i * 160))), arrival: i * 20, Frequency, clockRate: 8000);
        }

        Assert.Equal(0, _stats.Jitter);
    }

    [Fact]
    public void Update_OneLatePacket_JitterIsOneSixteenthOfTheDelay()
    {
        _stats.Update(RtpPackets.Rtp(1, timestamp: 0), arrival: 0, Frequency, clockRate: 8000);
        _stats.Update(RtpPackets.Rtp(2, timestamp: 160), arrival: 40, Frequency, clockRate: 8000);

        // |40 ms - 20 ms| = 160 units at 8 kHz; J = 160 / 16.
        Assert.Equal(10, _stats.Jitter, 9);
    }

    private void Feed(params int[] sequence) => Feed(0x1234_5678, sequence);

    private void Feed(uint ssrc, params int[] sequence)
    {
        foreach (var seq in sequence)
        {
            _stats.Update(RtpPackets.Rtp((ushort)seq, ssrc: ssrc), arrival: 0, Frequency, clockRate: 8000);
        }
    }
}
