using System.Text.Json;
using System.Text.Json.Serialization;

namespace SipTrunk.Sip.Tests.Torture;

/// <summary>One entry of Data/Rfc4475/manifest.json or Data/Rfc5118/manifest.json.</summary>
public sealed record TortureCase
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    public string Folder { get; init; } = "";

    public string File { get; init; } = "";

    public string Section { get; init; } = "";

    public string Title { get; init; } = "";

    public string Kind { get; init; } = "";

    public string Expectation { get; init; } = "";

    public int? Response { get; init; }

    public string? Method { get; init; }

    public string? RequestUri { get; init; }

    public int? StatusCode { get; init; }

    public string? CallId { get; init; }

    public string? Cseq { get; init; }

    public int? ViaCount { get; init; }

    public string? TopViaBranch { get; init; }

    public int? MaxForwards { get; init; }

    public int? ContentLength { get; init; }

    public int? BodyLength { get; init; }

    public string? ToTag { get; init; }

    public string? FromTag { get; init; }

    public int? HeaderCount { get; init; }

    public byte[] LoadBytes() => TestMessages.Load(Folder, File);

    public override string ToString() => $"{Folder}/{File}";

    public static IEnumerable<object[]> All(string expectation) =>
        Load("Rfc4475").Concat(Load("Rfc5118")).Where(c => c.Expectation == expectation).Select(c => new object[] { c });

    private static IEnumerable<TortureCase> Load(string folder)
    {
        var json = System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", folder, "manifest.json"));
        return JsonSerializer.Deserialize<List<TortureCase>>(json, JsonOptions)!.Select(c => c with { Folder = folder });
    }
}
