using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace SipTrunk.Sip.Sdp;

/// <summary>Splits SDP bytes into lines and builds a <see cref="SessionDescription"/>, validating structure (RFC 8866 §5).</summary>
internal static class SdpParser
{
    internal static bool TryParse(ReadOnlySpan<byte> sdp, [NotNullWhen(true)] out SessionDescription? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (sdp.IsEmpty)
        {
            error = "empty session description";
            return false;
        }

        if (sdp.Length > SessionDescription.MaxBytes)
        {
            error = $"session description larger than {SessionDescription.MaxBytes} bytes";
            return false;
        }

        var sessionLines = new List<SdpLine>();
        var media = new List<MediaDescription>();
        List<SdpLine> current = sessionLines;
        int lineNumber = 0;
        bool sawBlankLine = false;
        bool sawOrigin = false;
        bool sawName = false;
        ReadOnlySpan<byte> rest = sdp;
        while (!rest.IsEmpty)
        {
            int newline = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? [] : rest[(newline + 1)..];
            lineNumber++;

            // RFC 8866 §5: lines end in CRLF, but parsers should also accept a bare LF.
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                // Tolerate blank lines at the very end (some stacks add one); they are not written back.
                sawBlankLine = true;
                continue;
            }

            if (sawBlankLine)
            {
                error = $"line {lineNumber - 1}: empty line inside the description";
                return false;
            }

            if (lineNumber > SessionDescription.MaxLines)
            {
                error = $"more than {SessionDescription.MaxLines} lines";
                return false;
            }

            if (!TryReadLine(line, lineNumber, out char type, out string? value, out error))
            {
                return false;
            }

            if (lineNumber == 1)
            {
                if (type != 'v' || value != "0")
                {
                    error = "first line must be v=0";
                    return false;
                }

                sessionLines.Add(SdpLine.Trusted(type, value));
                continue;
            }

            bool inSession = ReferenceEquals(current, sessionLines);
            switch (type)
            {
                case 'v':
                    error = $"line {lineNumber}: v= may only appear first";
                    return false;
                case 'o' or 's' when !inSession:
                    error = $"line {lineNumber}: {type}= is not allowed in a media section";
                    return false;
                case 'o':
                    if (sawOrigin || !SdpOrigin.TryParse(value, out _))
                    {
                        error = sawOrigin ? $"line {lineNumber}: duplicate o= line" : $"line {lineNumber}: malformed o= line";
                        return false;
                    }

                    sawOrigin = true;
                    break;
                case 's':
                    if (sawName)
                    {
                        error = $"line {lineNumber}: duplicate s= line";
                        return false;
                    }

                    sawName = true;
                    break;
                case 'c':
                    if (!SdpConnection.TryParse(value, out _))
                    {
                        error = $"line {lineNumber}: malformed c= line";
                        return false;
                    }

                    break;
                case 'm':
                    if (media.Count == SessionDescription.MaxMediaDescriptions)
                    {
                        error = $"more than {SessionDescription.MaxMediaDescriptions} media sections";
                        return false;
                    }

                    current = [];
                    if (!MediaDescription.TryCreate(value, current, out MediaDescription? section, out string? mediaError))
                    {
                        error = $"line {lineNumber}: {mediaError}";
                        return false;
                    }

                    media.Add(section);
                    continue;
            }

            current.Add(SdpLine.Trusted(type, value));
        }

        if (!sawOrigin)
        {
            error = "missing o= line";
            return false;
        }

        if (!sawName)
        {
            error = "missing s= line";
            return false;
        }

        result = new SessionDescription(sessionLines, media);
        error = null;
        return true;
    }

    private static bool TryReadLine(ReadOnlySpan<byte> line, int lineNumber, out char type, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        type = '\0';
        value = null;
        if (line.Length < 2 || !char.IsAsciiLetter((char)line[0]) || line[1] != (byte)'=')
        {
            error = $"line {lineNumber}: not of the form <letter>=<value>";
            return false;
        }

        ReadOnlySpan<byte> valueBytes = line[2..];
        int bad = valueBytes.IndexOfAny((byte)'\r', (byte)0);
        if (bad >= 0)
        {
            error = $"line {lineNumber}: {(valueBytes[bad] == 0 ? "NUL" : "bare CR")} in value";
            return false;
        }

        // Invalid UTF-8 is refused rather than replaced, so that whatever is accepted writes back unchanged.
        if (!Utf8.IsValid(valueBytes))
        {
            error = $"line {lineNumber}: value is not valid UTF-8";
            return false;
        }

        value = Encoding.UTF8.GetString(valueBytes);

        type = (char)line[0];
        error = null;
        return true;
    }
}
