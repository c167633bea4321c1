using TwitterStream.Contracts;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TwitterStream.Worker.Configuration;

/// <summary>Checks the meaning of the values; every failure names the variable and how to fix it, never a secret value.</summary>
internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    private const int MaxRuleLength = 1024;

    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var failures = new List<string>(options.UnreadableValues);

        if (options.TableName.Length == 0)
        {
            failures.Add($"{WorkerVariables.Table} is missing: set it to the DynamoDB table name, e.g. {WorkerVariables.Table}={PostsTableSchema.DefaultTableName}.");
        }
        else if (!TableName().IsMatch(options.TableName))
        {
            failures.Add($"{WorkerVariables.Table} is not a valid DynamoDB table name: use 3-255 letters, digits, '_', '-' or '.'.");
        }

        if (options.Region.Length == 0)
        {
            failures.Add($"{WorkerVariables.Region} is missing: set it (or {WorkerVariables.SdkRegion}) to an AWS region, e.g. {WorkerVariables.Region}=us-east-1.");
        }
        else if (!Region().IsMatch(options.Region))
        {
            failures.Add($"{WorkerVariables.Region} is not an AWS region name: set it like us-east-1.");
        }

        if (!options.ReadsStream)
        {
            // The sweep reads no stream: FILTER may be set (the same task environment) or not.
        }
        else if (options.Filter.Length == 0)
        {
            failures.Add($"{WorkerVariables.Filter} is missing: set it to an X rule, e.g. {WorkerVariables.Filter}=\"cats has:images\".");
        }
        else if (options.Filter.Length > MaxRuleLength)
        {
            failures.Add($"{WorkerVariables.Filter} is {options.Filter.Length} characters long: X rules allow at most {MaxRuleLength}; shorten it.");
        }

        if (options.BearerToken is null)
        {
            if (options.ConsumerKey is null && options.ConsumerSecretKey is null)
            {
                failures.Add($"No X credentials: set {WorkerVariables.BearerToken}, or {WorkerVariables.ConsumerKey} and {WorkerVariables.ConsumerSecretKey}.");
            }
            else if (options.ConsumerKey is null)
            {
                failures.Add($"{WorkerVariables.ConsumerKey} is missing: set it with {WorkerVariables.ConsumerSecretKey}, or set {WorkerVariables.BearerToken} instead.");
            }
            else if (options.ConsumerSecretKey is null)
            {
                failures.Add($"{WorkerVariables.ConsumerSecretKey} is missing: set it with {WorkerVariables.ConsumerKey}, or set {WorkerVariables.BearerToken} instead.");
            }
        }

        if (options.RuleTag.Length is 0 or > 128)
        {
            failures.Add($"{WorkerVariables.RuleTag} must be 1-128 characters: set it like {WorkerVariables.RuleTag}={WorkerOptions.DefaultRuleTag}.");
        }

        if (options.BufferCapacity is < 25 or > 1_000_000)
        {
            failures.Add($"{WorkerVariables.BufferCapacity} must be between 25 and 1000000: set it like {WorkerVariables.BufferCapacity}=10000.");
        }

        if (options.WriteConcurrency is < 1 or > 64)
        {
            failures.Add($"{WorkerVariables.WriteConcurrency} must be between 1 and 64: set it like {WorkerVariables.WriteConcurrency}=6.");
        }

        if (options.WriteLinger < TimeSpan.Zero || options.WriteLinger > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{WorkerVariables.WriteLingerMilliseconds} must be from 0 to 1000: set it like {WorkerVariables.WriteLingerMilliseconds}=10, or 0 to write each batch at once.");
        }

        if (options.ReadCoalesce < TimeSpan.Zero || options.ReadCoalesce > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{WorkerVariables.ReadCoalesceMilliseconds} must be from 0 to 1000: set it like {WorkerVariables.ReadCoalesceMilliseconds}=60, or 0 to read each post as it arrives.");
        }

        if (options.StallTimeout <= TimeSpan.Zero || options.StallTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{WorkerVariables.StallTimeoutSeconds} must be above 0 and at most 600: set it like {WorkerVariables.StallTimeoutSeconds}=20.");
        }

        if (options.SummaryInterval <= TimeSpan.Zero)
        {
            failures.Add($"{WorkerVariables.SummaryIntervalSeconds} must be above 0: set it like {WorkerVariables.SummaryIntervalSeconds}=30.");
        }

        if (options.MonthlyPostBudget is < 1)
        {
            failures.Add($"{WorkerVariables.MonthlyPostBudget} must be at least 1: set it like {WorkerVariables.MonthlyPostBudget}=100000, or to none for no budget.");
        }

        // X allows 50 usage reads per 15 minutes per app; one a minute leaves room for other tools of the same app.
        if (options.UsagePollInterval < TimeSpan.FromMinutes(1) || options.UsagePollInterval > TimeSpan.FromDays(1))
        {
            failures.Add($"{WorkerVariables.UsagePollIntervalSeconds} must be from 60 to 86400: set it like {WorkerVariables.UsagePollIntervalSeconds}=900.");
        }

        // CloudWatch dimension values are 1-1024 characters; a whitespace-only one would name nothing.
        if (options.DeploymentName.Length > 1024)
        {
            failures.Add($"{WorkerVariables.DeploymentName} is {options.DeploymentName.Length} characters long: CloudWatch allows at most 1024; shorten it.");
        }

        // CloudWatch keeps 1-minute resolution at most (1 s only as high-resolution metrics, which cost more); an hour at most so alarms see data.
        if (options.MetricsInterval < TimeSpan.FromSeconds(1) || options.MetricsInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{WorkerVariables.MetricsIntervalSeconds} must be from 1 to 3600: set it like {WorkerVariables.MetricsIntervalSeconds}=60.");
        }

        // DynamoDB's TTL takes any epoch time; 100 years keeps the arithmetic far from overflow and still means "for ever".
        if (options.RetentionDays is < 1 or > 36_500)
        {
            failures.Add($"{WorkerVariables.RetentionDays} must be from 1 to 36500 days: set it like {WorkerVariables.RetentionDays}=365, or remove it to keep posts for ever.");
        }

        if (options.ComplianceJobSize is < 1 or > 100_000_000)
        {
            failures.Add($"{WorkerVariables.ComplianceJobSize} must be from 1 to 100000000: set it like {WorkerVariables.ComplianceJobSize}=100000.");
        }

        if (options.CompliancePollInterval < TimeSpan.FromMilliseconds(100) || options.CompliancePollInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{WorkerVariables.CompliancePollIntervalSeconds} must be from 0.1 to 3600: set it like {WorkerVariables.CompliancePollIntervalSeconds}=30.");
        }

        if (options.ComplianceJobTimeout < TimeSpan.FromSeconds(1) || options.ComplianceJobTimeout > TimeSpan.FromDays(7))
        {
            failures.Add($"{WorkerVariables.ComplianceJobTimeoutSeconds} must be from 1 to 604800 (X keeps results 7 days): set it like {WorkerVariables.ComplianceJobTimeoutSeconds}=21600.");
        }

        if (options.ComplianceLease < TimeSpan.FromSeconds(1) || options.ComplianceLease > TimeSpan.FromHours(1))
        {
            failures.Add($"{WorkerVariables.ComplianceLeaseSeconds} must be from 1 to 3600: set it like {WorkerVariables.ComplianceLeaseSeconds}=120.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{3,255}$")]
    private static partial Regex TableName();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex Region();
}
