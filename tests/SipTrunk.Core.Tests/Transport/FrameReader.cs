using SipTrunk.Sip.Framing;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>Reads whole SIP messages off a stream, skipping keep-alives, with the same framing as the transport.</summary>
internal sealed class FrameReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[65536];
    private int _count;

    public async Task<SipMessage> ReadMessageAsync()
    {
        var frame = await ReadFrameAsync();
        var parsed = SipParser.Parse(frame);
        Assert.True(parsed.Success, parsed.Error);
        return parsed.Message;
    }

    public async Task<byte[]> ReadFrameAsync()
    {
        while (true)
        {
            var frame = SipFrameScanner.Scan(_buffer.AsSpan(0, _count), SipLimits.Default);
            if (frame.Status is FrameStatus.Message or FrameStatus.KeepAlivePing or FrameStatus.KeepAlivePong)
            {
                var bytes = _buffer.AsSpan(0, frame.Length).ToArray();
                _buffer.AsSpan(frame.Length, _count - frame.Length).CopyTo(_buffer);
                _count -= frame.Length;
                if (frame.Status == FrameStatus.Message)
                {
                    return bytes;
                }

                continue;
            }

            Assert.Equal(FrameStatus.NeedMoreData, frame.Status);
            var read = await stream.ReadAsync(_buffer.AsMemory(_count)).AsTask().WaitAsync(Wire.Patience);
            if (read == 0)
            {
                throw new EndOfStreamException("the connection closed before a whole message arrived");
            }

            _count += read;
        }
    }
}
