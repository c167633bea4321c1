using System.Globalization;
using Microsoft.Extensions.Options;
using TwitterStream.Contracts;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Configuration;

/// <summary>
/// Binds <see cref="WorkerOptions"/> from the flat variable names (<see cref="WorkerVariables"/>). A value that cannot be
/// parsed keeps its default and is recorded as one line naming the variable and the fix, for
/// <see cref="WorkerOptionsValidator"/> to report at start; secret values never appear in it.
/// </summary>
internal sealed class WorkerOptionsBinder(IConfiguration configuration) : IConfigureOptions<WorkerOptions>
{
    public void Configure(WorkerOptions options)
    {
        var problems = options.UnreadableValues;
        options.TableName = Text(WorkerVariables.Table);
        options.Region = FirstText(WorkerVariables.Region, WorkerVariables.SdkRegion);
        options.Filter = Text(WorkerVariables.Filter);
        options.ConsumerKey = NullIfEmpty(Text(WorkerVariables.ConsumerKey));
        options.ConsumerSecretKey = NullIfEmpty(Text(WorkerVariables.ConsumerSecretKey));
        options.BearerToken = NullIfEmpty(Text(WorkerVariables.BearerToken));
        options.RuleTag = NullIfEmpty(Text(WorkerVariables.RuleTag)) ?? WorkerOptions.DefaultRuleTag;

        var baseUrl = NullIfEmpty(Text(WorkerVariables.XApiBaseUrl)) ?? WorkerOptions.DefaultXApiBaseUrl;
        if (HttpUri(baseUrl) is { } xApi)
        {
            options.XApiBaseUrl = xApi;
        }
        else
        {
            problems.Add($"{WorkerVariables.XApiBaseUrl} is not an absolute http(s) URL: set it like https://api.x.com or remove it.");
        }

        var endpointKey = Text(WorkerVariables.DynamoDbEndpoint).Length > 0 ? WorkerVariables.DynamoDbEndpoint : WorkerVariables.AwsEndpoint;
        if (NullIfEmpty(Text(endpointKey)) is { } endpoint)
        {
            options.DynamoDbEndpoint = HttpUri(endpoint);
            if (options.DynamoDbEndpoint is null)
            {
                problems.Add($"{endpointKey} is not an absolute http(s) URL: set it like http://localhost:8000 or remove it.");
            }
        }

        options.BufferCapacity = Integer(WorkerVariables.BufferCapacity, options.BufferCapacity, problems);
        options.WriteConcurrency = Integer(WorkerVariables.WriteConcurrency, options.WriteConcurrency, problems);
        options.WriteLinger = TimeSpan.FromMilliseconds(Integer(WorkerVariables.WriteLingerMilliseconds, (int)options.WriteLinger.TotalMilliseconds, problems));
        options.ReadCoalesce = TimeSpan.FromMilliseconds(Integer(WorkerVariables.ReadCoalesceMilliseconds, (int)options.ReadCoalesce.TotalMilliseconds, problems));
        options.StallTimeout = Seconds(WorkerVariables.StallTimeoutSeconds, options.StallTimeout, problems);
        options.SummaryInterval = Seconds(WorkerVariables.SummaryIntervalSeconds, options.SummaryInterval, problems);
        options.MonthlyPostBudget = Budget(problems);
        options.UsagePollInterval = Seconds(WorkerVariables.UsagePollIntervalSeconds, options.UsagePollInterval, problems);
        options.DeploymentName = NullIfEmpty(Text(WorkerVariables.DeploymentName)) ?? WorkerOptions.DefaultDeploymentName;
        options.MetricsInterval = Seconds(WorkerVariables.MetricsIntervalSeconds, options.MetricsInterval, problems);
        options.Backfill = Backfill(problems);
        options.RetentionDays = OptionalInteger(WorkerVariables.RetentionDays, problems);
        options.ComplianceJobSize = Integer(WorkerVariables.ComplianceJobSize, options.ComplianceJobSize, problems);
        options.CompliancePollInterval = Seconds(WorkerVariables.CompliancePollIntervalSeconds, options.CompliancePollInterval, problems);
        options.ComplianceJobTimeout = Seconds(WorkerVariables.ComplianceJobTimeoutSeconds, options.ComplianceJobTimeout, problems);
        options.ComplianceLease = Seconds(WorkerVariables.ComplianceLeaseSeconds, options.ComplianceLease, problems);
        if (PostFieldSelection.Parse(Text(WorkerVariables.PostFields), out var fieldsProblem) is { } fields)
        {
            options.PostFields = fields.WithStoreRaw(StoreRaw(problems));
        }
        else
        {
            problems.Add(fieldsProblem!);
        }
    }

    /// <summary>Empty: auto.</summary>
    private bool Backfill(List<string> problems)
    {
        const string key = WorkerVariables.Backfill;
        var text = Text(key);
        if (text.Length == 0 || string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text, "off", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        problems.Add($"{key} must be auto or off (got '{text}'): set {key}=auto to ask X to re-send the posts of a reconnect's gap, {key}=off to never ask, or remove it.");
        return true;
    }

    /// <summary>Empty: off.</summary>
    private bool StoreRaw(List<string> problems)
    {
        const string key = WorkerVariables.StoreRawPost;
        var text = Text(key);
        if (text.Length == 0)
        {
            return false;
        }

        if (bool.TryParse(text, out var store))
        {
            return store;
        }

        problems.Add($"{key} must be true or false (got '{text}'): set {key}=true to keep each post's line as X sent it, or remove it.");
        return false;
    }

    /// <summary>Empty or <c>none</c>: no budget.</summary>
    private long? Budget(List<string> problems)
    {
        const string key = WorkerVariables.MonthlyPostBudget;
        var text = Text(key);
        if (text.Length == 0 || string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var posts))
        {
            return posts;
        }

        problems.Add($"{key} must be a whole number of posts (got '{text}'): set it like {key}=100000, or to none for no budget.");
        return null;
    }

    private string Text(string key) => configuration[key]?.Trim() ?? "";

    private string FirstText(params string[] keys) => keys.Select(Text).FirstOrDefault(value => value.Length > 0) ?? "";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static Uri? HttpUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    private int Integer(string key, int fallback, List<string> problems) =>
        OptionalInteger(key, problems, fallback.ToString(CultureInfo.InvariantCulture)) ?? fallback;

    /// <summary>Empty or unreadable: null (not set; an unreadable value is one line in <paramref name="problems"/>).</summary>
    private int? OptionalInteger(string key, List<string> problems, string example = "365")
    {
        var text = Text(key);
        if (text.Length == 0)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add($"{key} must be a whole number (got '{text}'): set it like {key}={example} or remove it.");
        return null;
    }

    private TimeSpan Seconds(string key, TimeSpan fallback, List<string> problems)
    {
        var text = Text(key);
        if (text.Length == 0)
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        problems.Add($"{key} must be a number of seconds (got '{text}'): set it like {key}={fallback.TotalSeconds} or remove it.");
        return fallback;
    }
}
