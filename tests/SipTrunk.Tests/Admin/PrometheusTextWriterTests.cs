using SipTrunk.Admin;

namespace SipTrunk.Tests.Admin;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Family_HelpWithBackslashAndNewline_Escaped()
    {
        var writer = new PrometheusTextWriter();

        writer.Family("m_total", "counter", "a\\b\nc \"quoted\"");

        Assert.Equal("# HELP m_total a\\\\b\\nc \"quoted\"\n# TYPE m_total counter\n", writer.ToString());
    }

    [Fact]
    public void Sample_SeveralLabels_CommaSeparatedInOrder()
    {
        var writer = new PrometheusTextWriter();

        writer.Sample("m", 3, ("b", "2"), ("a", "1"));

        Assert.Equal("m{b=\"2\",a=\"1\"} 3\n", writer.ToString());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1.5, "1.5")]
    [InlineData(-2592000, "-2592000")]
    [InlineData(12345678901234, "12345678901234")]
    public void FormatValue_SpecialAndPlainValues_AsTheFormatSpellsThem(double value, string expected)
    {
        Assert.Equal(expected, PrometheusTextWriter.FormatValue(value));
    }
}
