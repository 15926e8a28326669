namespace SipTrunk.Core.Routing;

/// <summary>Chooses an <see cref="INumberNormalizer"/> by its configuration name (<c>Routing.NumberNormalization</c>).</summary>
public static class NumberNormalizers
{
    /// <summary>The name of <see cref="E164NumberNormalizer"/>.</summary>
    public const string E164 = "e164";

    /// <summary>The name of <see cref="VerbatimNumberNormalizer"/>.</summary>
    public const string None = "none";

    /// <summary>Creates the strategy called <paramref name="name"/> (case-insensitive): <c>e164</c> or <c>none</c>.</summary>
    /// <exception cref="ArgumentException">The name is not a known strategy.</exception>
    public static INumberNormalizer Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Equals(E164, StringComparison.OrdinalIgnoreCase))
        {
            return new E164NumberNormalizer();
        }

        if (name.Equals(None, StringComparison.OrdinalIgnoreCase))
        {
            return new VerbatimNumberNormalizer();
        }

        throw new ArgumentException($"unknown number normalization '{name}' (expected '{E164}' or '{None}')", nameof(name));
    }
}
