using Npgsql;
using NpgsqlTypes;
using SipTrunk.Core.Registrar;

namespace SipTrunk.Core.Storage;

/// <summary>
/// Registrar bindings in PostgreSQL, with the semantics of <see cref="SqliteRegistrationStore"/>: instants as
/// <c>timestamptz</c>, Path as <c>text[]</c>, absent instance and reg-id as <c>''</c> and 0 in the key. Several nodes
/// may write: a replace locks its AOR (an advisory transaction lock) so two refreshes of one AOR apply one after the
/// other instead of colliding on the key. Connections come from the instance's pool, released by <see cref="DisposeAsync"/>.
/// </summary>
public sealed class PostgresRegistrationStore : IRegistrationStore, IAsyncDisposable
{
    /// <summary>The schema this code writes, kept in <c>siptrunk_schema</c> under <c>registrations</c>.</summary>
    public const int SchemaVersion = 1;

    private const string Component = "registrations";

    // "REGI": the first key of the per-AOR advisory locks (the second is the AOR's hash), apart from other users' locks.
    private const int AorLockSpace = 0x52_45_47_49;

    // RFC 5626 §4.2: one instance may register one Contact URI on several flows, hence instance and reg-id in the key.
    private const string CreateSchemaSql = """
        CREATE TABLE IF NOT EXISTS registrations (
            aor text NOT NULL,
            contact_uri text NOT NULL,
            instance_id text NOT NULL DEFAULT '',
            reg_id integer NOT NULL DEFAULT 0,
            peer text NOT NULL,
            expires_at timestamptz NOT NULL,
            call_id text NOT NULL,
            cseq bigint NOT NULL,
            flow_id bigint NOT NULL DEFAULT 0,
            remote_endpoint text NULL,
            transport text NULL,
            path text[] NOT NULL DEFAULT '{}',
            q double precision NULL,
            user_agent text NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (aor, contact_uri, instance_id, reg_id)
        );
        CREATE INDEX IF NOT EXISTS registrations_expires_at ON registrations (expires_at);
        """;

    private const string InsertSql = """
        INSERT INTO registrations (aor, contact_uri, instance_id, reg_id, peer, expires_at, call_id, cseq, flow_id,
            remote_endpoint, transport, path, q, user_agent, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        """;

    private const string SelectSql = """
        SELECT aor, contact_uri, instance_id, reg_id, peer, expires_at, call_id, cseq, flow_id,
            remote_endpoint, transport, path, q, user_agent, updated_at
        FROM registrations
        ORDER BY aor, updated_at
        """;

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store on the PostgreSQL database named by <paramref name="connectionString"/> (nothing is opened yet).</summary>
    /// <exception cref="ArgumentException">The connection string is empty or invalid.</exception>
    public PostgresRegistrationStore(string connectionString) => _database = new PostgresDatabase(connectionString);

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        _database.MigrateAsync(Component, SchemaVersion, CreateSchemaSql, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RegistrarBinding>> LoadAsync(CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<RegistrarBinding>>(
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand(SelectSql, connection);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var bindings = new List<RegistrarBinding>();
                while (await reader.ReadAsync(ct))
                {
                    bindings.Add(ReadBinding(reader));
                }

                return bindings;
            },
            cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Lock, delete and inserts go in one <see cref="NpgsqlBatch"/>: one round trip, one implicit transaction.</remarks>
    public async Task ReplaceAsync(string aor, IReadOnlyList<RegistrarBinding> bindings, CancellationToken cancellationToken)
    {
        RegistrationBindings.ValidateReplace(aor, bindings);
        await _database.RunAsync(
            async (connection, ct) =>
            {
                await using var batch = new NpgsqlBatch(connection);
                batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock($1, hashtext($2))", Parameter(AorLockSpace), Parameter(aor)));
                batch.BatchCommands.Add(Command("DELETE FROM registrations WHERE aor = $1", Parameter(aor)));
                foreach (var binding in bindings)
                {
                    batch.BatchCommands.Add(InsertCommand(binding));
                }

                return await batch.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _database.RunAsync(
            async (connection, ct) =>
            {
                await using var command = new NpgsqlCommand("DELETE FROM registrations WHERE expires_at <= $1", connection);
                command.Parameters.Add(Parameter(now.UtcDateTime));
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static NpgsqlBatchCommand InsertCommand(RegistrarBinding binding) => Command(
        InsertSql,
        Parameter(binding.Aor),
        Parameter(binding.ContactUri),
        Parameter(binding.InstanceId ?? string.Empty),
        Parameter(binding.RegId ?? 0),
        Parameter(binding.Peer),
        Parameter(binding.ExpiresAt.UtcDateTime),
        Parameter(binding.CallId),
        Parameter(binding.CSeq),
        Parameter(binding.FlowId),
        Nullable(binding.RemoteEndPoint, NpgsqlDbType.Text),
        Nullable(binding.Transport, NpgsqlDbType.Text),
        Parameter<string[]>([.. binding.Path]),
        Nullable(binding.Q, NpgsqlDbType.Double),
        Nullable(binding.UserAgent, NpgsqlDbType.Text),
        Parameter(binding.UpdatedAt.UtcDateTime));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    // Typed parameters: no boxing, and a UTC DateTime is written as timestamptz.
    private static NpgsqlParameter<T> Parameter<T>(T value) => new() { TypedValue = value };

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };

    private static RegistrarBinding ReadBinding(NpgsqlDataReader reader) =>
        RegistrationRow.Read(reader, static (r, i) => new DateTimeOffset(r.GetDateTime(i)), static (r, i) => r.GetFieldValue<string[]>(i));
}
