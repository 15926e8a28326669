using System.Runtime.InteropServices;

namespace SipTrunk.Core.Transport;

/// <summary>
/// SipTrunk's process-wide OpenSSL configuration (<c>siptrunk-openssl.cnf</c> beside the executable): TLS 1.2 limited to
/// ECDHE with AES-GCM or ChaCha20-Poly1305, TLS 1.3 with its own (all AEAD) suites. With the suites fixed there, SslStream
/// needs no <see cref="System.Net.Security.CipherSuitesPolicy"/>, and only without one does .NET on Linux keep OpenSSL's
/// SSL_CTX — and so its session cache and ticket key — across handshakes (<see cref="TlsMaterial.CanResume"/>).
/// OpenSSL reads <c>OPENSSL_CONF</c> once, when it initialises, so <see cref="Apply"/> must run before any cryptography.
/// </summary>
public static class OpenSslDefaults
{
    /// <summary>The file's name, copied beside the executable by the build.</summary>
    public const string FileName = "siptrunk-openssl.cnf";

    private const string Variable = "OPENSSL_CONF";

    /// <summary>The configuration file this build ships.</summary>
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, FileName);

    /// <summary>
    /// Points OpenSSL at <see cref="FilePath"/> unless the operator set <c>OPENSSL_CONF</c> already (theirs is kept) or
    /// this is not Linux or the file is missing. Returns whether SipTrunk's configuration is in force.
    /// </summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(FilePath))
        {
            return false;
        }

        // The native environment, not .NET's copy of it: OpenSSL calls getenv.
        if (NativeGetEnvironment(Variable) is { } current)
        {
            return string.Equals(current, FilePath, StringComparison.Ordinal);
        }

        return SetNativeEnvironment(Variable, FilePath, 1) == 0;
    }

    /// <summary>Whether OpenSSL runs with <see cref="FilePath"/>, so TLS 1.2 offers AEAD suites only without a policy.</summary>
    public static bool InForce =>
        OperatingSystem.IsLinux() && string.Equals(NativeGetEnvironment(Variable), FilePath, StringComparison.Ordinal);

    private static string? NativeGetEnvironment(string name) => Marshal.PtrToStringUTF8(getenv(NullTerminated(name)));

    private static int SetNativeEnvironment(string name, string value, int overwrite) =>
        setenv(NullTerminated(name), NullTerminated(value), overwrite);

    // C strings as bytes: no marshalling rules to get wrong, and UTF-8 whatever the locale.
    private static byte[] NullTerminated(string text) => System.Text.Encoding.UTF8.GetBytes(text + "\0");

    [DllImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr getenv(byte[] name);

    [DllImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int setenv(byte[] name, byte[] value, int overwrite);
}
