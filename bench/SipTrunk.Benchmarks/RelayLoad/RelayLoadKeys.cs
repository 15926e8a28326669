using System.Security.Cryptography;
using System.Text;
using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Benchmarks.RelayLoad;

/// <summary>
/// The SRTP master keys of the load run, derived from the stream index and the hop so the generator and the relay
/// server agree without exchanging them. Hops: <c>a-up</c> (party A to the relay, leg A's Decrypt), <c>b-down</c>
/// (relay to party B, leg B's Encrypt), <c>b-up</c> and <c>a-down</c> the other way.
/// </summary>
internal static class RelayLoadKeys
{
    public static SrtpContext Context(SrtpSuite suite, int stream, string hop)
    {
        Span<byte> material = stackalloc byte[64];
        SHA512.HashData(Encoding.ASCII.GetBytes($"relay-load/{stream}/{hop}"), material);
        return SrtpContext.Create(suite, material[..suite.KeyLength], material.Slice(suite.KeyLength, suite.SaltLength));
    }
}
