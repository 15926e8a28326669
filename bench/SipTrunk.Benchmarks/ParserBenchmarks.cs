using System.Buffers;
using BenchmarkDotNet.Attributes;
using SipTrunk.Sip.Framing;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Benchmarks;

/// <summary>
/// Frame-scan + parse (+ serialize) of the shared reference messages (../shared/bench, copied byte for byte
/// into Data/), so figures compare across runs and with other stacks.
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private byte[] _invite = [];
    private byte[] _ok200 = [];

    [GlobalSetup]
    public void Setup()
    {
        _invite = BenchData.Load("invite.sip");
        _ok200 = BenchData.Load("ok200.sip");
    }

    [Benchmark(Baseline = true)]
    public SipMessage ScanParseInvite() => ScanParse(_invite);

    [Benchmark]
    public SipMessage ScanParseOk200() => ScanParse(_ok200);

    /// <summary>What a proxy does with every INVITE: parse, read the transaction keys, write it back out.</summary>
    [Benchmark]
    public int ScanParseSerializeInvite()
    {
        var message = ScanParse(_invite);
        _ = message.CallId;
        _ = message.GetFirstValueString(HeaderId.Via);
        _ = message.GetFirstValueString(HeaderId.CSeq);
        _output.ResetWrittenCount();
        SipMessageBuilder.From(message).WriteTo(_output);
        return _output.WrittenCount;
    }

    private static SipMessage ScanParse(byte[] bytes)
    {
        var frame = SipFrameScanner.Scan(bytes, SipLimits.Default);
        return SipParser.Parse(bytes.AsMemory(0, frame.Length)).Message!;
    }
}
