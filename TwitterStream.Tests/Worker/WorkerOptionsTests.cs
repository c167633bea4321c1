using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TwitterStream.Worker;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;

namespace TwitterStream.Tests.Worker;

public sealed class WorkerOptionsTests
{
    private const string Secret = "s3cr3t-value-never-shown";

    private static Dictionary<string, string?> Valid() => new()
    {
        [WorkerVariables.Table] = "twitterstream",
        [WorkerVariables.Region] = "eu-west-1",
        [WorkerVariables.Filter] = "cats has:images",
        [WorkerVariables.BearerToken] = Secret,
    };

    private static (bool Ok, WorkerOptions Options, string Error) Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddWorkerOptions().BuildServiceProvider();
        var ok = WorkerOptionsRegistration.TryValidate(services, out var error);
        return (ok, ok ? services.GetRequiredService<WorkerOptions>() : null!, error);
    }

    [Fact]
    public void Valid_settings_are_read_with_defaults()
    {
        var (ok, options, error) = Read(Valid());

        Assert.True(ok, error);
        Assert.Equal("twitterstream", options.TableName);
        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal(new Uri("https://api.x.com"), options.XApiBaseUrl);
        Assert.Equal("twitterstream", options.RuleTag);
        Assert.Null(options.DynamoDbEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(20), options.StallTimeout);
        Assert.False(options.UsesConsumerCredentials);
        Assert.Null(options.MonthlyPostBudget);
        Assert.Equal(TimeSpan.FromMinutes(15), options.UsagePollInterval);
    }

    [Fact]
    public void A_budget_and_a_poll_interval_are_read()
    {
        var values = Valid();
        values["MONTHLY_POST_BUDGET"] = " 250000 ";
        values["USAGE_POLL_INTERVAL_SECONDS"] = "300";

        var (ok, options, error) = Read(values);

        Assert.True(ok, error);
        Assert.Equal(250_000, options.MonthlyPostBudget);
        Assert.Equal(TimeSpan.FromMinutes(5), options.UsagePollInterval);
    }

    [Fact]
    public void The_cloudwatch_metrics_settings_are_read_and_checked()
    {
        var (ok, defaults, error) = Read(Valid());
        Assert.True(ok, error);
        Assert.Equal(WorkerOptions.DefaultDeploymentName, defaults.DeploymentName);
        Assert.Equal(TimeSpan.FromSeconds(60), defaults.MetricsInterval);

        var values = Valid();
        values[WorkerVariables.DeploymentName] = "prod";
        values[WorkerVariables.MetricsIntervalSeconds] = "10";
        (ok, var options, error) = Read(values);
        Assert.True(ok, error);
        Assert.Equal("prod", options.DeploymentName);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MetricsInterval);

        values[WorkerVariables.MetricsIntervalSeconds] = "0";
        (ok, _, error) = Read(values);
        Assert.False(ok);
        Assert.Contains($"{WorkerVariables.MetricsIntervalSeconds} must be from 1 to 3600", error);
    }

    [Fact]
    public void The_sdk_region_and_endpoint_variables_are_honoured()
    {
        var values = Valid();
        values.Remove(WorkerVariables.Region);
        values[WorkerVariables.SdkRegion] = "us-west-2";
        values[WorkerVariables.AwsEndpoint] = "http://localhost:4566";
        values[WorkerVariables.DynamoDbEndpoint] = "http://localhost:8000";

        var (ok, options, error) = Read(values);

        Assert.True(ok, error);
        Assert.Equal("us-west-2", options.Region);
        Assert.Equal(new Uri("http://localhost:8000"), options.DynamoDbEndpoint);
    }

    [Fact]
    public void Consumer_key_and_secret_replace_the_bearer_token_and_access_tokens_are_not_needed()
    {
        var values = Valid();
        values.Remove(WorkerVariables.BearerToken);
        values[WorkerVariables.ConsumerKey] = "key";
        values[WorkerVariables.ConsumerSecretKey] = Secret;

        var (ok, options, error) = Read(values);

        Assert.True(ok, error);
        Assert.True(options.UsesConsumerCredentials);
    }

    [Theory]
    [InlineData(WorkerVariables.Table, null, "DYNAMODBTABLE is missing: set it to the DynamoDB table name, e.g. DYNAMODBTABLE=twitterstream-posts.")]
    [InlineData(WorkerVariables.Table, "a b", "DYNAMODBTABLE is not a valid")]
    [InlineData(WorkerVariables.Region, null, "AWSREGION is missing")]
    [InlineData(WorkerVariables.Region, "Europe", "AWSREGION is not an AWS region")]
    [InlineData(WorkerVariables.Filter, null, "FILTER is missing")]
    [InlineData(WorkerVariables.BearerToken, null, "No X credentials")]
    [InlineData(WorkerVariables.XApiBaseUrl, "ftp://x", "X_API_BASE_URL is not an absolute http(s) URL")]
    [InlineData(WorkerVariables.DynamoDbEndpoint, "localhost:8000", "AWS_ENDPOINT_URL_DYNAMODB is not an absolute")]
    [InlineData(WorkerVariables.BufferCapacity, "lots", "BUFFER_CAPACITY must be a whole number")]
    [InlineData(WorkerVariables.BufferCapacity, "3", "BUFFER_CAPACITY must be between")]
    [InlineData(WorkerVariables.WriteConcurrency, "0", "WRITE_CONCURRENCY must be between")]
    [InlineData(WorkerVariables.StallTimeoutSeconds, "-1", "STALL_TIMEOUT_SECONDS must be above 0")]
    [InlineData(WorkerVariables.RuleTag, "   ", null)]
    [InlineData(WorkerVariables.MonthlyPostBudget, "lots", "MONTHLY_POST_BUDGET must be a whole number of posts")]
    [InlineData(WorkerVariables.MonthlyPostBudget, "0", "MONTHLY_POST_BUDGET must be at least 1")]
    [InlineData(WorkerVariables.MonthlyPostBudget, "none", null)]
    [InlineData(WorkerVariables.PostFields, "+bogus", "POST_FIELDS has unknown field 'bogus': use +name or -name with X's names")]
    [InlineData(WorkerVariables.PostFields, "-created_at", "POST_FIELDS cannot remove 'created_at'")]
    [InlineData(WorkerVariables.PostFields, "-entities,+possibly_sensitive", null)]
    [InlineData(WorkerVariables.StoreRawPost, "yes", "STORE_RAW_POST must be true or false (got 'yes')")]
    [InlineData(WorkerVariables.StoreRawPost, "true", null)]
    [InlineData(WorkerVariables.Backfill, "sometimes", "BACKFILL must be auto or off (got 'sometimes')")]
    [InlineData(WorkerVariables.Backfill, "OFF", null)]
    [InlineData(WorkerVariables.Backfill, "auto", null)]
    [InlineData(WorkerVariables.UsagePollIntervalSeconds, "10", "USAGE_POLL_INTERVAL_SECONDS must be from 60 to 86400")]
    public void Each_bad_value_names_its_variable_and_never_the_secret(string key, string? value, string? expected)
    {
        var values = Valid();
        values[key] = value;

        var (ok, _, error) = Read(values);

        if (expected is null)
        {
            Assert.True(ok, error); // blank means default
            return;
        }

        Assert.False(ok);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void A_filter_longer_than_x_allows_is_rejected()
    {
        var values = Valid();
        values[WorkerVariables.Filter] = new string('a', 1025);
        Assert.Contains("at most 1024", Read(values).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_a_consumer_pair_names_the_missing_half()
    {
        var values = Valid();
        values.Remove(WorkerVariables.BearerToken);
        values[WorkerVariables.ConsumerKey] = "key";
        Assert.Contains("CONSUMERSECRETKEY is missing", Read(values).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unparsable_values_and_invalid_ones_are_reported_together_on_one_line()
    {
        var values = Valid();
        values[WorkerVariables.BufferCapacity] = "lots";
        values.Remove(WorkerVariables.Filter);

        var (ok, _, error) = Read(values);

        Assert.False(ok);
        Assert.Contains("BUFFER_CAPACITY must be a whole number", error, StringComparison.Ordinal);
        Assert.Contains("FILTER is missing", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public async Task The_worker_host_validates_its_options_when_it_starts()
    {
        var values = Valid();
        values.Remove(WorkerVariables.Filter);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(values);
        WorkerHost.Configure(builder);
        await using var app = WorkerHost.Build(builder);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(failure.Failures, message => message.StartsWith("FILTER is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_worker_host_builds_and_validates_in_Development_as_a_local_run_starts_it()
    {
        // Development turns on the container's ValidateOnBuild and ValidateScopes: every registration must resolve.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Valid());
        WorkerHost.Configure(builder);
        await using var app = WorkerHost.Build(builder);

        Assert.True(WorkerOptionsRegistration.TryValidate(app.Services, out var error), error);
        Assert.Equal("Development", app.Environment.EnvironmentName);
    }
}
