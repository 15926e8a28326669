namespace SipTrunk.Core.Routing;

/// <summary>
/// Ascending <see cref="CarrierDefinition.Priority"/>; within one priority a weighted random order without replacement,
/// in the manner of DNS SRV (RFC 2782): each next carrier is drawn with probability weight / (sum of the weights
/// still in the draw). Carriers of weight 0 (or less) come after every positive-weight carrier of their priority, in
/// configuration order, so an operator can keep a standby carrier that takes calls only when the others fail.
/// </summary>
public sealed class PriorityWeightedCarrierSelector : ICarrierSelector
{
    private readonly Random _random;

    // Random is not thread-safe and calls are routed concurrently; a draw is a few instructions, so a lock is cheap.
    private readonly Lock _randomLock = new();

    /// <summary>Creates the selector; <paramref name="random"/> is injected so tests can seed it.</summary>
    public PriorityWeightedCarrierSelector(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <inheritdoc/>
    public IReadOnlyList<CarrierDefinition> Order(IReadOnlyList<CarrierDefinition> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);

        // OrderBy is stable, which keeps configuration order among equal priorities for the weight-0 tail.
        var ordered = candidates.OrderBy(c => c.Priority).ToArray();
        var start = 0;
        while (start < ordered.Length)
        {
            var end = start + 1;
            while (end < ordered.Length && ordered[end].Priority == ordered[start].Priority)
            {
                end++;
            }

            ShuffleByWeight(ordered.AsSpan(start, end - start));
            start = end;
        }

        return ordered;
    }

    private void ShuffleByWeight(Span<CarrierDefinition> group)
    {
        long remaining = 0;
        foreach (var carrier in group)
        {
            remaining += Math.Max(carrier.Weight, 0);
        }

        for (var next = 0; remaining > 0; next++)
        {
            long draw;
            lock (_randomLock)
            {
                draw = _random.NextInt64(remaining);
            }

            var chosen = next;
            for (; chosen < group.Length; chosen++)
            {
                var weight = Math.Max(group[chosen].Weight, 0);
                if (draw < weight)
                {
                    break;
                }

                draw -= weight;
            }

            // Shift rather than swap, so the carriers left behind (notably the weight-0 ones) keep their order.
            var carrier = group[chosen];
            group[next..chosen].CopyTo(group[(next + 1)..]);
            group[next] = carrier;
            remaining -= carrier.Weight;
        }
    }
}
