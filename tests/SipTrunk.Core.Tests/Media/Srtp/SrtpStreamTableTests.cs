using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Core.Tests.Media.Srtp;

public class SrtpStreamTableTests
{
    [Fact]
    public void Add_Full_ReplacesTheLeastRecentlyTouched()
    {
        var table = new SrtpStreamTable<int>(3);
        var a = table.Add(1);
        table[a] = 11;
        table[table.Add(2)] = 22;
        table[table.Add(3)] = 33;
        table.Touch(a);

        var slot = table.Add(4);

        Assert.Equal(3, table.Count);
        Assert.Equal(-1, table.Find(2));
        Assert.Equal(slot, table.Find(4));
        Assert.Equal(0, table[slot]);
        Assert.Equal(11, table[table.Find(1)]);
        Assert.Equal(33, table[table.Find(3)]);
    }

    [Fact]
    public void Find_UnknownSsrc_MinusOne()
    {
        var table = new SrtpStreamTable<int>(2);
        table.Add(7);

        Assert.Equal(-1, table.Find(8));
        Assert.Equal(0, table.Find(7));
    }
}
