using System.Text.Json;
using System.Text.Json.Serialization;

namespace SipTrunk.Core.Cdr;

/// <summary>The one JSON shape of call records (CONTRACT.md §4: camelCase), for the stores, the CLI and the API.</summary>
public static class CallRecordJson
{
    /// <summary>camelCase names, ISO-8601 dates, nulls written (every contract field is always present).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    public static string Serialize(CallRecord record) => JsonSerializer.Serialize(record, Options);

    public static CallRecord? Deserialize(string json) => JsonSerializer.Deserialize<CallRecord>(json, Options);
}
