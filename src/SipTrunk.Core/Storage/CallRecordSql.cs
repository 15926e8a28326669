using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Core.Storage;

/// <summary>
/// The call-record statements both stores share. The table (<c>call_records</c>) keeps the filtered and ordered fields
/// as indexed columns and the whole record as CallRecordJson text, so every field round-trips exactly and a new field
/// needs no migration. Pages are newest first by (started_at, id) and continue with a keyset cursor, so a page costs
/// the same however deep it is and rows inserted meanwhile neither repeat nor go missing.
/// </summary>
internal static class CallRecordSql
{
    /// <summary>The name under which the table's schema version is kept in <c>siptrunk_schema</c>.</summary>
    public const string Component = "call_records";

    public const int SchemaVersion = 1;

    public const int MaxLimit = 1000;

    /// <summary>Insert columns, in the order of <see cref="InsertValues"/>.</summary>
    public const string InsertColumns = "id, call_id, direction, peer, carrier, status, started_at, ended_at, from_uri, to_uri, request_uri, record";

    public const int InsertColumnCount = 12;

    /// <summary>Ordinal of the JSON column in <see cref="InsertColumns"/>.</summary>
    public const int RecordOrdinal = 11;

    /// <summary>Ordinals of the instant columns in <see cref="InsertColumns"/>.</summary>
    public const int StartedAtOrdinal = 6;

    public const int EndedAtOrdinal = 7;

    /// <summary>The indexes the queries use; identical in both stores.</summary>
    public const string CreateIndexesSql = """
        CREATE INDEX IF NOT EXISTS call_records_started_at ON call_records (started_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS call_records_peer ON call_records (peer, started_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS call_records_carrier ON call_records (carrier, started_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS call_records_status ON call_records (status, started_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS call_records_call_id ON call_records (call_id, started_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS call_records_ended_at ON call_records (ended_at);
        """;

    private const string SelectColumns = "SELECT started_at, id, record FROM call_records";

    /// <summary>Throws for a batch the database would refuse anyway: a retry could never succeed.</summary>
    public static void Validate(IReadOnlyList<CallRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            if (record is null || string.IsNullOrEmpty(record.Id) || record.CallId is null || record.Direction is null || record.Status is null)
            {
                throw new ArgumentException("Every call record needs an id, a Call-ID, a direction and a status.", nameof(records));
            }
        }
    }

    /// <summary>The insert values of one record (instants still in microseconds, nulls as <see cref="DBNull"/>).</summary>
    public static object[] InsertValues(CallRecord record, CallRecordDialect dialect) =>
    [
        IndexText(record.Id),
        IndexText(record.CallId),
        IndexText(record.Direction),
        (object?)IndexText(record.Peer) ?? DBNull.Value,
        (object?)IndexText(record.Carrier) ?? DBNull.Value,
        IndexText(record.Status),
        dialect.Timestamp(StorageTime.ToUnixMicroseconds(record.StartedAt)),
        dialect.Timestamp(StorageTime.ToUnixMicroseconds(record.EndedAt)),
        (object?)IndexText(record.From) ?? DBNull.Value,
        (object?)IndexText(record.To) ?? DBNull.Value,
        (object?)IndexText(record.RequestUri) ?? DBNull.Value,
        CallRecordJson.Serialize(record),
    ];

    /// <summary>
    /// Prepares the page query on <paramref name="command"/>; false when the cursor is not one we issued (the page is
    /// then empty, so a client that loops over pages stops rather than starting again from the top).
    /// </summary>
    public static bool TryPrepareQuery(DbCommand command, CallRecordQuery query, CallRecordDialect dialect, out int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        limit = Math.Clamp(query.Limit, 1, MaxLimit);
        CallRecordCursor? cursor = null;
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            if (!CallRecordCursor.TryDecode(query.Cursor, out var decoded))
            {
                return false;
            }

            cursor = decoded;
        }

        var sql = new StringBuilder(SelectColumns).Append(" WHERE 1 = 1");
        if (query.Since is { } since)
        {
            sql.Append(" AND started_at >= @since");
            command.AddParameter("@since", dialect.Timestamp(StorageTime.ToUnixMicroseconds(since)));
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND started_at < @until");
            command.AddParameter("@until", dialect.Timestamp(StorageTime.ToUnixMicroseconds(until)));
        }

        AddEquals(command, sql, "peer", query.Peer);
        AddEquals(command, sql, "carrier", query.Carrier);
        AddEquals(command, sql, "status", query.Status);
        if (!string.IsNullOrWhiteSpace(query.Number))
        {
            sql.Append(" AND (").Append(dialect.Contains("from_uri", "@number"))
                .Append(" OR ").Append(dialect.Contains("to_uri", "@number"))
                .Append(" OR ").Append(dialect.Contains("request_uri", "@number")).Append(')');
            command.AddParameter("@number", IndexText(query.Number));
        }

        if (cursor is { } after)
        {
            // Row-value comparison: both databases turn it into one range scan of the (…, started_at, id) index.
            sql.Append(" AND (started_at, id) < (@cursor_at, @cursor_id)");
            command.AddParameter("@cursor_at", dialect.Timestamp(after.StartedAtMicroseconds));
            command.AddParameter("@cursor_id", IndexText(after.Id));
        }

        // One row more than asked tells whether another page exists without a COUNT.
        // A parameter, not a literal: the statement text then depends only on which filters are set, so Npgsql's
        // automatic preparation reuses it.
        sql.Append(" ORDER BY started_at DESC, id DESC LIMIT @limit");
        command.AddParameter("@limit", limit + 1);
        command.CommandText = sql.ToString();
        return true;
    }

    /// <summary>Runs a query prepared by <see cref="TryPrepareQuery"/> and cuts the page.</summary>
    public static async Task<CallRecordPage> ReadPageAsync(DbCommand command, int limit, CallRecordDialect dialect, CancellationToken cancellationToken)
    {
        var items = new List<CallRecord>(Math.Min(limit, 64));
        CallRecordCursor last = default;
        string? next = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                next = last.Encode();
                break;
            }

            last = new CallRecordCursor(dialect.ReadTimestamp(reader, 0), reader.GetString(1));
            items.Add(Deserialize(reader.GetString(2), last.Id));
        }

        return new CallRecordPage(items, next);
    }

    /// <summary>A record by id, else the newest with that Call-ID; null for an empty id.</summary>
    public static async Task<CallRecord?> GetAsync(DbConnection connection, string? id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        var key = IndexText(id);
        return await ReadOneAsync(connection, "SELECT record FROM call_records WHERE id = @key", key, cancellationToken)
            ?? await ReadOneAsync(connection, "SELECT record FROM call_records WHERE call_id = @key ORDER BY started_at DESC, id DESC LIMIT 1", key, cancellationToken);
    }

    public static async Task<int> PruneAsync(DbConnection connection, DateTimeOffset before, CallRecordDialect dialect, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM call_records WHERE ended_at < @before";
        command.AddParameter("@before", dialect.Timestamp(StorageTime.ToUnixMicroseconds(before)));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether the connection answers a trivial query.</summary>
    public static async Task<bool> PingAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>
    /// Text for an indexed column or a filter: PostgreSQL refuses NUL characters and Npgsql refuses lone surrogates, and
    /// a record that can never be stored would block the writer's spool forever. The JSON column escapes both, so the
    /// record itself stays exact; only the searchable copy is mended, the same way for values and filters.
    /// </summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? IndexText(string? value)
    {
        if (value is null || !NeedsMending(value))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    private static bool NeedsMending(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return true;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return true;
                }

                i++;
            }
        }

        return false;
    }

    private static void AddEquals(DbCommand command, StringBuilder sql, string column, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        sql.Append(" AND ").Append(column).Append(" = @").Append(column);
        command.AddParameter("@" + column, IndexText(value));
    }

    private static async Task<CallRecord?> ReadOneAsync(DbConnection connection, string sql, string? key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Deserialize(reader.GetString(0), key ?? string.Empty) : null;
    }

    private static CallRecord Deserialize(string json, string id) =>
        CallRecordJson.Deserialize(json) ?? throw new InvalidDataException($"Call record {id} is stored as JSON null.");
}
