using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Usage;

namespace TwitterStream.Tests.Worker;

/// <summary>What the usage tests share: X's usage answer and problem, and a budget that never reaches a store.</summary>
internal static class UsageTestKit
{
    /// <summary>A budget without MONTHLY_POST_BUDGET: it counts in memory and never calls DynamoDB (the client points nowhere).</summary>
    public static PostBudget BudgetWithoutLimit(WorkerOptions options, TimeProvider time)
    {
        var nowhere = new AmazonDynamoDBClient(new AnonymousAWSCredentials(), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9" });
        return new PostBudget(options, new BudgetStore(nowhere, options, time), new StreamPause(), NullLogger<PostBudget>.Instance);
    }

    /// <summary>X's usage answer, digits as strings as X writes them.</summary>
    public static JsonObject UsageJson(long usage, long cap, int resetDay) => new()
    {
        [XUsage.Data] = new JsonObject
        {
            [XUsage.CapResetDay] = resetDay,
            [XUsage.ProjectCap] = cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [XUsage.ProjectId] = "1146654567674912769",
            [XUsage.ProjectUsage] = usage.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };
}
