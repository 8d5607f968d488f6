using Hypermedia.Server.Platform.Cli;
using Hypermedia.Server.Platform.LocalPostgres;
using Hypermedia.Server.Platform.Startup;

var builder = WebApplication.CreateBuilder(args);
var isCommand = CommandLine.IsCommand(args);
if (isCommand)
{
    // Commands print their result on stdout; logs must not mix into it.
    builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}

string connectionString;
LocalPostgresCluster? privateCluster;
try
{
    (connectionString, privateCluster) = await DatabaseStartup.ResolveAsync(builder.Configuration, builder.Environment, isCommand);
}
catch (StartupException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

await using var cluster = privateCluster;
var app = builder.AddHypermedia(connectionString).Build();
app.UseHypermedia().MapHypermediaApi();

// Commands never seed: their stdout is their result alone.
await DatabaseStartup.PrepareAsync(app, privateCluster is not null, seedDemo: !isCommand);
if (isCommand)
{
    return await CommandLine.RunAsync(app.Services, args, Console.Out, Console.Error);
}

await app.RunAsync();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
