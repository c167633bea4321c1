using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.Compliance;

/// <summary>What acting on a job's results did, by X's reason.</summary>
internal sealed class ComplianceOutcome
{
    private readonly Lock _lock = new();

    public Dictionary<string, long> DeletedByReason { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> ModifiedByReason { get; } = new(StringComparer.Ordinal);

    public long Deleted => DeletedByReason.Values.Sum();
    public long Modified => ModifiedByReason.Values.Sum();

    public void Add(string reason, bool deleted)
    {
        lock (_lock)
        {
            var counts = deleted ? DeletedByReason : ModifiedByReason;
            counts[reason] = counts.GetValueOrDefault(reason) + 1;
        }
    }
}

/// <summary>
/// Acts on compliance results: finds the items of each post id through the id index and deletes them, or, where X asks
/// only for the location to go (reason <c>scrub_geo</c> with an action other than delete), removes the stored stream line
/// (the only attribute that can hold a location). Idempotent: a result acted on twice finds nothing the second time.
/// Calls: DeleteItem and UpdateItem on the table.
/// </summary>
internal sealed class ComplianceActions(IAmazonDynamoDB dynamoDb, PostIdIndex index, WorkerOptions options)
{
    /// <summary>Requests in flight: enough to keep DynamoDB busy, few enough not to starve anything sharing the network.</summary>
    private const int Concurrency = 8;

    public async Task<ComplianceOutcome> ApplyAsync(IReadOnlyList<ComplianceResult> results, CancellationToken cancellationToken)
    {
        var outcome = new ComplianceOutcome();
        await Parallel.ForEachAsync(results, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (result, token) =>
        {
            var scrubOnly = result.Reason == XCompliance.ScrubGeoReason && result.Action != XCompliance.DeleteAction;
            foreach (var key in await index.FindAsync(result.Id, token))
            {
                if (scrubOnly ? await ScrubAsync(key, token) : await DeleteAsync(key, token))
                {
                    outcome.Add(result.Reason, deleted: !scrubOnly);
                }
            }
        });
        return outcome;
    }

    private async Task<bool> DeleteAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = options.TableName,
            Key = key,
            ReturnValues = ReturnValue.ALL_OLD,
        }, cancellationToken);
        return response.Attributes is { Count: > 0 };
    }

    private async Task<bool> ScrubAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = key,
                UpdateExpression = "REMOVE #raw",
                ConditionExpression = "attribute_exists(#raw)",
                ExpressionAttributeNames = new() { ["#raw"] = PostsTableSchema.Raw },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false; // nothing stored that could hold a location
        }
    }
}
