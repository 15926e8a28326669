using CsCheck;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Tests.Uris;

public sealed class SipUriPropertyTests
{
    // An alphabet dense in URI delimiters so that random strings reach deep into the parser.
    private const string Alphabet = "sip:S@;=?&%0123456789aAbcdefFxyz[]._-+!~*'()/$,\" \t\r\n<>#\u0000\u00e9\u0100";

    private static readonly Gen<string> Host = Gen.OneOf(
        Gen.Const("example.com"),
        Gen.Const("a-b.example.net."),
        Gen.Const("[2001:db8::10]"),
        Gen.Const("[::ffff:192.0.2.1]"),
        Gen.Int[0, 255].Array[4].Select(parts => string.Join('.', parts)));

    // Near-valid URIs: a plausible user and host followed by random parameter and header text.
    private static readonly Gen<string> NearValid =
        from scheme in Gen.OneOf(Gen.Const("sip:"), Gen.Const("SIPS:"))
        from user in Gen.String[Gen.Char["abc%41%2;?/&=+$,:-_.!~*'()@"], 0, 10]
        from host in Host
        from tail in Gen.String[Gen.Char[";=?&%0123456789abcAB:[]/+$-_.lr@ "], 0, 20]
        select scheme + user + (user.Length > 0 ? "@" : "") + host + tail;

    private static readonly Gen<string> Noise = Gen.OneOf(
        Gen.String,
        NearValid,
        Gen.Char[Alphabet].Array[0, 40].Select(chars => new string(chars)),
        Gen.Char[Alphabet].Array[0, 40].Select(chars => "sip:" + new string(chars)),
        Gen.Char[Alphabet].Array[0, 40].Select(chars => "tel:" + new string(chars)));

    private static readonly Gen<string> Component = Gen.OneOf(
        Gen.String[Gen.Char[" \u0000\u00e9\u0100;:@?&=%/[]abcXYZ019-_.!~*'()+$,"], 1, 12],
        Gen.String[Gen.Char.AlphaNumeric, 1, 12]);

    private static readonly Gen<SipUri> Uris =
        from secure in Gen.Bool
        from host in Host
        from user in Component.Null()
        from password in Component.Null()
        from port in Gen.Int[-1, 65535].Select(p => p < 0 ? (int?)null : p)
        from parameters in Gen.Select(Component, Component.Null()).Array[0, 3]
        from headers in Gen.Select(Component, Gen.String[Gen.Char["abc %&=?"], 0, 5]).Array[0, 3]
        select Build(secure, host, user, password, port, parameters, headers);

    [Fact]
    public void TryParse_RandomText_NeverThrows()
    {
        Noise.Sample(text =>
        {
            _ = AbsoluteUri.TryParse(text, out _, out _);
            _ = SipUri.TryParse(text, out _, out _);
            _ = TelUri.TryParse(text, out _, out _);
            _ = GenericUri.TryParse(text, out _, out _);
        }, iter: 20_000);
    }

    [Fact]
    public void ToString_ParsedRandomText_ReparsesToEqualUri()
    {
        var parsed = 0;
        Noise.Sample(text =>
        {
            if (SipUri.TryParse(text, out var uri, out _))
            {
                Interlocked.Increment(ref parsed);
                Assert.True(SipUri.TryParse(uri.ToString(), out var reparsed, out var error), error);
                Assert.Equal(uri, reparsed);
                Assert.Equal(uri.ToString(), reparsed.ToString());
            }
        }, iter: 20_000);

        // Guard against a generator that never produces a valid URI, which would make the property vacuous.
        Assert.True(parsed > 100, $"only {parsed} random URIs parsed");
    }

    [Fact]
    public void ToString_GeneratedUri_ReparsesToEqualUri()
    {
        Uris.Sample(uri =>
        {
            Assert.True(SipUri.TryParse(uri.ToString(), out var reparsed, out var error), error);
            Assert.Equal(uri, reparsed);
            Assert.Equal(uri.GetHashCode(), reparsed.GetHashCode());
            Assert.Equal(uri.User, reparsed.User);
            Assert.Equal(uri.Password, reparsed.Password);
            Assert.Equal(uri.Parameters, reparsed.Parameters);
            Assert.Equal(uri.Headers, reparsed.Headers);
        }, iter: 5_000);
    }

    private static SipUri Build(bool secure, string host, string? user, string? password, int? port, (string, string?)[] parameters, (string, string)[] headers)
    {
        var uri = SipUri.Create(host, port, user, secure);
        foreach (var (name, value) in parameters.DistinctBy(p => p.Item1.ToUpperInvariant()))
        {
            // Names that carry validated values are left to the example-based tests.
            if (name.ToUpperInvariant() is not ("TTL" or "MADDR" or "TRANSPORT" or "USER" or "METHOD"))
            {
                uri = uri.WithParameter(name, value);
            }
        }

        var text = uri.ToString();
        if (user is not null && password is not null)
        {
            var at = text.IndexOf('@', StringComparison.Ordinal);
            text = text[..at] + ":" + Uri.EscapeDataString(password) + text[at..];
        }

        if (headers.Length > 0)
        {
            text += "?" + string.Join('&', headers.Select(h => Uri.EscapeDataString(h.Item1) + "=" + Uri.EscapeDataString(h.Item2)));
        }

        return SipUri.Parse(text);
    }
}
