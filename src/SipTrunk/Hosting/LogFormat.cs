namespace SipTrunk.Hosting;

/// <summary><c>run --log-format</c>: the console sink's output format when the Serilog section configures no sink.</summary>
internal enum LogFormat
{
    Text,
    Json,
}
