using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace SipTrunk.Core.Storage;

/// <summary>
/// Where a page of call records ended: the last row's start (microseconds since the epoch, as indexed) and id, the
/// keyset the next page continues below. Encoded as base64url of a version byte, the start (8 bytes, big-endian) and
/// the id's UTF-8, so clients treat it as opaque.
/// </summary>
internal readonly record struct CallRecordCursor(long StartedAtMicroseconds, string Id)
{
    private const byte Version = 1;
    private const int HeaderLength = 1 + sizeof(long);

    // Ids are 32 hex digits; anything far longer is not a cursor we issued, and decoding it would only waste memory.
    private const int MaxEncodedLength = 1024;

    public string Encode()
    {
        var bytes = new byte[HeaderLength + Encoding.UTF8.GetByteCount(Id)];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), StartedAtMicroseconds);
        Encoding.UTF8.GetBytes(Id, bytes.AsSpan(HeaderLength));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Decodes a cursor; false for anything this store did not issue (never throws).</summary>
    public static bool TryDecode(string text, out CallRecordCursor cursor)
    {
        cursor = default;
        if (text.Length > MaxEncodedLength || !Base64Url.IsValid(text, out var length) || length <= HeaderLength)
        {
            return false;
        }

        var bytes = new byte[length];
        if (!Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != length || bytes[0] != Version)
        {
            return false;
        }

        var id = bytes.AsSpan(HeaderLength);
        if (!Utf8.IsValid(id))
        {
            return false;
        }

        cursor = new CallRecordCursor(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1)), Encoding.UTF8.GetString(id));
        return true;
    }
}
