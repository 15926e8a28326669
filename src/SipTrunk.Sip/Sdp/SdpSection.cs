using System.Buffers;
using System.Collections.ObjectModel;
using System.Text;

namespace SipTrunk.Sip.Sdp;

/// <summary>
/// What the session level and a media section have in common: an ordered list of lines kept verbatim, attribute access by
/// name, connection data and direction. Every edit touches only the lines it concerns, so untouched lines write back byte for byte.
/// </summary>
public abstract class SdpSection
{
    /// <summary>ICE attributes (RFC 8839 §5, RFC 8840 for end-of-candidates) that a media-anchoring relay must strip.</summary>
    private static readonly string[] _iceAttributeNames =
    [
        "candidate", "ice-ufrag", "ice-pwd", "ice-options", "ice-lite", "ice-mismatch",
        "remote-candidates", "end-of-candidates", "ice-pacing",
    ];

    private static readonly string[] _directionNames = ["sendrecv", "sendonly", "recvonly", "inactive"];

    private readonly List<SdpLine> _lines;

    private protected SdpSection(List<SdpLine> lines)
    {
        _lines = lines;
        Lines = new ReadOnlyCollection<SdpLine>(lines);
    }

    /// <summary>All lines of this section in order (for a media section, those after <c>m=</c>).</summary>
    public IReadOnlyList<SdpLine> Lines { get; }

    /// <summary>The attributes of this section in order.</summary>
    public IEnumerable<SdpAttribute> Attributes
    {
        get
        {
            foreach (SdpLine line in _lines)
            {
                if (line.Type == 'a')
                {
                    yield return SdpAttribute.FromLineValue(line.Value);
                }
            }
        }
    }

    /// <summary>
    /// The first <c>c=</c> line of this section. Setting replaces it in place (removing any further <c>c=</c> lines) or inserts one
    /// in RFC 8866 order; setting null removes all <c>c=</c> lines.
    /// </summary>
    public SdpConnection? Connection
    {
        get
        {
            int index = IndexOfType('c');
            return index < 0 ? null : ParseValidated<SdpConnection>(_lines[index].Value, SdpConnection.TryParse);
        }

        set => ReplaceLines('c', value?.ToString());
    }

    /// <summary>The direction attribute of this section, or null when none is present.</summary>
    public SdpDirection? ExplicitDirection
    {
        get
        {
            foreach (SdpLine line in _lines)
            {
                if (line.Type == 'a' && TryGetDirection(line.Value, out SdpDirection direction))
                {
                    return direction;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// The direction of this section: the direction attribute if present, else <see cref="SdpDirection.SendRecv"/> (RFC 8866 §6.7).
    /// Setting replaces the first direction attribute in place (removing others) or appends one.
    /// </summary>
    public SdpDirection Direction
    {
        get => ExplicitDirection ?? SdpDirection.SendRecv;
        set
        {
            string name = value switch
            {
                SdpDirection.SendRecv => "sendrecv",
                SdpDirection.SendOnly => "sendonly",
                SdpDirection.RecvOnly => "recvonly",
                SdpDirection.Inactive => "inactive",
                _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown direction."),
            };
            ReplaceAttributes(line => TryGetDirection(line.Value, out _), [name]);
        }
    }

    /// <summary>The first attribute called <paramref name="name"/>, or null.</summary>
    public SdpAttribute? GetAttribute(string name)
    {
        int index = IndexOfAttribute(name);
        return index < 0 ? null : SdpAttribute.FromLineValue(_lines[index].Value);
    }

    /// <summary>The value of the first attribute called <paramref name="name"/>; null when absent or a property attribute.</summary>
    public string? GetAttributeValue(string name) => GetAttribute(name)?.Value;

    /// <summary>All attributes called <paramref name="name"/>, in order.</summary>
    public IEnumerable<SdpAttribute> GetAttributes(string name) =>
        Attributes.Where(attribute => attribute.Name == name);

    /// <summary>Whether an attribute called <paramref name="name"/> is present.</summary>
    public bool HasAttribute(string name) => IndexOfAttribute(name) >= 0;

    /// <summary>Appends an attribute after the last attribute of this section.</summary>
    public void AddAttribute(SdpAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        _lines.Insert(InsertionIndex('a'), SdpLine.Trusted('a', attribute.ToWireString()));
    }

    /// <summary>Appends an attribute after the last attribute of this section.</summary>
    public void AddAttribute(string name, string? value = null) => AddAttribute(new SdpAttribute(name, value));

    /// <summary>
    /// Sets attribute <paramref name="name"/>: the first one is replaced in place and later ones removed; when absent it is appended.
    /// </summary>
    public void SetAttribute(string name, string? value = null)
    {
        var attribute = new SdpAttribute(name, value);
        ReplaceAttributes(line => SdpAttribute.LineHasName(line.Value, name), [attribute.ToWireString()]);
    }

    /// <summary>Removes every attribute called <paramref name="name"/>; returns how many were removed.</summary>
    public int RemoveAttributes(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _lines.RemoveAll(line => line.Type == 'a' && SdpAttribute.LineHasName(line.Value, name));
    }

    /// <summary>Removes every attribute matching <paramref name="predicate"/>; returns how many were removed.</summary>
    public int RemoveAttributes(Func<SdpAttribute, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return _lines.RemoveAll(line => line.Type == 'a' && predicate(SdpAttribute.FromLineValue(line.Value)));
    }

    /// <summary>
    /// Removes the ICE attributes of this section (candidate, ice-ufrag, ice-pwd, ice-options, ice-lite, ice-mismatch,
    /// remote-candidates, end-of-candidates, ice-pacing): a relay that anchors media replaces the peer's transport addresses, so
    /// the peer's candidates would be wrong (RFC 8839). Returns how many lines were removed.
    /// </summary>
    public int RemoveIceAttributes() =>
        _lines.RemoveAll(line => line.Type == 'a' && Array.Exists(_iceAttributeNames, name => SdpAttribute.LineHasName(line.Value, name)));

    /// <summary>
    /// Adds a non-structural line (e.g. <c>b=</c>, <c>i=</c>, <c>k=</c>, or a type letter this code does not know) at its
    /// RFC 8866 position. Use the typed members for <c>v= o= s= c= m= a=</c>.
    /// </summary>
    public void AddLine(SdpLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        ThrowIfStructural(line.Type);
        _lines.Insert(InsertionIndex(line.Type), line);
    }

    /// <summary>Removes every line of a non-structural type (e.g. all <c>b=</c> lines); returns how many were removed.</summary>
    public int RemoveLines(char type)
    {
        ThrowIfStructural(type);
        return _lines.RemoveAll(line => line.Type == type);
    }

    private protected List<SdpLine> LineList => _lines;

    /// <summary>The RFC 8866 §5 order rank of a line type in this kind of section, or -1 for types without a defined place.</summary>
    private protected abstract int Rank(char type);

    private protected abstract bool IsStructural(char type);

    private protected int IndexOfType(char type) => _lines.FindIndex(line => line.Type == type);

    private protected int IndexOfAttribute(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _lines.FindIndex(line => line.Type == 'a' && SdpAttribute.LineHasName(line.Value, name));
    }

    /// <summary>
    /// Replaces all lines of <paramref name="type"/> with a single one (at the first one's place, or at the RFC position),
    /// or removes them all when <paramref name="value"/> is null.
    /// </summary>
    private protected void ReplaceLines(char type, string? value)
    {
        int first = IndexOfType(type);
        _lines.RemoveAll(line => line.Type == type);
        if (value is null)
        {
            return;
        }

        _lines.Insert(first >= 0 ? first : InsertionIndex(type), SdpLine.Trusted(type, value));
    }

    /// <summary>
    /// Replaces the attribute lines matching <paramref name="match"/> with <paramref name="values"/>, placed where the first match
    /// was, or after the last attribute when nothing matched.
    /// </summary>
    private protected void ReplaceAttributes(Predicate<SdpLine> match, IReadOnlyList<string> values)
    {
        int first = _lines.FindIndex(line => line.Type == 'a' && match(line));
        _lines.RemoveAll(line => line.Type == 'a' && match(line));
        int index = first >= 0 ? first : InsertionIndex('a');
        _lines.InsertRange(index, values.Select(value => SdpLine.Trusted('a', value)));
    }

    /// <summary>
    /// After the last line whose rank is not greater than the new line's; lines of unknown type share the rank of the line
    /// before them, so they stay attached to their neighbour.
    /// </summary>
    private protected int InsertionIndex(char type)
    {
        int rank = Rank(type);
        int index = _lines.Count;
        if (rank < 0)
        {
            return index;
        }

        int current = -1;
        int insertAt = 0;
        for (int i = 0; i < _lines.Count; i++)
        {
            int lineRank = Rank(_lines[i].Type);
            current = lineRank < 0 ? current : lineRank;
            if (current <= rank)
            {
                insertAt = i + 1;
            }
        }

        return insertAt;
    }

    private protected static T ParseValidated<T>(string value, TryParseFunc<T> tryParse)
        where T : class =>
        tryParse(value, out T? result) && result is not null
            ? result
            : throw new InvalidOperationException("A line validated at parse time no longer parses; this is a bug.");

    private protected delegate bool TryParseFunc<T>(string? value, out T? result);

    internal void WriteLines(IBufferWriter<byte> writer)
    {
        foreach (SdpLine line in _lines)
        {
            WriteLine(writer, line.Type, line.Value);
        }
    }

    internal void AppendRedacted(StringBuilder builder)
    {
        foreach (SdpLine line in _lines)
        {
            builder.Append(line.ToString()).Append("\r\n");
        }
    }

    internal static void WriteLine(IBufferWriter<byte> writer, char type, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value) + 4;
        Span<byte> span = writer.GetSpan(length);
        span[0] = (byte)type;
        span[1] = (byte)'=';
        int written = Encoding.UTF8.GetBytes(value, span[2..]);
        span[2 + written] = (byte)'\r';
        span[3 + written] = (byte)'\n';
        writer.Advance(written + 4);
    }

    private static bool TryGetDirection(string attributeValue, out SdpDirection direction)
    {
        int index = Array.IndexOf(_directionNames, attributeValue);
        direction = index < 0 ? default : (SdpDirection)index;
        return index >= 0;
    }

    private void ThrowIfStructural(char type)
    {
        if (IsStructural(type))
        {
            throw new ArgumentException($"'{type}=' lines are managed through typed members.", nameof(type));
        }
    }
}
