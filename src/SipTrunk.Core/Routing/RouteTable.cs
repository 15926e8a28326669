using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Core.Routing;

/// <summary>
/// The routes of one configuration snapshot, resolved to their carriers and indexed by prefix (CONTRACT.md §3:
/// longest matching prefix of the normalized number; the empty prefix is the default route). Immutable and safe to
/// share between threads; a reload builds a new table.
/// </summary>
/// <remarks>
/// Prefixes live in a trie whose nodes keep their children in sorted arrays, so a lookup walks the number once
/// (O(length), a binary search over at most a dozen digits per step) and allocates nothing. Prefixes compare
/// ordinally: numbers are digits, and a verbatim user part is case-sensitive (RFC 3261 §19.1.4).
/// </remarks>
public sealed class RouteTable
{
    private readonly Node _root = new();
    private readonly RouteDefinition[] _routes;
    private readonly IReadOnlyList<CarrierDefinition>[] _routeCarriers;
    private readonly Dictionary<string, CarrierDefinition> _carriersByName;

    /// <summary>Builds the table.</summary>
    /// <exception cref="ArgumentException">
    /// A route names a carrier that is not in <paramref name="carriers"/> (every such name is listed), lists no
    /// carriers, or repeats another route's prefix; or two carriers share a name.
    /// </exception>
    public RouteTable(IReadOnlyList<RouteDefinition> routes, IReadOnlyList<CarrierDefinition> carriers)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(carriers);

        // Carrier names compare as the configuration validator compares them: case-insensitively.
        _carriersByName = new Dictionary<string, CarrierDefinition>(carriers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var carrier in carriers)
        {
            if (!_carriersByName.TryAdd(carrier.Name, carrier))
            {
                throw new ArgumentException($"carrier '{carrier.Name}' is defined twice", nameof(carriers));
            }
        }

        _routes = [.. routes];
        _routeCarriers = new IReadOnlyList<CarrierDefinition>[_routes.Length];
        var unknown = new List<string>();
        for (var i = 0; i < _routes.Length; i++)
        {
            var route = _routes[i];
            if (route.Carriers.Count == 0)
            {
                throw new ArgumentException($"route '{route.Prefix}' lists no carriers", nameof(routes));
            }

            var resolved = new CarrierDefinition[route.Carriers.Count];
            for (var c = 0; c < resolved.Length; c++)
            {
                if (_carriersByName.TryGetValue(route.Carriers[c], out var carrier))
                {
                    resolved[c] = carrier;
                }
                else if (!unknown.Contains(route.Carriers[c], StringComparer.OrdinalIgnoreCase))
                {
                    unknown.Add(route.Carriers[c]);
                }
            }

            // Wrapped once here so that lookups hand out a list nobody can cast back and modify, without allocating.
            _routeCarriers[i] = Array.AsReadOnly(resolved);
            var node = _root;
            foreach (var c in route.Prefix)
            {
                node = node.GetOrAdd(c);
            }

            if (node.Route >= 0)
            {
                throw new ArgumentException($"prefix '{route.Prefix}' is routed twice", nameof(routes));
            }

            node.Route = i;
        }

        if (unknown.Count > 0)
        {
            throw new ArgumentException($"routes name unknown carriers: {string.Join(", ", unknown.Select(n => $"'{n}'"))}", nameof(routes));
        }

        Routes = Array.AsReadOnly(_routes);
        Carriers = [.. carriers];
    }

    /// <summary>The routes, in configuration order.</summary>
    public IReadOnlyList<RouteDefinition> Routes { get; }

    /// <summary>Every carrier of the snapshot, in configuration order.</summary>
    public IReadOnlyList<CarrierDefinition> Carriers { get; }

    /// <summary>The route with the longest prefix of <paramref name="normalizedNumber"/>, or null when none (not even a default route) matches.</summary>
    public RouteDefinition? Match(string normalizedNumber)
    {
        ArgumentNullException.ThrowIfNull(normalizedNumber);
        var index = FindRoute(normalizedNumber);
        return index >= 0 ? _routes[index] : null;
    }

    /// <summary>
    /// Like <see cref="Match"/>, and also gives the route's carriers resolved to their definitions, in the route's
    /// order (the carrier selector decides the order of attempts).
    /// </summary>
    public bool TryMatch(
        ReadOnlySpan<char> normalizedNumber,
        [NotNullWhen(true)] out RouteDefinition? route,
        [NotNullWhen(true)] out IReadOnlyList<CarrierDefinition>? carriers)
    {
        var index = FindRoute(normalizedNumber);
        if (index < 0)
        {
            route = null;
            carriers = null;
            return false;
        }

        route = _routes[index];
        carriers = _routeCarriers[index];
        return true;
    }

    /// <summary>Finds a carrier by name (case-insensitive, as the configuration names it).</summary>
    public bool TryGetCarrier(string name, [NotNullWhen(true)] out CarrierDefinition? carrier) =>
        _carriersByName.TryGetValue(name, out carrier);

    private int FindRoute(ReadOnlySpan<char> number)
    {
        var node = _root;
        var best = node.Route;
        foreach (var c in number)
        {
            var child = node.Find(c);
            if (child is null)
            {
                break;
            }

            node = child;
            if (node.Route >= 0)
            {
                best = node.Route;
            }
        }

        return best;
    }

    // Mutated only while the constructor builds the trie; read-only afterwards.
    private sealed class Node
    {
        private char[] _keys = [];
        private Node[] _children = [];

        public int Route { get; set; } = -1;

        public Node? Find(char key)
        {
            var index = _keys.AsSpan().BinarySearch(key);
            return index >= 0 ? _children[index] : null;
        }

        public Node GetOrAdd(char key)
        {
            var index = _keys.AsSpan().BinarySearch(key);
            if (index >= 0)
            {
                return _children[index];
            }

            index = ~index;
            var child = new Node();
            _keys = [.. _keys.AsSpan(0, index), key, .. _keys.AsSpan(index)];
            _children = [.. _children.AsSpan(0, index), child, .. _children.AsSpan(index)];
            return child;
        }
    }
}
