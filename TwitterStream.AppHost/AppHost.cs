using Microsoft.Extensions.Hosting;
using TwitterStream.AppHost;
using TwitterStream.AppHost.Worker;
using TwitterStream.AppHost.XApi;

var builder = DistributedApplication.CreateBuilder(args);
TwitterStreamSettings settings;
AwsEmulatorChoice? emulatorChoice;
try
{
    settings = TwitterStreamSettings.Load(builder.Configuration);
    if (builder.ExecutionContext.IsRunMode && settings.StreamSource == StreamSource.X)
    {
        XCredentials.RequireRealCredentials(builder.Configuration);
    }

    emulatorChoice = builder.ExecutionContext.IsRunMode
        ? AwsEmulatorChooser.Choose(settings.AwsEmulator, MachineToolProbes.For(builder.Configuration))
        : null;
}
catch (SettingsException problem)
{
    Console.Error.WriteLine(problem.Message);
    return 1;
}

// X API v2 filtered stream (or the local simulator) ──▶ Worker ──▶ DynamoDB table (in an emulator when run locally)
var credentials = builder.AddXCredentials(settings.StreamSource);
var filter = builder.AddParameter("filter", new SettingParameterDefault(settings.Filter));
var budget = builder.AddParameter("monthly-post-budget", new SettingParameterDefault(settings.MonthlyPostBudget));
var emulator = emulatorChoice is null ? null : builder.AddAwsEmulator(emulatorChoice, settings, credentials);
var simulator = builder.ExecutionContext.IsRunMode && settings.StreamSource == StreamSource.Simulator
    ? builder.AddStreamSimulator("simulator", credentials, emulator)
    : null;
var posts = builder.AddDynamoDbTable("posts", settings.TableName);
if (emulator is not null)
{
    posts.WithEmulator(emulator);
    if (settings.DynamoDbAdmin && MachineToolProbes.For(builder.Configuration).NodeAvailable())
    {
        builder.AddDynamoDbAdmin("dynamodb-admin", settings.DynamoDbAdminPort, emulator, posts);
    }
}

builder.AddProject<Projects.TwitterStream_Worker>("worker")
    .WithHttpEndpointOnLoopbackLocally()
    .WithHttpHealthCheck("/health")
    .WithReference(posts)
    .WithXStream(simulator, filter, settings.RuleTag)
    .WithMonthlyPostBudget(budget)
    .WithXCredentials(credentials, emulator)
    .PublishAsFargateService(settings.Fargate);

// Aspire logs each resource snapshot below Information, a parameter's value included, secret or not.
builder.Services.AddLogging(logging => logging.AddFilter("Aspire.Hosting.ApplicationModel.ResourceNotificationService", LogLevel.Information));

// The rule is the host category's most specific one, so it also carries the level appsettings gives every category.
var quietStop = new QuietStop();
builder.Services.Configure<LoggerFilterOptions>(options => options.Rules.Add(new LoggerFilterRule(
    providerName: null, QuietStop.HostCategory, LogLevel.Information, (_, category, level) => quietStop.Allows(category, level))));

var app = builder.Build();
quietStop.Watch(app.Services.GetRequiredService<IHostApplicationLifetime>());
try
{
    app.Run();
}
catch (OperationCanceledException) when (quietStop.StopRequested)
{
    // Stopped before everything had started: DCP has already stopped what it started.
}

return 0;
