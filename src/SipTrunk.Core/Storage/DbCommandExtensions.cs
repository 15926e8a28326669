using System.Data.Common;

namespace SipTrunk.Core.Storage;

/// <summary>Provider-neutral ADO.NET helpers for the statements the SQLite and PostgreSQL stores share.</summary>
internal static class DbCommandExtensions
{
    /// <summary>Adds a named parameter (<c>@name</c> works in both Microsoft.Data.Sqlite and Npgsql); null becomes NULL.</summary>
    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
