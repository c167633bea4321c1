using TwitterStream.Contracts;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace TwitterStream.Worker.Configuration;

/// <summary>
/// Reads <see cref="WorkerOptions"/> from flat configuration keys. A value that cannot be parsed or fails validation
/// becomes one line naming the variable and the fix; secret values never appear in it.
/// </summary>
public static class WorkerOptionsReader
{
    public static bool TryRead(IConfiguration configuration, out WorkerOptions options, out string error)
    {
        options = new WorkerOptions();
        var problems = new List<string>();
        ReadInto(configuration, options, problems);
        if (problems.Count == 0)
        {
            var result = new WorkerOptionsValidator().Validate(null, options);
            if (result.Failed)
            {
                problems.AddRange(result.Failures);
            }
        }

        error = string.Join(" ", problems);
        return problems.Count == 0;
    }

    /// <summary>Fills <paramref name="options"/>; values that cannot be parsed keep their default and add a problem.</summary>
    public static void ReadInto(IConfiguration configuration, WorkerOptions options, List<string> problems)
    {

        options.TableName = Text(configuration, WorkerVariables.Table);
        options.Region = FirstText(configuration, WorkerVariables.Region, WorkerVariables.SdkRegion);
        options.Filter = Text(configuration, WorkerVariables.Filter);
        options.ConsumerKey = NullIfEmpty(Text(configuration, WorkerVariables.ConsumerKey));
        options.ConsumerSecretKey = NullIfEmpty(Text(configuration, WorkerVariables.ConsumerSecretKey));
        options.BearerToken = NullIfEmpty(Text(configuration, WorkerVariables.BearerToken));
        options.RuleTag = NullIfEmpty(Text(configuration, WorkerVariables.RuleTag)) ?? WorkerOptions.DefaultRuleTag;

        var baseUrl = NullIfEmpty(Text(configuration, WorkerVariables.XApiBaseUrl)) ?? WorkerOptions.DefaultXApiBaseUrl;
        if (HttpUri(baseUrl) is { } xApi)
        {
            options.XApiBaseUrl = xApi;
        }
        else
        {
            problems.Add($"{WorkerVariables.XApiBaseUrl} is not an absolute http(s) URL: set it like https://api.x.com or remove it.");
        }

        var endpointKey = !string.IsNullOrWhiteSpace(configuration[WorkerVariables.DynamoDbEndpoint])
            ? WorkerVariables.DynamoDbEndpoint
            : WorkerVariables.AwsEndpoint;
        var endpoint = NullIfEmpty(Text(configuration, endpointKey));
        if (endpoint is not null)
        {
            options.DynamoDbEndpoint = HttpUri(endpoint);
            if (options.DynamoDbEndpoint is null)
            {
                problems.Add($"{endpointKey} is not an absolute http(s) URL: set it like http://localhost:8000 or remove it.");
            }
        }

        options.BufferCapacity = Integer(configuration, WorkerVariables.BufferCapacity, options.BufferCapacity, problems);
        options.WriteConcurrency = Integer(configuration, WorkerVariables.WriteConcurrency, options.WriteConcurrency, problems);
        options.StallTimeout = Seconds(configuration, WorkerVariables.StallTimeoutSeconds, options.StallTimeout, problems);
        options.SummaryInterval = Seconds(configuration, WorkerVariables.SummaryIntervalSeconds, options.SummaryInterval, problems);
        options.MonthlyPostBudget = Budget(configuration, problems);
        options.UsagePollInterval = Seconds(configuration, WorkerVariables.UsagePollIntervalSeconds, options.UsagePollInterval, problems);
    }

    /// <summary>Empty or <c>none</c>: no budget.</summary>
    private static long? Budget(IConfiguration configuration, List<string> problems)
    {
        const string key = WorkerVariables.MonthlyPostBudget;
        var text = Text(configuration, key);
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

    private static string Text(IConfiguration configuration, string key) => configuration[key]?.Trim() ?? "";

    private static string FirstText(IConfiguration configuration, params string[] keys) =>
        keys.Select(key => Text(configuration, key)).FirstOrDefault(value => value.Length > 0) ?? "";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static Uri? HttpUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    private static int Integer(IConfiguration configuration, string key, int fallback, List<string> problems)
    {
        var text = Text(configuration, key);
        if (text.Length == 0)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add($"{key} must be a whole number (got '{text}'): set it like {key}={fallback} or remove it.");
        return fallback;
    }

    private static TimeSpan Seconds(IConfiguration configuration, string key, TimeSpan fallback, List<string> problems)
    {
        var text = Text(configuration, key);
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
