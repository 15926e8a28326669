using SipTrunk.Core.Routing;

namespace SipTrunk.Core.Tests.Routing;

public class NumberNormalizersTests
{
    [Theory]
    [InlineData("e164")]
    [InlineData("E164")]
    public void Create_E164AnyCase_ReturnsE164Normalizer(string name)
    {
        Assert.IsType<E164NumberNormalizer>(NumberNormalizers.Create(name));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("NONE")]
    public void Create_None_ReturnsVerbatimNormalizer(string name)
    {
        Assert.IsType<VerbatimNumberNormalizer>(NumberNormalizers.Create(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("e.164")]
    [InlineData("national")]
    public void Create_UnknownName_ThrowsNamingIt(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => NumberNormalizers.Create(name));

        Assert.Contains($"'{name}'", exception.Message, StringComparison.Ordinal);
    }
}
