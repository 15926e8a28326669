using SipTrunk.Sip.Messages;

namespace SipTrunk.Sip.Tests.Messages;

internal static class HeaderValueEnumeratorExtensions
{
    public static HeaderValue[] ToArray(this HeaderValueEnumerator values)
    {
        var list = new List<HeaderValue>();
        foreach (var value in values)
        {
            list.Add(value);
        }

        return [.. list];
    }
}
