using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Media;

/// <summary>
/// Reads relay sockets on a few dedicated threads (Linux): each thread owns an epoll set, waits for ready sockets and
/// relays one packet per ready socket per round, on its own stack. Compared with one <c>ReceiveFromAsync</c> loop per
/// socket this saves, per packet, the socket engine's hop to the thread pool (a wake-up of a pool thread when it is
/// idle) and the extra receive that ends an edge-triggered drain; on a 2-CPU machine that is more than half of the
/// relay's CPU (bench/README.md, media relay). A socket belongs to one thread for its life, so what it counts keeps a
/// single writer. Thousands of sockets share the threads; nothing blocks them (the sockets are non-blocking).
/// </summary>
internal sealed partial class RelayEpollEngine
{
    private const int MaxEvents = 256;

    // The user word of the wake socket; socket words are generation << 32 | slot and generation is never all ones.
    private const ulong WakeWord = ulong.MaxValue;

    private readonly Lock _lock = new();
    private readonly Worker[] _workers;
    private readonly AddressFamily _family;
    private readonly ILogger _logger;
    private readonly Stack<int> _freeSlots = new();
    private Registration?[] _table = new Registration?[256];
    private int _slotsUsed;
    private int _nextWorker;
    private uint _generation;
    private volatile bool _stopping;

    public RelayEpollEngine(int threads, AddressFamily family, ILogger logger)
    {
        _family = family;
        _logger = logger;
        _workers = new Worker[threads];
        try
        {
            for (var i = 0; i < threads; i++)
            {
                _workers[i] = new Worker(this, i);
            }
        }
        catch
        {
            foreach (var worker in _workers)
            {
                worker?.Dispose();
            }

            throw;
        }

        foreach (var worker in _workers)
        {
            worker.Start();
        }
    }

    public int Threads => _workers.Length;

    /// <summary>Starts relaying what <paramref name="socket"/> receives, on the next thread in turn.</summary>
    public void Add(RelaySocket socket)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (!_freeSlots.TryPop(out var slot))
            {
                if (_slotsUsed == _table.Length)
                {
                    var grown = new Registration?[_table.Length * 2];
                    _table.CopyTo(grown, 0);
                    Volatile.Write(ref _table, grown);
                }

                slot = _slotsUsed++;
            }

            // A slot is reused with a new generation: an event for its previous socket still in some thread's batch
            // no longer matches and is skipped.
            _generation = _generation == uint.MaxValue - 1 ? 1 : _generation + 1;
            var worker = _workers[_nextWorker];
            _nextWorker = (_nextWorker + 1) % _workers.Length;
            var registration = new Registration(socket, worker, slot, _generation);
            Volatile.Write(ref _table[slot], registration);
            socket.Registration = registration;
            try
            {
                LinuxEpoll.Add(worker.Epoll, (int)socket.Handle, LinuxEpoll.In, ((ulong)_generation << 32) | (uint)slot);
            }
            catch
            {
                _table[slot] = null;
                _freeSlots.Push(slot);
                socket.Registration = null;
                throw;
            }
        }
    }

    /// <summary>Stops reading <paramref name="socket"/>; call before closing it. A packet being relayed may finish.</summary>
    public void Remove(RelaySocket socket)
    {
        lock (_lock)
        {
            if (socket.Registration is not { } registration)
            {
                return;
            }

            socket.Registration = null;
            LinuxEpoll.Remove(registration.Worker.Epoll, (int)socket.Handle);
            Volatile.Write(ref _table[registration.Slot], null);
            _freeSlots.Push(registration.Slot);
        }
    }

    /// <summary>Wakes every thread and waits until each has left its loop; the epoll sets are closed then.</summary>
    public async Task StopAsync()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        foreach (var worker in _workers)
        {
            worker.Wake();
        }

        await Task.WhenAll(_workers.Select(w => w.Completion));
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }
    }

    private RelaySocket? Find(ulong word)
    {
        var slot = (int)(uint)word;
        var table = Volatile.Read(ref _table);
        return slot < table.Length && Volatile.Read(ref table[slot]) is { } registration && registration.Generation == (uint)(word >> 32)
            ? registration.Socket
            : null;
    }

    [LoggerMessage(EventId = 5120, Level = LogLevel.Critical, Message = "Relay receive thread {Thread} failed; its sockets are no longer read")]
    private partial void LogThreadFailed(Exception exception, int thread);

    /// <summary>Where one socket is registered.</summary>
    internal sealed record Registration(RelaySocket Socket, Worker Worker, int Slot, uint Generation);

    /// <summary>One receive thread: its epoll set and a socket that wakes it to stop.</summary>
    internal sealed class Worker : IDisposable
    {
        private readonly RelayEpollEngine _engine;
        private readonly int _index;
        private readonly Socket _wake;
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Thread _thread;

        public Worker(RelayEpollEngine engine, int index)
        {
            _engine = engine;
            _index = index;
            Epoll = LinuxEpoll.Create();
            _wake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
            try
            {
                _wake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                LinuxEpoll.Add(Epoll, (int)_wake.Handle, LinuxEpoll.In, WakeWord);
            }
            catch
            {
                Dispose();
                throw;
            }

            _thread = new Thread(Run) { IsBackground = true, Name = $"media relay {index}" };
        }

        public int Epoll { get; }

        public Task Completion => _completion.Task;

        public void Start()
        {
            // The thread outlives whatever request created the relay: it must not carry its execution context.
            using (ExecutionContext.SuppressFlow())
            {
                _thread.Start();
            }
        }

        public void Wake()
        {
            try
            {
                _wake.SendTo([0], SocketFlags.None, _wake.LocalEndPoint!);
            }
            catch (SocketException)
            {
                // A full wake socket is awake enough.
            }
        }

        public void Dispose()
        {
            _wake.Dispose();
            LinuxEpoll.Close(Epoll);
        }

        private void Run()
        {
            try
            {
                var events = new byte[MaxEvents * LinuxEpoll.EventSize];
                var buffer = GC.AllocateUninitializedArray<byte>(RelaySocket.BufferBytes, pinned: true);
                var source = new SocketAddress(_engine._family);
                while (!_engine._stopping)
                {
                    var count = LinuxEpoll.Wait(Epoll, events, -1);
                    for (var i = 0; i < count; i++)
                    {
                        var word = LinuxEpoll.Data(events, i);
                        if (word != WakeWord)
                        {
                            _engine.Find(word)?.ReceiveAndRelay(buffer, source);
                        }
                    }
                }
            }
            catch (Exception e)
            {
                _engine.LogThreadFailed(e, _index);
            }
            finally
            {
                _completion.TrySetResult();
            }
        }
    }
}
