using TwitterStream.Contracts;

namespace TwitterStream.Harness;

/// <summary>
/// DynamoDB Local, the simulator and the worker as three processes wired to each other, the way the benchmarks and
/// the reliability suite drive the system (the AppHost does the same wiring through Aspire).
/// </summary>
public sealed class LocalSystem : IAsyncDisposable
{
    public const string ConsumerKey = "local-consumer-key";
    public const string ConsumerSecret = "local-consumer-secret";

    private readonly bool _ownsDynamo;
    private readonly LaunchOptions? _workerLaunch;

    private LocalSystem(DynamoDbLocalProcess dynamo, bool ownsDynamo, SimulatorProcess simulator, string tableName, string ruleTag, string filter, string consumerKey, string consumerSecret, LaunchOptions? workerLaunch)
    {
        _workerLaunch = workerLaunch;
        Dynamo = dynamo;
        _ownsDynamo = ownsDynamo;
        SimulatorConsumerKey = consumerKey;
        SimulatorConsumerSecret = consumerSecret;
        Simulator = simulator;
        TableName = tableName;
        RuleTag = ruleTag;
        Filter = filter;
    }

    public DynamoDbLocalProcess Dynamo { get; private set; }

    public SimulatorProcess Simulator { get; }

    public WorkerProcess? Worker { get; private set; }

    public string TableName { get; }

    public string RuleTag { get; }

    public string Filter { get; }

    /// <summary>The consumer key the simulator accepts (<see cref="ConsumerKey"/> unless the settings gave one).</summary>
    public string SimulatorConsumerKey { get; }

    public string SimulatorConsumerSecret { get; }

    /// <summary>Starts DynamoDB Local (with the table) and the simulator; the worker is started by <see cref="StartWorkerAsync"/>.</summary>
    /// <param name="sharedDynamo">An emulator to create the table in instead of starting one; the system leaves it running.</param>
    /// <param name="simulatorEnvironment">Variables for the simulator process beyond its settings (e.g. logging levels).</param>
    /// <param name="workerLaunch">How <see cref="StartWorkerAsync"/> starts the worker unless it is given its own, e.g. a <see cref="NativeAotPublish"/>'s executable.</param>
    public static async Task<LocalSystem> StartAsync(
        IReadOnlyDictionary<string, string> simulatorSettings,
        string filter = "cats OR dogs",
        string ruleTag = StreamRuleTag.Default,
        string? dynamoDataDirectory = null,
        CancellationToken cancellationToken = default,
        DynamoDbLocalProcess? sharedDynamo = null,
        LaunchOptions? simulatorLaunch = null,
        IReadOnlyDictionary<string, string?>? simulatorEnvironment = null,
        LaunchOptions? workerLaunch = null)
    {
        var dynamo = sharedDynamo ?? await DynamoDbLocalProcess.StartAsync(dataDirectory: dynamoDataDirectory, cancellationToken: cancellationToken);
        try
        {
            var tableName = $"posts-{Guid.NewGuid():N}";
            using (var client = dynamo.CreateClient())
            {
                await PostsTable.CreateAsync(client, tableName, cancellationToken);
            }

            var settings = new Dictionary<string, string>(simulatorSettings);
            settings.TryAdd("ConsumerKey", ConsumerKey);
            settings.TryAdd("ConsumerSecret", ConsumerSecret);
            var simulator = await SimulatorProcess.StartAsync(settings, cancellationToken, simulatorLaunch, simulatorEnvironment);
            return new LocalSystem(dynamo, sharedDynamo is null, simulator, tableName, ruleTag, filter, settings["ConsumerKey"], settings["ConsumerSecret"], workerLaunch);
        }
        catch
        {
            if (sharedDynamo is null)
            {
                await dynamo.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The worker's environment for this system; <paramref name="extra"/> adds or overrides variables.</summary>
    public Dictionary<string, string?> WorkerEnvironment(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>(Dynamo.SdkEnvironment)
        {
            [WorkerVariables.Table] = TableName,
            [WorkerVariables.Filter] = Filter,
            [WorkerVariables.RuleTag] = RuleTag,
            [WorkerVariables.ConsumerKey] = SimulatorConsumerKey,
            [WorkerVariables.ConsumerSecretKey] = SimulatorConsumerSecret,
            [WorkerVariables.XApiBaseUrl] = Simulator.BaseUrl.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        return env;
    }

    public async Task<WorkerProcess> StartWorkerAsync(IReadOnlyDictionary<string, string?>? extraEnvironment = null, CancellationToken cancellationToken = default, LaunchOptions? launch = null)
    {
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }

        Worker = await WorkerProcess.StartAsync(WorkerEnvironment(extraEnvironment), cancellationToken, launch ?? _workerLaunch);
        return Worker;
    }

    /// <summary>Stops DynamoDB Local and starts it again on the same port and data folder (needs a data folder to keep the table).</summary>
    public async Task RestartDynamoAsync(Func<Task>? whileDown = null, CancellationToken cancellationToken = default)
    {
        if (!_ownsDynamo)
        {
            throw new InvalidOperationException("This system shares its DynamoDB Local with others: start it with its own (and a data folder) to restart it.");
        }

        await Dynamo.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        Dynamo = await Dynamo.RestartAsync(cancellationToken);
    }

    /// <summary>Compares the table with the simulator's ledger.</summary>
    public async Task<CompletenessAudit> AuditAsync(CancellationToken cancellationToken = default)
    {
        var ledger = await Simulator.GetLedgerAsync(cancellationToken);
        using var client = Dynamo.CreateClient();
        var stored = await PostsTable.ScanAsync(client, TableName, cancellationToken);
        return CompletenessAudit.Compare(ledger, stored, RuleTag);
    }

    public async ValueTask DisposeAsync()
    {
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        if (_ownsDynamo)
        {
            await Dynamo.DisposeAsync();
        }
    }
}
