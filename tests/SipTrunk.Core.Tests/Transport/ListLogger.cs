using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>Keeps every log entry, so tests can check what was (and was not) logged.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(EventId EventId, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(EventId EventId, LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId, logLevel, formatter(state, exception)));

    public IReadOnlyList<string> Messages(int eventId) => [.. _entries.Where(e => e.EventId.Id == eventId).Select(e => e.Message)];
}
