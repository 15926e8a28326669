using SipTrunk.Core.Routing;

namespace SipTrunk.Core.Tests.Routing;

public class VerbatimNumberNormalizerTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("01632 960123;npdi")]
    [InlineData("+441632960123")]
    public void Normalize_NonEmpty_ReturnsItUnchanged(string user)
    {
        Assert.Same(user, new VerbatimNumberNormalizer().Normalize(user));
    }

    [Fact]
    public void Normalize_Empty_ReturnsNull()
    {
        Assert.Null(new VerbatimNumberNormalizer().Normalize(string.Empty));
    }
}
