using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SipTrunk.Sip.Sdp;

/// <summary>
/// A session description (RFC 8866, accepting RFC 4566 input) as a lossless working model: every line is kept verbatim and in
/// order, typed members read and edit only the lines they concern, so <c>WriteTo(TryParse(x))</c> reproduces well-formed CRLF
/// input byte for byte. LF-only input is accepted (RFC 8866 §5) and written back with CRLF.
/// </summary>
/// <remarks>
/// Parsing choices: a missing <c>t=</c> is accepted (many gateways omit it and nothing in a relay depends on it); an <c>a=crypto</c>
/// line that does not parse does not fail the whole description — it is kept verbatim and reported by
/// <see cref="MediaDescription.InvalidCrypto"/> / <see cref="HasInvalidCrypto"/> so the caller can refuse with 488.
/// <see cref="ToString"/> is redacted (SDES keys, MIKEY, ice-pwd, k=) and is the only form that may be logged.
/// Instances are mutable and not thread-safe; use <see cref="Clone"/> to give each call leg its own copy.
/// </remarks>
public sealed class SessionDescription : SdpSection
{
    /// <summary>Largest accepted description in bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Most lines accepted.</summary>
    public const int MaxLines = 1024;

    /// <summary>Most media sections accepted.</summary>
    public const int MaxMediaDescriptions = 64;

    private const string SessionOrder = "vosiuepcbtrzka";

    private readonly SdpMediaCollection _media;

    internal SessionDescription(List<SdpLine> sessionLines, IEnumerable<MediaDescription> media)
        : base(sessionLines)
    {
        _media = new SdpMediaCollection(media);
    }

    /// <summary>The origin line. Setting replaces it in place.</summary>
    public SdpOrigin Origin
    {
        get => ParseValidated<SdpOrigin>(LineList[IndexOfType('o')].Value, SdpOrigin.TryParse);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ReplaceLines('o', value.ToString());
        }
    }

    /// <summary>The <c>s=</c> session name (RFC 8866 §5.3; <c>-</c> or a single space when there is none).</summary>
    public string SessionName
    {
        get => LineList[IndexOfType('s')].Value;
        set
        {
            SdpText.ThrowIfNotLineSafe(value, nameof(value));
            if (value.Length == 0)
            {
                throw new ArgumentException("RFC 8866 §5.3: use a single space when there is no session name.", nameof(value));
            }

            ReplaceLines('s', value);
        }
    }

    /// <summary>The media sections in order. Entries may be added, removed or replaced (but RFC 3264 §8 forbids removing in re-offers).</summary>
    public IList<MediaDescription> Media => _media;

    /// <summary>Whether any media section has a malformed <c>a=crypto</c> line.</summary>
    public bool HasInvalidCrypto => _media.Any(media => media.HasInvalidCrypto);

    /// <summary>Parses a session description from UTF-8 bytes. Never throws; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(ReadOnlySpan<byte> sdp, [NotNullWhen(true)] out SessionDescription? result, [NotNullWhen(false)] out string? error) =>
        SdpParser.TryParse(sdp, out result, out error);

    /// <summary>Increments the origin's session version, as required for every changed offer or answer (RFC 3264 §8).</summary>
    public void IncrementVersion() => Origin = Origin.WithIncrementedVersion();

    /// <summary>
    /// The direction that applies to <paramref name="media"/>: its own attribute, else the session-level one, else sendrecv
    /// (RFC 8866 §6.7).
    /// </summary>
    public SdpDirection GetEffectiveDirection(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.ExplicitDirection ?? ExplicitDirection ?? SdpDirection.SendRecv;
    }

    /// <summary>Removes ICE attributes at session level and from every media section; returns how many lines were removed.</summary>
    public int RemoveAllIceAttributes() => RemoveIceAttributes() + _media.Sum(media => media.RemoveIceAttributes());

    /// <summary>Writes the description with CRLF line endings.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteLines(writer);
        foreach (MediaDescription media in _media)
        {
            WriteLine(writer, 'm', media.MediaLineValue);
            media.WriteLines(writer);
        }
    }

    /// <summary>The description as UTF-8 bytes, key material included — for the wire, never for logs.</summary>
    public byte[] ToArray()
    {
        var writer = new ArrayBufferWriter<byte>(1024);
        WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>A deep copy, e.g. to rewrite the same offer differently for two call legs.</summary>
    public SessionDescription Clone() => new([.. LineList], _media.Select(media => media.Clone()));

    /// <summary>The description with SRTP keys and other secrets replaced by <c>&lt;redacted&gt;</c>; safe for logs.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(1024);
        AppendRedacted(builder);
        foreach (MediaDescription media in _media)
        {
            builder.Append(media.ToString());
        }

        return builder.ToString();
    }

    private protected override int Rank(char type) => SessionOrder.IndexOf(type, StringComparison.Ordinal);

    private protected override bool IsStructural(char type) => type is 'v' or 'o' or 's' or 'm' or 'c' or 'a';
}
