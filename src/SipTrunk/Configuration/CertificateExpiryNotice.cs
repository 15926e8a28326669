namespace SipTrunk.Configuration;

/// <summary>A certificate in use that has expired, or expires within <c>Tls:CertificateExpiryWarningDays</c>.</summary>
/// <param name="Key">The configuration key of its file (<c>Tls.Certificate</c>, <c>Tls.TrustedCaCertificates[0]</c>).</param>
/// <param name="Path">The file.</param>
/// <param name="Subject">The certificate's subject.</param>
/// <param name="NotAfter">When it expires (expired).</param>
/// <param name="Expired">Whether that moment has passed.</param>
internal sealed record CertificateExpiryNotice(string Key, string Path, string Subject, DateTimeOffset NotAfter, bool Expired)
{
    /// <summary><c>expired on 2026-01-02 03:04:05Z (PATH, SUBJECT)</c> or <c>expires on … in N day(s) (…)</c>.</summary>
    public string Describe(DateTimeOffset now)
    {
        var when = NotAfter.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture);
        if (Expired)
        {
            return $"expired on {when} ({Path}, {Subject})";
        }

        var days = (int)Math.Ceiling((NotAfter - now).TotalDays);
        return $"expires on {when}, in {days} day(s) ({Path}, {Subject})";
    }
}
