using SipTrunk.Core.Registrar;

namespace SipTrunk.Core.Storage;

/// <summary>Checks shared by the registration stores.</summary>
internal static class RegistrationBindings
{
    /// <summary>Throws unless every binding belongs to <paramref name="aor"/>: a replace must never touch another AOR's rows.</summary>
    public static void ValidateReplace(string aor, IReadOnlyList<RegistrarBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(aor);
        ArgumentNullException.ThrowIfNull(bindings);
        foreach (var binding in bindings)
        {
            if (!string.Equals(binding.Aor, aor, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Binding of {binding.Aor} passed to replace {aor}.", nameof(bindings));
            }
        }
    }
}
