namespace SipTrunk.Cli;

/// <summary>A user error: the CLI prints <see cref="Exception.Message"/> as one line on stderr and exits 1.</summary>
internal sealed class CliUserException : Exception
{
    public CliUserException(string message)
        : base(message)
    {
    }

    public CliUserException()
    {
    }

    public CliUserException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
