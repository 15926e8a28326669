using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SipTrunk.Core.Registrar;

namespace SipTrunk.Core.Storage;

/// <summary>
/// Registrar bindings in a SQLite file (WAL journal, so the CLI can read while the proxy writes). Timestamps are unix
/// milliseconds (UTC) so expiry is a plain integer comparison; Path is a JSON array of strings. Each call opens a pooled
/// connection, so one instance is safe to use from several threads.
/// </summary>
public sealed class SqliteRegistrationStore : IRegistrationStore
{
    /// <summary>The schema this code writes, kept in <c>PRAGMA user_version</c> so a later version can migrate.</summary>
    public const int SchemaVersion = 1;

    // The key includes instance and reg-id because RFC 5626 §4.2 lets one instance register the same Contact URI on
    // several flows (reg-id 1, 2…); '' and 0 mean "absent" (reg-id is 1 or more, RFC 5626 §4.2.1).
    private const string CreateSchemaSql = """
        CREATE TABLE IF NOT EXISTS registrations (
            aor TEXT NOT NULL,
            contact_uri TEXT NOT NULL,
            instance_id TEXT NOT NULL DEFAULT '',
            reg_id INTEGER NOT NULL DEFAULT 0,
            peer TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            call_id TEXT NOT NULL,
            cseq INTEGER NOT NULL,
            flow_id INTEGER NOT NULL DEFAULT 0,
            remote_endpoint TEXT NULL,
            transport TEXT NULL,
            path TEXT NOT NULL DEFAULT '[]',
            q REAL NULL,
            user_agent TEXT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (aor, contact_uri, instance_id, reg_id)
        );
        CREATE INDEX IF NOT EXISTS registrations_expires_at ON registrations (expires_at);
        """;

    private const string InsertSql = """
        INSERT INTO registrations (aor, contact_uri, instance_id, reg_id, peer, expires_at, call_id, cseq, flow_id,
            remote_endpoint, transport, path, q, user_agent, updated_at)
        VALUES ($aor, $contact_uri, $instance_id, $reg_id, $peer, $expires_at, $call_id, $cseq, $flow_id,
            $remote_endpoint, $transport, $path, $q, $user_agent, $updated_at)
        """;

    private const string SelectSql = """
        SELECT aor, contact_uri, instance_id, reg_id, peer, expires_at, call_id, cseq, flow_id,
            remote_endpoint, transport, path, q, user_agent, updated_at
        FROM registrations
        ORDER BY aor, updated_at
        """;

    private readonly string _connectionString;
    private readonly string? _directory;

    /// <summary>Creates a store on the SQLite database named by <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or invalid.</exception>
    public SqliteRegistrationStore(string connectionString) => (_connectionString, _directory) = SqliteConnections.Parse(connectionString);

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenForSchemaAsync(_connectionString, _directory, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var version = await ScalarAsync(connection, transaction, "PRAGMA user_version;", cancellationToken);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The registration database has schema version {version}, newer than this SipTrunk's {SchemaVersion}.");
        }

        await using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = CreateSchemaSql;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        if (version < SchemaVersion)
        {
            // PRAGMA takes no parameters; the value is our own constant.
            await using var setVersion = connection.CreateCommand();
            setVersion.Transaction = transaction;
            setVersion.CommandText = "PRAGMA user_version = " + SchemaVersion.ToString(CultureInfo.InvariantCulture) + ";";
            await setVersion.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RegistrarBinding>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectSql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var bindings = new List<RegistrarBinding>();
        while (await reader.ReadAsync(cancellationToken))
        {
            bindings.Add(ReadBinding(reader));
        }

        return bindings;
    }

    /// <inheritdoc/>
    public async Task ReplaceAsync(string aor, IReadOnlyList<RegistrarBinding> bindings, CancellationToken cancellationToken)
    {
        RegistrationBindings.ValidateReplace(aor, bindings);
        await using var connection = await SqliteConnections.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM registrations WHERE aor = $aor";
            delete.Parameters.AddWithValue("$aor", aor);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        if (bindings.Count > 0)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = InsertSql;
            foreach (var binding in bindings)
            {
                BindParameters(insert, binding);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM registrations WHERE expires_at <= $now";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void BindParameters(SqliteCommand insert, RegistrarBinding binding)
    {
        insert.Parameters.Clear();
        insert.Parameters.AddWithValue("$aor", binding.Aor);
        insert.Parameters.AddWithValue("$contact_uri", binding.ContactUri);
        insert.Parameters.AddWithValue("$instance_id", binding.InstanceId ?? string.Empty);
        insert.Parameters.AddWithValue("$reg_id", binding.RegId ?? 0);
        insert.Parameters.AddWithValue("$peer", binding.Peer);
        insert.Parameters.AddWithValue("$expires_at", binding.ExpiresAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$call_id", binding.CallId);
        insert.Parameters.AddWithValue("$cseq", binding.CSeq);
        insert.Parameters.AddWithValue("$flow_id", binding.FlowId);
        insert.Parameters.AddWithValue("$remote_endpoint", (object?)binding.RemoteEndPoint ?? DBNull.Value);
        insert.Parameters.AddWithValue("$transport", (object?)binding.Transport ?? DBNull.Value);
        insert.Parameters.AddWithValue("$path", SerializePath(binding.Path));
        insert.Parameters.AddWithValue("$q", (object?)binding.Q ?? DBNull.Value);
        insert.Parameters.AddWithValue("$user_agent", (object?)binding.UserAgent ?? DBNull.Value);
        insert.Parameters.AddWithValue("$updated_at", binding.UpdatedAt.ToUnixTimeMilliseconds());
    }

    private static RegistrarBinding ReadBinding(SqliteDataReader reader) =>
        RegistrationRow.Read(reader, static (r, i) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i)), static (r, i) => DeserializePath(r.GetString(i)));

    private static string SerializePath(IReadOnlyList<string> path)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in path)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string[] DeserializePath(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new List<string>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            values.Add(element.GetString() ?? string.Empty);
        }

        return [.. values];
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
