using CsCheck;
using SipTrunk.Sip.Framing;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Sip.Tests.Messages;

/// <summary>Random and mutated input must only ever produce a parse error: no exception, no hang.</summary>
public sealed class SipParserPropertyTests
{
    private static readonly SipLimits Limits = new() { MaxMessageBytes = 8192 };

    private static readonly byte[][] Seeds = [TestMessages.Invite, TestMessages.Ok200];

    /// <summary>Bytes that matter to the grammar, to reach deeper than uniform noise.</summary>
    private static readonly Gen<byte> InterestingByte = Gen.OneOfConst("\r\n :;,<>\"\\%=@0 \t/".Select(c => (byte)c).Concat(new byte[] { 0, 0x80, 0xff }).ToArray());

    [Fact]
    public void ScanAndParse_RandomBytes_NeverThrow()
    {
        Gen.Frequency((1, Gen.Byte), (1, InterestingByte)).Array[0, 2048]
            .Sample(bytes => ScanAndParse(bytes), iter: 3000);
    }

    [Fact]
    public void ScanAndParse_MutatedMessages_NeverThrow()
    {
        var mutation = Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[1, 8], Gen.Int, Gen.Frequency((1, Gen.Byte), (3, InterestingByte)).Array[1, 8]);
        mutation.Sample(
            (seed, count, position, insert) =>
            {
                var bytes = Seeds[seed].ToList();
                var random = new Random(position);
                for (var i = 0; i < count && bytes.Count > 0; i++)
                {
                    var at = random.Next(bytes.Count);
                    switch (random.Next(3))
                    {
                        case 0:
                            bytes[at] = insert[i % insert.Length];
                            break;
                        case 1:
                            bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 16)));
                            break;
                        default:
                            bytes.InsertRange(at, insert);
                            break;
                    }
                }

                ScanAndParse([.. bytes]);
            },
            iter: 5000);
    }

    [Fact]
    public void RoundTrip_ParsedMessages_WriteToEquivalentMessages()
    {
        var mutation = Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int, InterestingByte.Array[1, 4]);
        mutation.Sample(
            (seed, position, insert) =>
            {
                var bytes = Seeds[seed].ToList();
                bytes.InsertRange(new Random(position).Next(bytes.Count), insert);
                var first = SipParser.Parse(bytes.ToArray(), Limits);
                if (!first.Success)
                {
                    return;
                }

                var written = SipMessageBuilder.From(first.Message).ToArray();
                var second = SipParser.Parse(written, Limits);
                Assert.True(second.Success, second.Error);
                Assert.Equal(first.Message.StartLine.ToArray(), second.Message.StartLine.ToArray());
                Assert.Equal(first.Message.Body.ToArray(), second.Message.Body.ToArray());
                var firstHeaders = first.Message.Headers.ToArray().Where(h => h.Id != HeaderId.ContentLength).ToArray();
                var secondHeaders = second.Message.Headers.ToArray().Where(h => h.Id != HeaderId.ContentLength).ToArray();
                Assert.Equal(firstHeaders.Length, secondHeaders.Length);
                for (var i = 0; i < firstHeaders.Length; i++)
                {
                    Assert.Equal(firstHeaders[i].Id, secondHeaders[i].Id);
                    Assert.Equal(first.Message.GetValue(firstHeaders[i]).ToArray(), second.Message.GetValue(secondHeaders[i]).ToArray());
                }
            },
            iter: 3000);
    }

    private static void ScanAndParse(byte[] bytes)
    {
        var frame = SipFrameScanner.Scan(bytes, Limits);
        Assert.InRange(frame.Length, 0, bytes.Length);
        var result = SipParser.Parse(bytes, Limits);
        if (result.Success)
        {
            foreach (var header in result.Message.Headers)
            {
                _ = result.Message.GetValues(KnownHeaders.Get(header.Id).Name.Length == 0 ? "X" : KnownHeaders.Get(header.Id).Name).Count();
            }
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(result.Error));
        }
    }
}
