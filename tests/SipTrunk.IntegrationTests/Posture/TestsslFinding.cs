namespace SipTrunk.IntegrationTests.Posture;

/// <summary>One entry of testssl's <c>--jsonfile</c> output: the check's id, its severity and what it found.</summary>
internal sealed record TestsslFinding(string Id, string Severity, string Finding);
