using System.Globalization;
using TwitterStream.Contracts;

namespace TwitterStream.AppHost;

/// <summary>Where the worker reads its posts from.</summary>
public enum StreamSource
{
    /// <summary>The local X API simulator, with generated matching credentials.</summary>
    Simulator,

    /// <summary>The real X API at https://api.x.com, with credentials from user secrets.</summary>
    X,
}

/// <summary>The <c>TwitterStream:AwsEmulator</c> setting.</summary>
public enum AwsEmulatorSetting
{
    Auto,
    LocalStack,
    Moto,
    DynamoDbLocal,
}

/// <summary>
/// The AppHost's settings, all under the <c>TwitterStream</c> section of its configuration (appsettings.json,
/// <c>TwitterStream__…</c> environment variables or <c>TwitterStream:…=…</c> arguments).
/// </summary>
public sealed record TwitterStreamSettings
{
    public const string SectionName = "TwitterStream";
    public const string DefaultFilter = "(dotnet OR csharp OR aspire) -is:retweet";

    /// <summary>About $500 a month at X's ~$0.005 a post; the worker pauses there until the billing cycle resets.</summary>
    public const string DefaultMonthlyPostBudget = "100000";

    public StreamSource StreamSource { get; init; } = StreamSource.Simulator;
    public AwsEmulatorSetting AwsEmulator { get; init; } = AwsEmulatorSetting.Auto;

    /// <summary>The fixed host port of the emulator's DynamoDB endpoint; null means the emulator's usual port.</summary>
    public int? DynamoDbPort { get; init; }

    public string LocalStackImageTag { get; init; } = LocalStackResource.DefaultImageTag;
    public string TableName { get; init; } = PostsTableSchema.DefaultTableName;
    public string Filter { get; init; } = DefaultFilter;

    /// <summary>The worker's MONTHLY_POST_BUDGET: a whole number of posts, or <c>none</c>.</summary>
    public string MonthlyPostBudget { get; init; } = DefaultMonthlyPostBudget;
    public string RuleTag { get; init; } = StreamRuleTag.Default;
    public string Region { get; init; } = LocalAwsCredentials.Region;
    public int DynamoDbAdminPort { get; init; } = 8001;

    /// <summary>Whether to run dynamodb-admin (when Node.js is present) to browse the table.</summary>
    public bool DynamoDbAdmin { get; init; } = true;
    public FargateSettings Fargate { get; init; } = new();

    /// <summary>The DynamoDB port for the emulator in use: the setting, else the emulator's usual port.</summary>
    public int DynamoDbPortFor(AwsEmulatorSetting emulator) => DynamoDbPort ?? emulator switch
    {
        AwsEmulatorSetting.LocalStack => LocalStackResource.DefaultDynamoDbPort,
        AwsEmulatorSetting.Moto => MotoResource.DefaultPort,
        _ => DynamoDbLocalResource.DefaultPort,
    };

    /// <summary>Reads and checks the section; bad input stops the AppHost with one line naming the key and the fix.</summary>
    public static TwitterStreamSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var defaults = new TwitterStreamSettings();
        var fargate = section.GetSection(nameof(Fargate));
        return new TwitterStreamSettings
        {
            StreamSource = ParseChoice(section, nameof(StreamSource), defaults.StreamSource,
                ("simulator", StreamSource.Simulator), ("x", StreamSource.X)),
            AwsEmulator = ParseChoice(section, nameof(AwsEmulator), defaults.AwsEmulator,
                ("auto", AwsEmulatorSetting.Auto), ("localstack", AwsEmulatorSetting.LocalStack), ("moto", AwsEmulatorSetting.Moto),
                ("dynamodb-local", AwsEmulatorSetting.DynamoDbLocal)),
            DynamoDbPort = section[nameof(DynamoDbPort)] is { Length: > 0 } ? ParsePort(section, nameof(DynamoDbPort)) : null,
            LocalStackImageTag = Text(section, nameof(LocalStackImageTag), defaults.LocalStackImageTag),
            TableName = Text(section, nameof(TableName), defaults.TableName),
            Filter = Text(section, nameof(Filter), defaults.Filter),
            MonthlyPostBudget = Budget(section, nameof(MonthlyPostBudget), defaults.MonthlyPostBudget),
            RuleTag = Text(section, nameof(RuleTag), defaults.RuleTag),
            Region = Text(section, nameof(Region), defaults.Region),
            DynamoDbAdminPort = section[nameof(DynamoDbAdminPort)] is { Length: > 0 }
                ? ParsePort(section, nameof(DynamoDbAdminPort))
                : defaults.DynamoDbAdminPort,
            DynamoDbAdmin = ParseChoice(section, nameof(DynamoDbAdmin), defaults.DynamoDbAdmin, ("true", true), ("false", false)),
            Fargate = new FargateSettings
            {
                Cpu = Text(fargate, nameof(FargateSettings.Cpu), defaults.Fargate.Cpu),
                Memory = Text(fargate, nameof(FargateSettings.Memory), defaults.Fargate.Memory),
                DesiredCount = Number(fargate, nameof(FargateSettings.DesiredCount), defaults.Fargate.DesiredCount, 0, 1),
                LogRetentionInDays = Number(fargate, nameof(FargateSettings.LogRetentionInDays), defaults.Fargate.LogRetentionInDays, 1, 3653),
                ContainerPort = Number(fargate, nameof(FargateSettings.ContainerPort), defaults.Fargate.ContainerPort, 1, 65535),
                HealthCheckPath = Text(fargate, nameof(FargateSettings.HealthCheckPath), defaults.Fargate.HealthCheckPath),
                StopTimeoutSeconds = Number(fargate, nameof(FargateSettings.StopTimeoutSeconds), defaults.Fargate.StopTimeoutSeconds, 2, 120),
                CpuArchitecture = ParseChoice(fargate, nameof(FargateSettings.CpuArchitecture), defaults.Fargate.CpuArchitecture,
                    ("x64", ManifestSchema.FargateService.X86_64), ("arm64", ManifestSchema.FargateService.Arm64)),
                Spot = ParseChoice(fargate, nameof(FargateSettings.Spot), defaults.Fargate.Spot, ("true", true), ("false", false)),
                Alarms = Alarms(fargate.GetSection(nameof(FargateSettings.Alarms))),
            },
        };
    }

    private static T ParseChoice<T>(IConfigurationSection section, string key, T fallback, params (string Name, T Value)[] choices)
    {
        var raw = section[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        foreach (var (name, value) in choices)
        {
            if (string.Equals(raw.Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new SettingsException(
            $"{section.Path}:{key} is '{raw}'; set it to one of: {string.Join(" | ", choices.Select(c => c.Name))}.");
    }

    private static string Text(IConfigurationSection section, string key, string fallback)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }

        return string.IsNullOrWhiteSpace(raw)
            ? throw new SettingsException($"{section.Path}:{key} is empty; remove it to use '{fallback}' or give a value.")
            : raw.Trim();
    }

    private static string Budget(IConfigurationSection section, string key, string fallback)
    {
        var value = Text(section, key, fallback);
        return string.Equals(value, "none", StringComparison.OrdinalIgnoreCase)
            || (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var posts) && posts >= 1)
            ? value
            : throw new SettingsException($"{section.Path}:{key} is '{value}'; set it to a whole number of posts per billing cycle (e.g. {fallback}) or to none.");
    }

    /// <summary>Keys as in the manifest (e.g. <c>TwitterStream:Fargate:Alarms:usagePercent</c>; configuration keys ignore case).</summary>
    private static AlarmThresholds Alarms(IConfigurationSection section)
    {
        var ranges = AlarmThresholds.Ranges.ToDictionary(r => r.Name);
        return AlarmThresholds.From(name => section[name] is null
            ? null
            : Number(section, name, 0, ranges[name].Min, ranges[name].Max));
    }

    private static int ParsePort(IConfigurationSection section, string key) => Number(section, key, 0, 1, 65535);

    // DesiredCount is capped at 1: X allows one stream connection per app.
    private static int Number(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new SettingsException($"{section.Path}:{key} is '{raw}'; it must be a whole number from {min} to {max}.");
    }
}

/// <summary>A setting the AppHost cannot run with; the message is the one line the user sees.</summary>
public sealed class SettingsException(string message) : Exception(message);
