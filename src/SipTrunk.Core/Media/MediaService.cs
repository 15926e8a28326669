using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Media;

/// <summary>
/// Creates and finds calls' <see cref="MediaSession"/>s by Call-ID, and hangs up answered calls whose media stopped
/// (<see cref="MediaSettings.InactivityTimeout"/>). Thread-safe.
/// </summary>
public sealed class MediaService : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, MediaSession> _sessions = new(StringComparer.Ordinal);
    private readonly ITimer _timer;

    public MediaService(MediaSettings settings, MediaRelay relay, ILogger<MediaService> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(relay);
        Settings = settings;
        Relay = relay;
        Logger = logger;
        _timer = relay.Time.CreateTimer(static state => ((MediaService)state!).CheckInactivity(), this, settings.InactivityCheckInterval, settings.InactivityCheckInterval);
    }

    /// <summary>Rekey or passthrough, and the advertised address.</summary>
    public MediaSettings Settings { get; }

    /// <summary>The relay engine.</summary>
    public MediaRelay Relay { get; }

    /// <summary>Calls with media now.</summary>
    public int SessionCount => _sessions.Count;

    internal ILogger Logger { get; }

    /// <summary>Starts a call's media session (replacing none: a Call-ID already present gets the existing one).</summary>
    public MediaSession Create(string callId, MediaLegPolicy caller, MediaLegPolicy callee) =>
        _sessions.GetOrAdd(callId, id => new MediaSession(this, id, caller, callee));

    /// <summary>The session of a call, if it has one.</summary>
    public MediaSession? Find(string? callId) => callId is not null && _sessions.TryGetValue(callId, out var session) ? session : null;

    /// <summary>Stops the inactivity timer and releases every session.</summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }
    }

    internal void Remove(MediaSession session) => _sessions.TryRemove(new KeyValuePair<string, MediaSession>(session.CallId, session));

    private void CheckInactivity()
    {
        var now = Relay.Time.GetTimestamp();
        foreach (var session in _sessions.Values)
        {
            if (session.IsInactiveAt(now, Settings.InactivityTimeout) && session.Inactive is { } onInactive)
            {
                // The proxy hangs the call up and disposes the session; its callback runs once.
                session.ClearInactive();
                onInactive(session);
            }
        }
    }
}
