using SipTrunk.Configuration;

namespace SipTrunk.Tests.Configuration;

public class SipTrunkOptionsRedactionTests
{
    [Fact]
    public void ToString_OptionsWithSecrets_DoesNotPrintThem()
    {
        var options = ValidOptions.Create()
            .WithPeer(p => p with { Digest = new PeerDigestOptions { Username = "pbx-a", Ha1Sha256 = new string('1', 64), Ha1Md5 = new string('2', 32) } })
            .WithCarrier(c => c with { Auth = new CarrierAuthOptions { Username = "trunk-user", Password = "carrier-secret" } })
            with
        { Admin = new AdminOptions { Urls = "http://0.0.0.0:8080", Token = "admin-secret-token" } };

        var text = options.Peers[0] + " " + options.Carriers[0] + " " + options.Admin;

        Assert.DoesNotContain(new string('1', 64), text, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('2', 32), text, StringComparison.Ordinal);
        Assert.DoesNotContain("carrier-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("admin-secret-token", text, StringComparison.Ordinal);
        Assert.Contains("trunk-user", text, StringComparison.Ordinal);
        Assert.Contains("Token = ***", text, StringComparison.Ordinal);
    }
}
