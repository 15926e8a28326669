using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Headers;

/// <summary>One Contact value: <c>"*"</c> or a contact-param (RFC 3261 §20.10, §25.1).</summary>
public sealed class ContactValue
{
    private ContactValue(NameAddress? address, int? expires, double? q)
    {
        Address = address;
        Expires = expires;
        Q = q;
    }

    /// <summary>The wildcard contact <c>*</c>, used only to remove all bindings (RFC 3261 §10.2.2).</summary>
    public static ContactValue Wildcard { get; } = new(null, null, null);

    /// <summary>Whether this is the wildcard <c>*</c>.</summary>
    [MemberNotNullWhen(false, nameof(Address))]
    public bool IsWildcard => Address is null;

    /// <summary>The address and its parameters; <see langword="null"/> for the wildcard.</summary>
    public NameAddress? Address { get; }

    /// <summary>
    /// The <c>expires</c> contact parameter in seconds. RFC 3261 §20.19 treats anything above 2^32-1 as 2^32-1;
    /// values are clamped further to <see cref="int.MaxValue"/> (about 68 years), which no registrar distinguishes.
    /// </summary>
    public int? Expires { get; }

    /// <summary>The <c>q</c> preference, 0 to 1.</summary>
    public double? Q { get; }

    /// <summary>Creates a contact from an address, validating its <c>expires</c> and <c>q</c> parameters.</summary>
    /// <exception cref="ArgumentException">The address has an invalid <c>expires</c> or <c>q</c>.</exception>
    public static ContactValue Create(NameAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return TryCreate(address, out var contact, out var error) ? contact : throw new ArgumentException(error, nameof(address));
    }

    /// <summary>Parses one Contact value (the core has split the list).</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out ContactValue? result, out string? error)
    {
        result = null;
        if (SipLexer.TrimLws(value) is ['*'])
        {
            result = Wildcard;
            error = null;
            return true;
        }

        return NameAddress.TryParse(value, out var address, out error) && TryCreate(address, out result, out error);
    }

    /// <summary>Returns a copy with the <c>expires</c> parameter set, or removed when <see langword="null"/>.</summary>
    public ContactValue WithExpires(int? expires)
    {
        if (IsWildcard)
        {
            throw new InvalidOperationException("The wildcard contact has no parameters.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(expires ?? 0, nameof(expires));
        var address = expires is { } seconds
            ? Address.WithParameter("expires", seconds.ToString(CultureInfo.InvariantCulture))
            : Address.WithoutParameter("expires");
        return new ContactValue(address, expires, Q);
    }

    /// <inheritdoc/>
    public override string ToString() => Address?.ToString() ?? "*";

    private static bool TryCreate(NameAddress address, [NotNullWhen(true)] out ContactValue? result, out string? error)
    {
        result = null;
        int? expires = null;
        double? q = null;
        if (address.Parameters.TryGetValue("expires", out var expiresText))
        {
            if (string.IsNullOrEmpty(expiresText) || expiresText.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                error = "invalid expires parameter";
                return false;
            }

            // delta-seconds: clamp rather than reject large values (RFC 3261 §20.19).
            var digits = expiresText.AsSpan().TrimStart('0');
            expires = digits.Length > 10 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? digits.IsEmpty ? 0 : int.MaxValue
                : parsed;
        }

        if (address.Parameters.TryGetValue("q", out var qText))
        {
            if (!TryParseQValue(qText, out var value))
            {
                error = "invalid q value (must be 0 to 1 with up to 3 decimals)";
                return false;
            }

            q = value;
        }

        result = new ContactValue(address, expires, q);
        error = null;
        return true;
    }

    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    private static bool TryParseQValue(string? text, out double value)
    {
        value = 0;
        if (text is null || text.Length == 0 || text.Length > 5 || text[0] is not ('0' or '1'))
        {
            return false;
        }

        if (text.Length > 1)
        {
            var fraction = text.AsSpan(1);
            if (fraction[0] != '.' || fraction[1..].ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            if (text[0] == '1' && fraction[1..].ContainsAnyExcept('0'))
            {
                return false;
            }
        }

        value = double.Parse(text.EndsWith('.') ? text[..^1] : text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return true;
    }
}
