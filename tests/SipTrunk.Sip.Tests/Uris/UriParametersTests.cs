using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Tests.Uris;

public sealed class UriParametersTests
{
    [Fact]
    public void With_NewAndExisting_KeepsOrderAndIsImmutable()
    {
        var empty = UriParameters.Empty;
        var one = empty.With("transport", "tcp");
        var two = one.With("lr", null);
        var replaced = two.With("TRANSPORT", "tls");

        Assert.Empty(empty);
        Assert.Single(one);
        Assert.Equal(["transport", "lr"], two.Select(p => p.Key));
        Assert.Equal("tls", replaced["transport"]);
        Assert.Equal("tcp", two["Transport"]);
        Assert.Equal("transport", replaced[0].Key);
    }

    [Fact]
    public void TryGetValue_FlagParameter_TrueWithNullValue()
    {
        var parameters = UriParameters.Empty.With("lr", null);

        Assert.True(parameters.TryGetValue("LR", out var value));
        Assert.Null(value);
        Assert.True(parameters.Contains("lr"));
        Assert.False(parameters.TryGetValue("maddr", out _));
        Assert.Null(parameters["maddr"]);
    }

    [Fact]
    public void Without_RemovesOnlyNamed()
    {
        var parameters = UriParameters.Empty.With("a", "1").With("b", "2").With("c", null);

        Assert.Equal(["a", "c"], parameters.Without("B").Select(p => p.Key));
        Assert.Same(parameters, parameters.Without("zzz"));
        Assert.Empty(UriParameters.Empty.With("a", null).Without("a"));
    }
}
