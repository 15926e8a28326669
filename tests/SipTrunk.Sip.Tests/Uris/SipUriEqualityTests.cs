using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Tests.Uris;

public sealed class SipUriEqualityTests
{
    // RFC 3261 §19.1.4: the URIs listed as equivalent.
    public static TheoryData<string, string> EquivalentPairs => new()
    {
        { "sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp" },
        { "sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5" },
        { "sip:carol@chicago.com", "sip:carol@chicago.com;security=on" },
        { "sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on" },
        { "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com", "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com" },
        { "sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com?priority=urgent&subject=project%20x" },
        { "sip:carol@chicago.com", "sip:carol@chicago.com;security=off" },
        { "sip:carol@chicago.com;lr", "sip:carol@chicago.com" },
        { "sip:alice@[2001:DB8::10]", "sip:alice@[2001:db8::10]" },
        { "SIP:alice@atlanta.com", "sip:alice@atlanta.com" },
    };

    // RFC 3261 §19.1.4: the URIs listed as not equivalent, plus the non-transitive security=on/off case.
    public static TheoryData<string, string> NotEquivalentPairs => new()
    {
        { "SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP" },
        { "sip:bob@biloxi.com", "sip:bob@biloxi.com:5060" },
        { "sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp" },
        { "sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp" },
        { "sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting" },
        { "sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4" },
        { "sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off" },
        { "sip:alice@atlanta.com", "sips:alice@atlanta.com" },
        { "sip:atlanta.com", "sip:alice@atlanta.com" },
        { "sip:alice:pw@atlanta.com", "sip:alice:PW@atlanta.com" },
        { "sip:alice@atlanta.com;method=INVITE", "sip:alice@atlanta.com;method=invite" },
        { "sip:alice@atlanta.com;user=phone", "sip:alice@atlanta.com" },
        { "sip:alice@atlanta.com;ttl=1", "sip:alice@atlanta.com;ttl=2" },
        { "sip:alice@atlanta.com;maddr=239.255.255.1", "sip:alice@atlanta.com" },
        { "sip:a@b?h=1", "sip:a@b?h=1&h=2" },
        { "sip:a@b?h=1&h=1", "sip:a@b?h=1&h=2" },
        { "sip:a@b?h=x", "sip:a@b?h=X" },
    };

    [Theory]
    [MemberData(nameof(EquivalentPairs))]
    public void Equals_Rfc3261EquivalentPairs_AreEqual(string left, string right)
    {
        var a = SipUri.Parse(left);
        var b = SipUri.Parse(right);

        Assert.True(a.Equals(b));
        Assert.True(b.Equals(a));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(NotEquivalentPairs))]
    public void Equals_Rfc3261NotEquivalentPairs_AreNotEqual(string left, string right)
    {
        var a = SipUri.Parse(left);
        var b = SipUri.Parse(right);

        Assert.False(a.Equals(b));
        Assert.False(b.Equals(a));
    }

    [Fact]
    public void Equals_ObjectOverload_MatchesTypedEquals()
    {
        object a = SipUri.Parse("sip:a@b");

        Assert.True(a.Equals(SipUri.Parse("sip:a@B")));
        Assert.False(a.Equals("sip:a@b"));
        Assert.False(a.Equals(null));
    }
}
