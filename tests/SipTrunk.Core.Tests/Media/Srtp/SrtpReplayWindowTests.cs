using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Core.Tests.Media.Srtp;

public class SrtpReplayWindowTests
{
    [Fact]
    public void IsReplay_Empty_FalseUntilTheFirstAccept()
    {
        var window = default(SrtpReplayWindow);

        Assert.False(window.IsReplay(0));
        Assert.False(window.HasAccepted);
        window.Accept(5000);
        Assert.True(window.HasAccepted);
        Assert.Equal(5000UL, window.Highest);
        Assert.True(window.IsReplay(0));
        Assert.True(window.IsReplay(5000));
    }

    [Fact]
    public void IsReplay_AcceptedAndOlderThanWindow_True()
    {
        var window = Started(1000);
        window.Accept(990);

        Assert.True(window.IsReplay(1000));
        Assert.True(window.IsReplay(990));
        Assert.True(window.IsReplay(1000 - SrtpReplayWindow.Size));
        Assert.False(window.IsReplay(1000 - SrtpReplayWindow.Size + 1));
        Assert.False(window.IsReplay(999));
        Assert.False(window.IsReplay(1001));
    }

    [Fact]
    public void Accept_JumpBeyondWindow_ForgetsEverythingBefore()
    {
        var window = Started(10);
        window.Accept(9);

        window.Accept(10 + SrtpReplayWindow.Size + 50);

        Assert.Equal(10UL + SrtpReplayWindow.Size + 50, window.Highest);
        Assert.True(window.IsReplay(10 + SrtpReplayWindow.Size + 50));
        Assert.False(window.IsReplay(10 + SrtpReplayWindow.Size + 49));
    }

    [Fact]
    public void Accept_SlideByLessThanWindow_KeepsOlderEntries()
    {
        var window = Started(100);
        window.Accept(98);

        window.Accept(200);

        Assert.True(window.IsReplay(100));
        Assert.True(window.IsReplay(98));
        Assert.False(window.IsReplay(99));
        Assert.True(window.IsReplay(200 - SrtpReplayWindow.Size));
    }

    private static SrtpReplayWindow Started(ulong index)
    {
        var window = default(SrtpReplayWindow);
        window.Accept(index);
        return window;
    }
}
