using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Core.Tests.Media.Srtp;

public class SrtpPacketIndexTests
{
    [Theory]
    [InlineData(0x0000_0010UL, 11, 0x0000_000BL)]
    [InlineData(0x0000_0010UL, 40000, -1L)]
    [InlineData(0x0001_0010UL, 40000, 0x0000_9C40L)]
    [InlineData(0x0000_FFF0UL, 5, 0x0001_0005L)]
    [InlineData(0x0000_FFF0UL, 40000, 0x0000_9C40L)]
    [InlineData(0x0001_0002UL, 65535, 0x0000_FFFFL)]
    [InlineData(0x0001_8000UL, 0, 0x0001_0000L)]
    [InlineData(0x0001_8001UL, 0, 0x0002_0000L)]
    public void Estimate_RocAndHighestSequence_GuessesPerAppendixA(ulong highest, int sequence, long expected)
    {
        Assert.Equal(expected, SrtpPacketIndex.Estimate(highest, (ushort)sequence));
    }
}
