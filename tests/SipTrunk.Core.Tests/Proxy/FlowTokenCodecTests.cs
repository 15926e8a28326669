using System.Security.Cryptography;
using SipTrunk.Core.Proxy;

namespace SipTrunk.Core.Tests.Proxy;

public sealed class FlowTokenCodecTests
{
    private readonly FlowTokenCodec _codec = new(RandomNumberGenerator.GetBytes(32));

    [Theory]
    [InlineData(1L, "pbx-a", "carrier-1")]
    [InlineData(long.MaxValue, "", "")]
    [InlineData(42L, "pbx é", "c")]
    public void Encode_RoundTrips(long flow, string peer, string carrier)
    {
        var text = _codec.Encode(new FlowToken(flow, peer, carrier));

        Assert.True(_codec.TryDecode(text, out var token));
        Assert.Equal(new FlowToken(flow, peer, carrier), token);
        Assert.DoesNotContain(text, c => c is ';' or '=' or '>' or ',' or '+' or '/');
    }

    [Fact]
    public void TryDecode_TamperedToken_Refused()
    {
        var text = _codec.Encode(new FlowToken(7, "pbx-a", "carrier-1"));
        var chars = text.ToCharArray();
        chars[2] = chars[2] == 'A' ? 'B' : 'A';

        Assert.False(_codec.TryDecode(new string(chars), out _));
    }

    [Fact]
    public void TryDecode_OtherKey_Refused()
    {
        var text = new FlowTokenCodec(RandomNumberGenerator.GetBytes(32)).Encode(new FlowToken(7, "pbx-a", "carrier-1"));

        Assert.False(_codec.TryDecode(text, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("AAAA")]
    public void TryDecode_Garbage_Refused(string? text) => Assert.False(_codec.TryDecode(text, out _));
}
