using System.Buffers;

namespace SipTrunk.Sip.Uris;

/// <summary>The characters each URI component may carry unescaped (RFC 3261 §25.1, RFC 3966 §3).</summary>
internal static class UriCharacterSets
{
    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()";

    /// <summary><c>user = 1*( unreserved / escaped / user-unreserved )</c>.</summary>
    public static readonly SearchValues<char> User = SearchValues.Create(Unreserved + "&=+$,;?/");

    /// <summary><c>password = *( unreserved / escaped / "&amp;" / "=" / "+" / "$" / "," )</c>.</summary>
    public static readonly SearchValues<char> Password = SearchValues.Create(Unreserved + "&=+$,");

    /// <summary><c>paramchar = param-unreserved / unreserved / escaped</c>.</summary>
    public static readonly SearchValues<char> Param = SearchValues.Create(Unreserved + "[]/:&+$");

    /// <summary><c>hnv-unreserved / unreserved / escaped</c> for URI headers.</summary>
    public static readonly SearchValues<char> Header = SearchValues.Create(Unreserved + "[]/?:+$");

    /// <summary><c>uric</c> (RFC 2396 <c>reserved / unreserved</c>) for RFC 3966 <c>isub</c> values.</summary>
    public static readonly SearchValues<char> Uric = SearchValues.Create(Unreserved + ";/?:@&=+$,");
}
