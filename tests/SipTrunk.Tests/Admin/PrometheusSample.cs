namespace SipTrunk.Tests.Admin;

/// <summary>One series and its value.</summary>
internal sealed record PrometheusSample(string Name, Dictionary<string, string> Labels, double Value);
