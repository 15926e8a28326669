using SipTrunk.Core.Media.Srtp;
using static SipTrunk.Core.Tests.Media.Srtp.SrtpTestPackets;

namespace SipTrunk.Core.Tests.Media.Srtp;

public class SrtpKeyDerivationTests
{
    // RFC 3711 Appendix B.3.
    private static readonly byte[] MasterKey = Hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = Hex("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void Derive_Rfc3711B3CipherKey_Matches()
    {
        var key = new byte[16];

        SrtpKeyDerivation.Derive(MasterKey, MasterSalt, SrtpKeyDerivation.RtpEncryptionLabel, key);

        Assert.Equal(Hex("C61E7A93744F39EE10734AFE3FF7A087"), key);
    }

    [Fact]
    public void Derive_Rfc3711B3CipherSalt_Matches()
    {
        var salt = new byte[14];

        SrtpKeyDerivation.Derive(MasterKey, MasterSalt, SrtpKeyDerivation.RtpSaltLabel, salt);

        Assert.Equal(Hex("30CBBC08863D8C85D49DB34A9AE1"), salt);
    }

    [Fact]
    public void Derive_Rfc3711B3AuthKey94Octets_Matches()
    {
        var authKey = new byte[94];

        SrtpKeyDerivation.Derive(MasterKey, MasterSalt, SrtpKeyDerivation.RtpAuthenticationLabel, authKey);

        Assert.Equal(
            Hex("""
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2
                """),
            authKey);
    }

    [Fact]
    public void Derive_RtcpLabels_DifferFromRtpOnes()
    {
        var rtp = new byte[16];
        var rtcp = new byte[16];

        SrtpKeyDerivation.Derive(MasterKey, MasterSalt, SrtpKeyDerivation.RtpEncryptionLabel, rtp);
        SrtpKeyDerivation.Derive(MasterKey, MasterSalt, SrtpKeyDerivation.RtcpEncryptionLabel, rtcp);

        Assert.NotEqual(rtp, rtcp);
    }
}
