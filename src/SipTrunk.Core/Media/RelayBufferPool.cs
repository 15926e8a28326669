namespace SipTrunk.Core.Media;

/// <summary>
/// Pinned buffers for relay sockets, kept for the next stream when a socket's receive loop ends: pinned arrays live in
/// the pinned object heap, which is never compacted, so they are reused rather than left to churn it. Holds at most as
/// many buffers as sockets were open at once. Thread-safe.
/// </summary>
internal sealed class RelayBufferPool
{
    private readonly Lock _lock = new();
    private readonly Stack<byte[]> _free = new();

    public RelayBufferPool(int bufferBytes) => BufferBytes = bufferBytes;

    public int BufferBytes { get; }

    public byte[] Rent()
    {
        lock (_lock)
        {
            if (_free.TryPop(out var buffer))
            {
                return buffer;
            }
        }

        return GC.AllocateUninitializedArray<byte>(BufferBytes, pinned: true);
    }

    /// <summary>Takes a buffer back once nothing reads or writes it any more.</summary>
    public void Return(byte[] buffer)
    {
        // The previous call's media must not outlive it in memory that a later stream's bug could expose.
        Array.Clear(buffer);
        lock (_lock)
        {
            _free.Push(buffer);
        }
    }
}
