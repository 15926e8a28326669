using System.Data.Common;
using SipTrunk.Core.Registrar;

namespace SipTrunk.Core.Storage;

/// <summary>
/// Reads one registration row in the column order both registration stores select (aor, contact_uri, instance_id,
/// reg_id, peer, expires_at, call_id, cseq, flow_id, remote_endpoint, transport, path, q, user_agent, updated_at);
/// each database supplies how it stores instants and the Path list.
/// </summary>
internal static class RegistrationRow
{
    public static RegistrarBinding Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> instant, Func<DbDataReader, int, IReadOnlyList<string>> path)
    {
        var instance = reader.GetString(2);
        var regId = reader.GetInt32(3);
        return new RegistrarBinding
        {
            Aor = reader.GetString(0),
            ContactUri = reader.GetString(1),
            InstanceId = instance.Length == 0 ? null : instance,
            RegId = regId == 0 ? null : regId,
            Peer = reader.GetString(4),
            ExpiresAt = instant(reader, 5),
            CallId = reader.GetString(6),
            CSeq = reader.GetInt64(7),
            FlowId = reader.GetInt64(8),
            RemoteEndPoint = reader.IsDBNull(9) ? null : reader.GetString(9),
            Transport = reader.IsDBNull(10) ? null : reader.GetString(10),
            Path = path(reader, 11),
            Q = reader.IsDBNull(12) ? null : reader.GetDouble(12),
            UserAgent = reader.IsDBNull(13) ? null : reader.GetString(13),
            UpdatedAt = instant(reader, 14),
        };
    }
}
