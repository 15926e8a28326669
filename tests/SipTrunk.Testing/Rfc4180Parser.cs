using System.Text;

namespace SipTrunk.Testing;

/// <summary>
/// A strict RFC 4180 reader for the tests: CRLF-terminated records, fields optionally quoted, a doubled quote inside
/// quotes is one quote, and commas and line breaks inside quotes are data. Anything else (a bare LF, a quote inside
/// an unquoted field, text after a closing quote) throws, so output that is only almost CSV fails the test.
/// </summary>
public static class Rfc4180Parser
{
    public static List<List<string>> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("unterminated quoted field");
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    if (text[i] == '"')
                    {
                        throw new FormatException($"quote inside an unquoted field at {i}");
                    }

                    field.Append(text[i++]);
                }
            }

            record.Add(field.ToString());
            field.Clear();
            if (i >= text.Length)
            {
                throw new FormatException("the last record does not end with CRLF");
            }

            if (text[i] == ',')
            {
                i++;
                continue;
            }

            if (text[i] != '\r' || i + 1 >= text.Length || text[i + 1] != '\n')
            {
                throw new FormatException($"expected CRLF at {i}");
            }

            i += 2;
            records.Add(record);
            record = [];
        }

        return records;
    }
}
