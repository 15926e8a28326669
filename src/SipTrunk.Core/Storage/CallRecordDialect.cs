using System.Data.Common;

namespace SipTrunk.Core.Storage;

/// <summary>
/// What differs between the SQLite and PostgreSQL call-record tables where the queries are otherwise shared: how an
/// instant is stored (integer microseconds in SQLite, <c>timestamptz</c> in PostgreSQL) and the name of the substring
/// position function (<c>instr</c> / <c>strpos</c>).
/// </summary>
internal sealed class CallRecordDialect
{
    private readonly bool _integerTimestamps;
    private readonly string _positionFunction;

    private CallRecordDialect(bool integerTimestamps, string positionFunction)
    {
        _integerTimestamps = integerTimestamps;
        _positionFunction = positionFunction;
    }

    public static CallRecordDialect Sqlite { get; } = new(integerTimestamps: true, "instr");

    public static CallRecordDialect Postgres { get; } = new(integerTimestamps: false, "strpos");

    /// <summary>The parameter value of an instant given in microseconds since the epoch.</summary>
    public object Timestamp(long unixMicroseconds) =>
        _integerTimestamps ? unixMicroseconds : StorageTime.ToUtcDateTime(unixMicroseconds);

    /// <summary>An instant column read back as microseconds since the epoch.</summary>
    public long ReadTimestamp(DbDataReader reader, int ordinal) =>
        _integerTimestamps ? reader.GetInt64(ordinal) : StorageTime.FromUtcDateTime(reader.GetDateTime(ordinal));

    /// <summary>A condition true when <paramref name="column"/> contains the parameter's text (case-sensitive, no wildcards).</summary>
    public string Contains(string column, string parameter) => $"{_positionFunction}({column}, {parameter}) > 0";
}
