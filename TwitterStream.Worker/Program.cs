using TwitterStream.Worker;
using TwitterStream.Worker.Compliance;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Health;
using TwitterStream.Worker.XApi;

if (HealthCheckCommand.IsRequested(args))
{
    return await HealthCheckCommand.RunAsync();
}

if (ComplianceSweepCommand.IsRequested(args))
{
    return await ComplianceSweepCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
WorkerHost.Configure(builder);
var app = WorkerHost.Build(builder);
if (!WorkerOptionsRegistration.TryValidate(app.Services, out var error))
{
    await Console.Error.WriteLineAsync($"Configuration error: {error}");
    return 1;
}

var exit = app.Services.GetRequiredService<WorkerExit>(); // RunAsync disposes the container
await app.RunAsync();
return exit.Code;
