using CsCheck;
using SipTrunk.Sip.Headers;

namespace SipTrunk.Sip.Tests.Headers;

public sealed class HeaderPropertyTests
{
    private const string Alphabet = "SIP/2.0UDPsip:@;=?&%,\"\\<>*[]:.-_+ \t\r\n0123456789abcXYZz9hG4bKDigestrealm\u0000\u00e9";

    private static readonly string[] ParameterNames = ["ttl", "rport", "received", "maddr", "branch", "expires", "q", "tag", "lr", "nc", "qop", "stale"];

    // Known parameter names with empty, quoted and odd values, to reach the typed validation of each.
    private static readonly Gen<string> Parameter =
        from index in Gen.Int[0, ParameterNames.Length - 1]
        from value in Gen.OneOf(
            Gen.Const(string.Empty),
            Gen.Const("=\"\""),
            Gen.String[Gen.Char["\"0123456789.:[]abcf-"], 0, 8].Select(v => "=" + v),
            Gen.String[Gen.Char["0123456789.:[]abcf-"], 1, 8].Select(v => "=\"" + v + "\""))
        select ParameterNames[index] + value;

    private static readonly Gen<string> Noise = Gen.OneOf(
        Parameter.Array[0, 5].Select(ps => "SIP/2.0/UDP h" + string.Concat(ps.Select(p => ";" + p))),
        Parameter.Array[0, 5].Select(ps => "<sip:a@b>" + string.Concat(ps.Select(p => ";" + p))),
        Parameter.Array[0, 5].Select(ps => "Digest " + string.Join(", ", ps)),
        Gen.String,
        Gen.Char[Alphabet].Array[0, 60].Select(chars => new string(chars)),
        Gen.Char[Alphabet].Array[0, 40].Select(chars => "SIP/2.0/UDP " + new string(chars)),
        Gen.Char[Alphabet].Array[0, 40].Select(chars => "\"x\" <sip:a@b>" + new string(chars)),
        Gen.Char[Alphabet].Array[0, 40].Select(chars => "Digest realm=\"" + new string(chars)));

    [Fact]
    public void TryParse_RandomText_NeverThrows()
    {
        Noise.Sample(text =>
        {
            _ = NameAddress.TryParse(text, out _, out _);
            _ = ContactValue.TryParse(text, out _, out _);
            _ = ViaHeader.TryParse(text, out _, out _);
            _ = CSeqHeader.TryParse(text, out _, out _);
            _ = DigestChallenge.TryParse(text, out _, out _);
            _ = DigestCredentials.TryParse(text, out _, out _);
            _ = HeaderParameters.TryParse(text, out _, out _);
            _ = TokenList.TryParse(text, out _, out _);
        }, iter: 20_000);
    }

    [Fact]
    public void ToString_ParsedRandomText_ReparsesToSameWireForm()
    {
        var parsedAddresses = 0;
        var parsedVias = 0;
        Noise.Sample(text =>
        {
            if (NameAddress.TryParse(text, out var address, out _))
            {
                Interlocked.Increment(ref parsedAddresses);
                Assert.True(NameAddress.TryParse(address.ToString(), out var again, out var error), error);
                Assert.Equal(address.ToString(), again.ToString());
            }

            if (ViaHeader.TryParse(text, out var via, out _))
            {
                Interlocked.Increment(ref parsedVias);
                Assert.True(ViaHeader.TryParse(via.ToString(), out var again, out var error), error);
                Assert.Equal(via.ToString(), again.ToString());
            }

            if (DigestCredentials.TryParse(text, out var credentials, out _))
            {
                Assert.True(DigestCredentials.TryParse(credentials.ToHeaderValue(), out var again, out var error), error);
                Assert.Equal(credentials.ToHeaderValue(), again.ToHeaderValue());
            }
        }, iter: 20_000);

        Assert.True(parsedAddresses > 100, $"only {parsedAddresses} random addresses parsed");
        Assert.True(parsedVias > 100, $"only {parsedVias} random Via values parsed");
    }
}
