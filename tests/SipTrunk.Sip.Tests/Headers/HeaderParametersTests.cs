using SipTrunk.Sip.Headers;

namespace SipTrunk.Sip.Tests.Headers;

public sealed class HeaderParametersTests
{
    [Fact]
    public void TryParse_MixedParameters_KeepsOrderQuotingAndFlags()
    {
        Assert.True(HeaderParameters.TryParse(";tag=abc ; lr;\r\n x=\"a \\\"b\\\"\"", out var parameters, out var error), error);

        Assert.Equal(3, parameters.Count);
        Assert.Equal(new HeaderParameter("tag", "abc", false), parameters[0]);
        Assert.Equal(new HeaderParameter("lr", null, false), parameters[1]);
        Assert.Equal(new HeaderParameter("x", "a \"b\"", true), parameters[2]);
        Assert.Equal(";tag=abc;lr;x=\"a \\\"b\\\"\"", parameters.ToString());
    }

    [Fact]
    public void Lookup_CaseInsensitiveNames()
    {
        Assert.True(HeaderParameters.TryParse(";Tag=abc;LR", out var parameters, out _));

        Assert.Equal("abc", parameters["tag"]);
        Assert.True(parameters.TryGetValue("lr", out var flag));
        Assert.Null(flag);
        Assert.False(parameters.Contains("expires"));
    }

    [Theory]
    [InlineData(";a=1;A=2", "duplicate parameter 'A'")]
    [InlineData(";a=1 junk", "unexpected character 'j' in parameters")]
    [InlineData(";", "empty parameter")]
    public void TryParse_Invalid_ReturnsFalseWithReason(string text, string expected)
    {
        Assert.False(HeaderParameters.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void With_ValueNeedingQuotes_IsQuoted()
    {
        var parameters = HeaderParameters.Empty.With("a", "1").With("text", "hello world").With("empty", "").With("flag", null).With("A", "2");

        Assert.Equal(";a=2;text=\"hello world\";empty=\"\";flag", parameters.ToString());
        Assert.Equal(";text=\"hello world\";empty=\"\";flag", parameters.Without("a").ToString());
        Assert.Empty(HeaderParameters.Empty.ToString());
    }

    [Fact]
    public void With_InvalidNameOrValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => HeaderParameters.Empty.With("bad name", "1"));
        Assert.Throws<ArgumentException>(() => HeaderParameters.Empty.With("a", "x\r\ny"));
        Assert.Throws<ArgumentException>(() => HeaderParameters.Empty.With(new HeaderParameter("a", "x;y", false)));
    }
}
