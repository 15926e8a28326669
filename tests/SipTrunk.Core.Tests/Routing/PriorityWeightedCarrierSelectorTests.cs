using SipTrunk.Core.Routing;

namespace SipTrunk.Core.Tests.Routing;

// The distributions are checked with a fixed seed, so every run draws the same numbers: the bounds (several standard
// deviations wide) make the assertions meaningful, the seed makes them deterministic.
public class PriorityWeightedCarrierSelectorTests
{
    private const int Runs = 10_000;

    [Fact]
    public void Order_DifferentPriorities_AscendingPriorityWhateverTheWeights()
    {
        var low = TestCarriers.Create("low", priority: 1, weight: 1);
        var middle = TestCarriers.Create("middle", priority: 2, weight: 1000);
        var high = TestCarriers.Create("high", priority: 3, weight: 1000);
        var selector = new PriorityWeightedCarrierSelector(new Random(1));

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal([low, middle, high], selector.Order([high, low, middle]));
        }
    }

    [Fact]
    public void Order_TwoWeightsInOnePriority_FirstPlaceFollowsWeights()
    {
        var a = TestCarriers.Create("a", weight: 75);
        var b = TestCarriers.Create("b", weight: 25);
        var selector = new PriorityWeightedCarrierSelector(new Random(42));

        var aFirst = 0;
        for (var i = 0; i < Runs; i++)
        {
            var order = selector.Order([a, b]);
            Assert.Equal(2, order.Count);
            Assert.NotSame(order[0], order[1]);
            aFirst += order[0] == a ? 1 : 0;
        }

        // Expected 7 500, standard deviation about 43.
        Assert.InRange(aFirst, 7_250, 7_750);
    }

    [Fact]
    public void Order_ThreeWeights_DrawsWithoutReplacement()
    {
        var a = TestCarriers.Create("a", weight: 50);
        var b = TestCarriers.Create("b", weight: 30);
        var c = TestCarriers.Create("c", weight: 20);
        var selector = new PriorityWeightedCarrierSelector(new Random(7));

        var first = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0, ["c"] = 0 };
        var aFirst = 0;
        var bSecondAfterA = 0;
        for (var i = 0; i < Runs; i++)
        {
            var order = selector.Order([a, b, c]);
            Assert.Equal(3, order.Distinct().Count());
            first[order[0].Name]++;
            if (order[0] == a)
            {
                aFirst++;
                bSecondAfterA += order[1] == b ? 1 : 0;
            }
        }

        Assert.InRange(first["a"], 4_700, 5_300);
        Assert.InRange(first["b"], 2_700, 3_300);
        Assert.InRange(first["c"], 1_750, 2_250);

        // Once a is drawn, b wins the second place with 30 / (30 + 20) = 60 %.
        Assert.InRange(bSecondAfterA / (double)aFirst, 0.56, 0.64);
    }

    [Fact]
    public void Order_ZeroWeights_ComeAfterPositiveWeightsOfTheirPriorityInConfigurationOrder()
    {
        var standby1 = TestCarriers.Create("standby-1", weight: 0);
        var a = TestCarriers.Create("a", weight: 10);
        var standby2 = TestCarriers.Create("standby-2", weight: 0);
        var b = TestCarriers.Create("b", weight: 10);
        var backup = TestCarriers.Create("backup", priority: 2, weight: 10);
        var selector = new PriorityWeightedCarrierSelector(new Random(3));

        var aFirst = 0;
        for (var i = 0; i < 1_000; i++)
        {
            var order = selector.Order([standby1, backup, a, standby2, b]);
            Assert.Equal([standby1, standby2, backup], order.Skip(2));
            aFirst += order[0] == a ? 1 : 0;
        }

        // The positive weights still shuffle.
        Assert.InRange(aFirst, 400, 600);
    }

    [Fact]
    public void Order_AllWeightsZero_KeepsConfigurationOrder()
    {
        var x = TestCarriers.Create("x", weight: 0);
        var y = TestCarriers.Create("y", weight: 0);
        var z = TestCarriers.Create("z", weight: 0);

        Assert.Equal([x, y, z], new PriorityWeightedCarrierSelector(new Random(5)).Order([x, y, z]));
    }

    [Fact]
    public void Order_DoesNotModifyTheCandidates()
    {
        CarrierDefinition[] candidates =
            [TestCarriers.Create("a", priority: 2), TestCarriers.Create("b", priority: 1), TestCarriers.Create("c", priority: 1)];
        var copy = candidates.ToArray();

        new PriorityWeightedCarrierSelector(new Random(9)).Order(candidates);

        Assert.Equal(copy, candidates);
    }

    [Fact]
    public void Order_NoCandidates_ReturnsEmpty()
    {
        Assert.Empty(new PriorityWeightedCarrierSelector(new Random(9)).Order([]));
    }
}
