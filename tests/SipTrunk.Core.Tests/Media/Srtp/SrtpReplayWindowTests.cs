using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Core.Tests.Media.Srtp;

public class SrtpReplayWindowTests
{
    [Fact]
    public void IsReplay_AcceptedAndOlderThanWindow_True()
    {
        var window = SrtpReplayWindow.Start(1000);
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
        var window = SrtpReplayWindow.Start(10);
        window.Accept(9);

        window.Accept(10 + SrtpReplayWindow.Size + 50);

        Assert.Equal(10UL + SrtpReplayWindow.Size + 50, window.Highest);
        Assert.True(window.IsReplay(10 + SrtpReplayWindow.Size + 50));
        Assert.False(window.IsReplay(10 + SrtpReplayWindow.Size + 49));
    }

    [Fact]
    public void Accept_SlideByLessThanWindow_KeepsOlderEntries()
    {
        var window = SrtpReplayWindow.Start(100);
        window.Accept(98);

        window.Accept(200);

        Assert.True(window.IsReplay(100));
        Assert.True(window.IsReplay(98));
        Assert.False(window.IsReplay(99));
        Assert.True(window.IsReplay(200 - SrtpReplayWindow.Size));
    }
}
