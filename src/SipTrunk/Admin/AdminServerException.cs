namespace SipTrunk.Admin;

/// <summary>The admin server cannot serve: a URL of <c>Admin:Urls</c> cannot be bound, or its certificate cannot be loaded.</summary>
internal sealed class AdminServerException : Exception
{
    public AdminServerException()
    {
    }

    public AdminServerException(string message)
        : base(message)
    {
    }

    public AdminServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
