using System.Text;
using BenchmarkDotNet.Attributes;
using SipTrunk.Core.Auth;
using SipTrunk.Sip.Auth;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Benchmarks;

/// <summary>
/// What peer authentication costs per request (issue 4): issuing a challenge pair (two HMAC nonces) and checking a
/// REGISTER's credentials (nonce HMAC, HA2 and response hashes, constant-time compare, nonce-count table), for SHA-256
/// and MD5. The same parsed request is verified again and again: after the first it is a replay, which is found only
/// after the response has been checked, so every call does the full work.
/// </summary>
[MemoryDiagnoser]
public class DigestBenchmarks
{
    private const string Realm = "trunk.example.net";
    private const string Password = "bench-password";
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly PeerCredentials _credentials = new(
        "pbx-a",
        DigestMath.ComputeHa1(DigestAlgorithm.Sha256, "pbx-a", Realm, Password),
        DigestMath.ComputeHa1(DigestAlgorithm.Md5, "pbx-a", Realm, Password));

    private DigestServerAuthenticator _server = null!;
    private SipRequest _sha256 = null!;
    private SipRequest _md5 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = DigestServerAuthenticator.CreateRandom(new DigestServerSettings { Realm = Realm }, _time);
        var challenges = _server.CreateChallenges(stale: false);
        _ = DigestChallenge.TryParse(challenges[0], out var sha256, out _);
        _ = DigestChallenge.TryParse(challenges[1], out var md5, out _);
        _sha256 = Register(sha256!);
        _md5 = Register(md5!);
    }

    [Benchmark]
    public IReadOnlyList<string> CreateChallenges() => _server.CreateChallenges(stale: false, _credentials);

    [Benchmark]
    public DigestOutcome VerifySha256() => _server.Verify(_sha256, HeaderId.Authorization, _credentials).Outcome;

    [Benchmark]
    public DigestOutcome VerifyMd5() => _server.Verify(_md5, HeaderId.Authorization, _credentials).Outcome;

    // A REGISTER carrying valid credentials for the challenge.
    private SipRequest Register(DigestChallenge challenge)
    {
        const string nc = "00000001";
        var algorithm = challenge.Algorithm == "MD5" ? DigestAlgorithm.Md5 : DigestAlgorithm.Sha256;
        var ha2 = DigestMath.ComputeHa2(algorithm, "REGISTER", "sip:trunk.example.net");
        var ha1 = algorithm == DigestAlgorithm.Md5 ? _credentials.Ha1Md5! : _credentials.Ha1Sha256!;
        var response = DigestMath.ComputeResponse(algorithm, ha1, challenge.Nonce!, nc, "0a4f113b", "auth", ha2);
        var authorization = DigestCredentials.Create("pbx-a", Realm, challenge.Nonce!, "sip:trunk.example.net", response, challenge.Algorithm, "0a4f113b", null, "auth", nc).ToHeaderValue();
        var text = "REGISTER sip:trunk.example.net SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK-b\r\nMax-Forwards: 70\r\n"
            + "From: <sip:pbx-a@trunk.example.net>;tag=1\r\nTo: <sip:pbx-a@trunk.example.net>\r\nCall-ID: bench\r\nCSeq: 1 REGISTER\r\n"
            + $"Authorization: {authorization}\r\nContent-Length: 0\r\n\r\n";
        return (SipRequest)SipParser.Parse(Encoding.ASCII.GetBytes(text)).Message!;
    }
}
