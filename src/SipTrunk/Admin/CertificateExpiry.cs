namespace SipTrunk.Admin;

/// <summary>A certificate in use and when it expires; <see cref="Name"/> is the <c>certificate</c> label of <c>siptrunk_certificate_expiry_seconds</c>.</summary>
internal sealed record CertificateExpiry(string Name, string Subject, DateTimeOffset NotAfter);
