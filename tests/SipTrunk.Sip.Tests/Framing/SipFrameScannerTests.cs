using System.Buffers;
using System.Text;
using SipTrunk.Sip.Framing;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Sip.Tests.Framing;

public sealed class SipFrameScannerTests
{
    [Fact]
    public void Scan_WholeInvite_FramesExactlyTheMessage()
    {
        var frame = SipFrameScanner.Scan(TestMessages.Invite, SipLimits.Default);

        Assert.Equal(FrameStatus.Message, frame.Status);
        Assert.Equal(931, frame.Length);
    }

    [Fact]
    public void Scan_EveryPrefixOfInvite_NeedsMoreAndConsumesNothing()
    {
        var invite = TestMessages.Invite;
        for (var length = 0; length < invite.Length; length++)
        {
            var frame = SipFrameScanner.Scan(invite.AsSpan(0, length), SipLimits.Default);
            Assert.True(frame.Status == FrameStatus.NeedMoreData, $"prefix {length}: {frame}");
            Assert.Equal(0, frame.Length);
        }
    }

    [Fact]
    public void Scan_EveryPrefixOfOk200_NeedsMore()
    {
        var ok = TestMessages.Ok200;
        for (var length = 0; length < ok.Length; length++)
        {
            Assert.Equal(FrameStatus.NeedMoreData, SipFrameScanner.Scan(ok.AsSpan(0, length), SipLimits.Default).Status);
        }

        Assert.Equal(new SipFrame(FrameStatus.Message, ok.Length, null), SipFrameScanner.Scan(ok, SipLimits.Default));
    }

    [Fact]
    public void Scan_TwoMessagesBackToBack_FramesTheFirstOnly()
    {
        var both = TestMessages.Invite.Concat(TestMessages.Ok200).ToArray();

        var first = SipFrameScanner.Scan(both, SipLimits.Default);
        var second = SipFrameScanner.Scan(both.AsSpan(first.Length), SipLimits.Default);

        Assert.Equal(TestMessages.Invite.Length, first.Length);
        Assert.Equal(new SipFrame(FrameStatus.Message, TestMessages.Ok200.Length, null), second);
    }

    [Fact]
    public void Scan_OneByteSegments_FramesLikeContiguousInput()
    {
        var invite = TestMessages.Invite;
        var sequence = OneByteSegments(invite);

        Assert.Equal(SipFrameScanner.Scan(invite, SipLimits.Default), SipFrameScanner.Scan(sequence, SipLimits.Default));
        Assert.Equal(FrameStatus.NeedMoreData, SipFrameScanner.Scan(sequence.Slice(0, invite.Length - 1), SipLimits.Default).Status);
    }

    [Theory]
    [InlineData("\r\n\r\n", FrameStatus.KeepAlivePing, 4)]
    [InlineData("\r\n\r\nINVITE", FrameStatus.KeepAlivePing, 4)]
    [InlineData("\r\n", FrameStatus.NeedMoreData, 0)]
    [InlineData("\r\nINVITE", FrameStatus.KeepAlivePong, 2)]
    [InlineData("\r", FrameStatus.NeedMoreData, 0)]
    [InlineData("\r\n\r", FrameStatus.NeedMoreData, 0)]
    [InlineData("\rX", FrameStatus.Invalid, 0)]
    public void Scan_KeepAlives_AreRecognised(string input, FrameStatus status, int length)
    {
        var frame = SipFrameScanner.Scan(Encoding.ASCII.GetBytes(input), SipLimits.Default);

        Assert.Equal(status, frame.Status);
        Assert.Equal(length, frame.Length);
    }

    [Theory]
    [InlineData("l: 3")]
    [InlineData("content-length:3")]
    [InlineData("CONTENT-LENGTH   :   3")]
    [InlineData("Content-Length:\r\n 3")]
    public void Scan_ContentLengthSpellings_AreHonoured(string header)
    {
        var message = TestMessages.Crlf($"OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\n{header}", "abcdef");

        var frame = SipFrameScanner.Scan(message, SipLimits.Default);

        Assert.Equal(FrameStatus.Message, frame.Status);
        Assert.Equal(message.Length - 3, frame.Length);
    }

    [Fact]
    public void Scan_NoContentLength_TakesAnEmptyBody()
    {
        var message = TestMessages.Crlf("OPTIONS sip:a@b SIP/2.0\nCall-ID: x", "rest");

        Assert.Equal(message.Length - 4, SipFrameScanner.Scan(message, SipLimits.Default).Length);
    }

    [Fact]
    public void Scan_ConflictingContentLengths_IsInvalid()
    {
        var message = TestMessages.Crlf("INVITE sip:a@b SIP/2.0\nContent-Length: 2\nl: 3", "abc");

        var frame = SipFrameScanner.Scan(message, SipLimits.Default);

        Assert.Equal(FrameStatus.Invalid, frame.Status);
        Assert.Contains("Content-Length", frame.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Length: -1")]
    [InlineData("Content-Length: 12a")]
    [InlineData("Content-Length: 99999999999999999999")]
    [InlineData("Content-Length:")]
    public void Scan_MalformedContentLength_IsInvalid(string header)
    {
        var message = TestMessages.Crlf($"INVITE sip:a@b SIP/2.0\n{header}");

        Assert.Equal(FrameStatus.Invalid, SipFrameScanner.Scan(message, SipLimits.Default).Status);
    }

    [Fact]
    public void Scan_DeclaredBodyBeyondLimit_IsRefusedBeforeTheBodyArrives()
    {
        var limits = new SipLimits { MaxMessageBytes = 1000 };
        var headersOnly = TestMessages.Crlf("INVITE sip:a@b SIP/2.0\nContent-Length: 5000");

        var frame = SipFrameScanner.Scan(headersOnly, limits);

        Assert.Equal(FrameStatus.Invalid, frame.Status);
        Assert.Equal("Message Too Large", frame.Error);
    }

    [Fact]
    public void Scan_HeadersThatNeverEnd_AreRefusedAtTheLimit()
    {
        var limits = new SipLimits { MaxMessageBytes = 2048 };
        var endless = Encoding.ASCII.GetBytes("INVITE sip:a@b SIP/2.0\r\n" + string.Concat(Enumerable.Repeat("X-Pad: 0123456789\r\n", 200)));

        Assert.Equal(FrameStatus.NeedMoreData, SipFrameScanner.Scan(endless.AsSpan(0, 2000), limits).Status);
        Assert.Equal(FrameStatus.Invalid, SipFrameScanner.Scan(endless.AsSpan(0, 2048), limits).Status);
    }

    [Fact]
    public void Scan_StartLineWithoutEnd_IsRefusedEarly()
    {
        var junk = Encoding.ASCII.GetBytes(new string('A', SipLimits.Default.MaxStartLineLength + 1));

        Assert.Equal(FrameStatus.Invalid, SipFrameScanner.Scan(junk, SipLimits.Default).Status);
    }

    internal static ReadOnlySequence<byte> OneByteSegments(byte[] bytes)
    {
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
