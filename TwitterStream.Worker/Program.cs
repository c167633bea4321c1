using TwitterStream.Worker;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.XApi;

if (HealthCheckCommand.IsRequested(args))
{
    return await HealthCheckCommand.RunAsync();
}

var builder = WebApplication.CreateBuilder(args);
if (!WorkerHost.TryConfigure(builder, out var error))
{
    await Console.Error.WriteLineAsync($"Configuration error: {error}");
    return 1;
}

var app = WorkerHost.Build(builder);
var exit = app.Services.GetRequiredService<WorkerExit>(); // RunAsync disposes the container
await app.RunAsync();
return exit.Code;
