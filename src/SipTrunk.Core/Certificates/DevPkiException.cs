namespace SipTrunk.Core.Certificates;

/// <summary>
/// The development PKI cannot do what was asked (bad name, a file it would overwrite, an unreadable CA). The message
/// is one line, fit to show an operator.
/// </summary>
public sealed class DevPkiException : Exception
{
    public DevPkiException()
    {
    }

    public DevPkiException(string message)
        : base(message)
    {
    }

    public DevPkiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the refusal to overwrite <paramref name="existingFiles"/>.</summary>
    public DevPkiException(string message, IReadOnlyList<string> existingFiles)
        : base(message)
    {
        ExistingFiles = existingFiles;
    }

    /// <summary>Files that exist and would have been overwritten; empty for other failures.</summary>
    public IReadOnlyList<string> ExistingFiles { get; } = [];
}
