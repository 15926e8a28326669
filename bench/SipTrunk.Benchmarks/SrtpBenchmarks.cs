using BenchmarkDotNet.Attributes;
using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Benchmarks;

/// <summary>
/// What SRTP costs the media relay per packet: protecting and unprotecting a 20 ms G.711 packet (12-byte header,
/// 160-byte payload) with AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM, and the re-keying pair the relay does for
/// every packet between two SRTP parties (unprotect with one leg's key, protect with the other's). Nothing may be
/// allocated.
/// </summary>
/// <remarks>
/// Unprotecting the same packet twice is a replay, refused before any crypto, so the unprotect benchmarks walk through
/// packets protected up front: <see cref="Sources"/> SSRCs, one more than a context remembers, with
/// <see cref="PacketsPerSource"/> consecutive packets each. By the time the walk comes back to an SSRC its state has
/// been evicted, so every packet is new to the receiver and goes through the full check and decryption.
/// </remarks>
[MemoryDiagnoser]
public class SrtpBenchmarks
{
    private const int PayloadLength = 160;
    private const int Sources = 17;
    private const int PacketsPerSource = 256;

    private readonly byte[] _rtp = new byte[12 + PayloadLength];
    private readonly byte[] _plain = new byte[12 + PayloadLength + 16];
    private readonly byte[] _out = new byte[12 + PayloadLength + 16];
    private readonly byte[][] _protected = new byte[Sources * PacketsPerSource][];

    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private SrtpContext _forward = null!;
    private ushort _sequence;
    private int _next;

    [Params("AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM")]
    public string Suite { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _ = SrtpSuite.TryGet(Suite, out var suite);
        var receiverKey = RandomBytes(suite!.KeyLength);
        var receiverSalt = RandomBytes(suite.SaltLength);
        _sender = SrtpContext.Create(suite, RandomBytes(suite.KeyLength), RandomBytes(suite.SaltLength));
        _receiver = SrtpContext.Create(suite, receiverKey, receiverSalt);
        _forward = SrtpContext.Create(suite, RandomBytes(suite.KeyLength), RandomBytes(suite.SaltLength));
        _rtp[0] = 0x80;
        Random.Shared.NextBytes(_rtp.AsSpan(12));

        // The walk: what the receiver's peer sent, protected under the receiver's key.
        using var source = SrtpContext.Create(suite, receiverKey, receiverSalt);
        for (var i = 0; i < _protected.Length; i++)
        {
            var packet = (byte[])_rtp.Clone();
            packet[2] = (byte)(i >> 8);
            packet[3] = (byte)i;
            packet[11] = (byte)(i / PacketsPerSource);
            _protected[i] = new byte[packet.Length + source.RtpOverhead];
            source.ProtectRtp(packet, _protected[i], out _);
        }

        // Two passes on a spare receiver, so the eviction the walk relies on is proven before anything is measured.
        using var check = SrtpContext.Create(suite, receiverKey, receiverSalt);
        for (var i = 0; i < 2 * _protected.Length; i++)
        {
            if (check.UnprotectRtp(_protected[i % _protected.Length], _plain, out _) != SrtpResult.Ok)
            {
                throw new InvalidOperationException($"packet {i} of the walk was refused");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _forward.Dispose();
    }

    [Benchmark]
    public int ProtectRtp()
    {
        _sequence++;
        _rtp[2] = (byte)(_sequence >> 8);
        _rtp[3] = (byte)_sequence;
        _sender.ProtectRtp(_rtp, _out, out var written);
        return written;
    }

    [Benchmark]
    public int UnprotectRtp()
    {
        _receiver.UnprotectRtp(NextProtected(), _plain, out var written);
        return written;
    }

    [Benchmark(Description = "Unprotect+Protect")]
    public int Rekey()
    {
        _receiver.UnprotectRtp(NextProtected(), _plain, out var plain);
        _forward.ProtectRtp(_plain.AsSpan(0, plain), _out, out var written);
        return written;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private byte[] NextProtected()
    {
        var packet = _protected[_next];
        _next = _next + 1 == _protected.Length ? 0 : _next + 1;
        return packet;
    }
}
