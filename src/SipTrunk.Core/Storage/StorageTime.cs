namespace SipTrunk.Core.Storage;

/// <summary>
/// Instants as the stores index them: microseconds since the Unix epoch (UTC). PostgreSQL's <c>timestamptz</c> keeps
/// microseconds, so SQLite keeps the same resolution and both stores order, filter and page identically; the record's
/// JSON keeps the full value.
/// </summary>
internal static class StorageTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>Microseconds since 1970-01-01T00:00:00Z, rounded down (so before-epoch instants stay ordered too).</summary>
    public static long ToUnixMicroseconds(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks - DateTime.UnixEpoch.Ticks;
        var micros = ticks / TicksPerMicrosecond;
        return ticks < 0 && micros * TicksPerMicrosecond != ticks ? micros - 1 : micros;
    }

    /// <summary>The UTC <see cref="DateTime"/> of a microsecond count (what Npgsql writes as <c>timestamptz</c>).</summary>
    public static DateTime ToUtcDateTime(long unixMicroseconds) =>
        new(DateTime.UnixEpoch.Ticks + (unixMicroseconds * TicksPerMicrosecond), DateTimeKind.Utc);

    /// <summary>The microsecond count of a UTC <see cref="DateTime"/> read from PostgreSQL.</summary>
    public static long FromUtcDateTime(DateTime utc) => ToUnixMicroseconds(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
}
