using System.Text;

namespace SipTrunk.Sip.Messages;

/// <summary>
/// Enumerates the values of one header across lines, splitting list headers at top-level commas
/// (not inside quoted strings, angle brackets or comments), allocation-free.
/// </summary>
public struct HeaderValueEnumerator
{
    private readonly SipMessage _message;
    private readonly HeaderId _id;
    private readonly string? _unknownName;
    private readonly bool _isList;
    private int _line;
    private int _next;
    private int _end;

    internal HeaderValueEnumerator(SipMessage message, HeaderId id, string? unknownName)
    {
        _message = message;
        _id = id;
        _unknownName = unknownName;
        _isList = id != HeaderId.Unknown && KnownHeaders.Get(id).IsList;
        _line = -1;
        _next = 0;
        _end = 0;
        Current = default;
    }

    /// <summary>The current value.</summary>
    public HeaderValue Current { get; private set; }

    public readonly HeaderValueEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var span = _message.Buffer.Span;
        while (true)
        {
            if (_next >= _end && !AdvanceLine())
            {
                return false;
            }

            var start = _next;
            var stop = _isList ? FindListSeparator(span, start, _end) : _end;
            _next = stop + 1;
            var (valueStart, valueLength) = Trim(span, start, stop);
            if (valueLength > 0)
            {
                Current = new HeaderValue(_message.Buffer, _line, valueStart, valueLength);
                return true;
            }
        }
    }

    /// <summary>Counts the remaining values.</summary>
    public int Count()
    {
        var copy = this;
        var count = 0;
        while (copy.MoveNext())
        {
            count++;
        }

        return count;
    }

    internal static int FindListSeparator(ReadOnlySpan<byte> span, int start, int end)
    {
        var inQuotes = false;
        var angle = 0;
        var comment = 0;
        for (var i = start; i < end; i++)
        {
            var b = span[i];
            if (inQuotes)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inQuotes = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inQuotes = true;
                    break;
                case (byte)'<':
                    angle++;
                    break;
                case (byte)'>' when angle > 0:
                    angle--;
                    break;
                case (byte)'(':
                    comment++;
                    break;
                case (byte)')' when comment > 0:
                    comment--;
                    break;
                case (byte)',' when angle == 0 && comment == 0:
                    return i;
            }
        }

        return end;
    }

    private static (int Start, int Length) Trim(ReadOnlySpan<byte> span, int start, int stop)
    {
        while (start < stop && IsLws(span[start]))
        {
            start++;
        }

        while (stop > start && IsLws(span[stop - 1]))
        {
            stop--;
        }

        return (start, stop - start);
    }

    private static bool IsLws(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private bool AdvanceLine()
    {
        var headers = _message.Headers;
        for (var i = _line + 1; i < headers.Length; i++)
        {
            ref readonly var field = ref headers[i];
            if (field.Id != _id)
            {
                continue;
            }

            if (_unknownName is not null && !NameEquals(_message.GetName(field), _unknownName))
            {
                continue;
            }

            _line = i;
            _next = field.ValueStart;
            _end = field.ValueStart + field.ValueLength;
            if (_end == _next)
            {
                // An empty value still counts as a line, but yields no value.
                continue;
            }

            return true;
        }

        _line = headers.Length;
        return false;
    }

    private static bool NameEquals(ReadOnlySpan<byte> wire, string name) =>
        Ascii.EqualsIgnoreCase(wire, name.AsSpan());
}
