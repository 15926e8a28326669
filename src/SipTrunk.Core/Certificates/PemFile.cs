using System.Security.Cryptography;

namespace SipTrunk.Core.Certificates;

/// <summary>Writes PEM files so that they appear whole, and private keys are never readable by others.</summary>
internal static class PemFile
{
    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode PublicMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file beside <paramref name="path"/> created with its final
    /// mode (0600 for private keys: set at creation, so the key is never world-readable even briefly), then renames
    /// it into place. Without <paramref name="overwrite"/> the rename fails if <paramref name="path"/> exists.
    /// </summary>
    public static void Write(string path, string content, bool isPrivateKey, bool overwrite)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw new IOException($"{path}: no parent directory");
        var temporary = Path.Combine(
            directory,
            $".{Path.GetFileName(fullPath)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = isPrivateKey ? PrivateMode : PublicMode;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
            }

            File.Move(temporary, fullPath, overwrite);
        }
        catch
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw;
        }
    }
}
