using SipTrunk.Core.Routing;

namespace SipTrunk.Core.Tests.Routing;

public class RouteTableTests
{
    private static readonly CarrierDefinition[] Carriers =
        [TestCarriers.Create("carrier-1"), TestCarriers.Create("carrier-2"), TestCarriers.Create("carrier-3")];

    [Theory]
    [InlineData("+441632960123", "+4416")]
    [InlineData("+447700900123", "+44")]
    [InlineData("+44", "+44")]
    [InlineData("+4416", "+4416")]
    [InlineData("+12125550100", "")]
    [InlineData("+4", "")]
    public void Match_SeveralPrefixes_LongestMatchingPrefixWins(string number, string expectedPrefix)
    {
        var table = new RouteTable(
            [new("+44", ["carrier-1"]), new("", ["carrier-3"]), new("+4416", ["carrier-2"])],
            Carriers);

        Assert.Equal(expectedPrefix, table.Match(number)?.Prefix);
    }

    [Theory]
    [InlineData("+12125550100")]
    [InlineData("+441")]
    [InlineData("")]
    public void Match_NoDefaultRouteAndNoPrefixMatches_ReturnsNull(string number)
    {
        var table = new RouteTable([new("+4416", ["carrier-1"])], Carriers);

        Assert.Null(table.Match(number));
    }

    [Fact]
    public void Match_EmptyNumberWithDefaultRoute_ReturnsDefault()
    {
        var table = new RouteTable([new("+44", ["carrier-1"]), new("", ["carrier-2"])], Carriers);

        Assert.Equal("", table.Match("")?.Prefix);
    }

    [Fact]
    public void Match_ReturnsTheConfiguredRouteInstance()
    {
        var route = new RouteDefinition("+44", ["carrier-1"]);
        var table = new RouteTable([route], Carriers);

        Assert.Same(route, table.Match("+441632960123"));
    }

    [Fact]
    public void TryMatch_CarrierNamesInAnyCase_ResolvesDefinitionsInRouteOrder()
    {
        var table = new RouteTable([new("+44", ["CARRIER-3", "carrier-1"])], Carriers);

        Assert.True(table.TryMatch("+441632960123", out var route, out var carriers));
        Assert.Equal("+44", route.Prefix);
        Assert.Equal([Carriers[2], Carriers[0]], carriers);
    }

    [Fact]
    public void TryMatch_NoRoute_ReturnsFalse()
    {
        var table = new RouteTable([new("+44", ["carrier-1"])], Carriers);

        Assert.False(table.TryMatch("+33123456789", out var route, out var carriers));
        Assert.Null(route);
        Assert.Null(carriers);
    }

    [Fact]
    public void Match_RandomPrefixes_AgreesWithLinearLongestPrefixScan()
    {
        var random = new Random(20240611);
        var prefixes = new HashSet<string>(StringComparer.Ordinal) { "" };
        while (prefixes.Count < 300)
        {
            prefixes.Add("+" + RandomDigits(random, random.Next(0, 7)));
        }

        var routes = prefixes.Select(p => new RouteDefinition(p, ["carrier-1"])).ToArray();
        var table = new RouteTable(routes, Carriers);
        for (var i = 0; i < 5000; i++)
        {
            var number = "+" + RandomDigits(random, random.Next(0, 12));
            var expected = routes.Where(r => number.StartsWith(r.Prefix, StringComparison.Ordinal)).MaxBy(r => r.Prefix.Length);

            Assert.Same(expected, table.Match(number));
        }
    }

    [Fact]
    public void Match_AfterWarmUp_AllocatesNothing()
    {
        var table = new RouteTable(
            [new("+44", ["carrier-1"]), new("+4416", ["carrier-2"]), new("", ["carrier-3"])],
            Carriers);
        const string number = "+441632960123";
        table.Match(number);
        table.TryMatch(number, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            table.Match(number);
            table.TryMatch(number, out _, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Constructor_UnknownCarriers_ThrowsNamingEachOnce()
    {
        var exception = Assert.Throws<ArgumentException>(() => new RouteTable(
            [new("+44", ["carrier-1", "ghost"]), new("+33", ["phantom", "GHOST"]), new("", ["carrier-2"])],
            Carriers));

        Assert.Contains("'ghost'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'phantom'", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("GHOST", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("carrier-", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicatePrefix_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new RouteTable(
            [new("+44", ["carrier-1"]), new("+44", ["carrier-2"])],
            Carriers));

        Assert.Contains("'+44'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RouteWithoutCarriers_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RouteTable([new("+44", [])], Carriers));
    }

    [Fact]
    public void Constructor_CarrierNamesDifferingOnlyInCase_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RouteTable(
            [new("", ["carrier-1"])],
            [TestCarriers.Create("carrier-1"), TestCarriers.Create("Carrier-1")]));
    }

    [Fact]
    public void TryGetCarrier_NameInAnyCase_FindsIt()
    {
        var table = new RouteTable([], Carriers);

        Assert.True(table.TryGetCarrier("Carrier-2", out var carrier));
        Assert.Same(Carriers[1], carrier);
        Assert.False(table.TryGetCarrier("carrier-9", out _));
    }

    private static string RandomDigits(Random random, int count) =>
        string.Create(count, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + r.Next(10));
            }
        });
}
