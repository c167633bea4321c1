using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.Compliance;

/// <summary>
/// Where a sweep stands: which stretch of the id index it is checking (from <see cref="ChunkStart"/>, the scan
/// position where the stretch began, null for the first), the X job checking it, and what was done so far.
/// </summary>
internal sealed class SweepState
{
    public const string Running = "running";
    public const string Finished = "finished";

    public required string SweepId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public string Status { get; set; } = Running;
    public Dictionary<string, AttributeValue>? ChunkStart { get; set; }

    /// <summary>Where the stretch after this one begins (null: this is the last); known once its job is created.</summary>
    public Dictionary<string, AttributeValue>? ChunkNext { get; set; }

    public string? JobId { get; set; }

    /// <summary>How many ids the current job was given.</summary>
    public long JobIds { get; set; }
    public long Checked { get; set; }
    public long Deleted { get; set; }
    public long Modified { get; set; }
    public long Jobs { get; set; }
    public Dictionary<string, long> ByReason { get; } = new(StringComparer.Ordinal);
    public DateTimeOffset? FinishedAt { get; set; }

    public static SweepState Start(DateTimeOffset now) => new()
    {
        SweepId = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
        StartedAt = now,
    };
}

/// <summary>The sweep's state was taken over by another sweep (this one's hold lapsed); this one must stop.</summary>
internal sealed class SweepLeaseLostException(string message) : Exception(message);

/// <summary>
/// The sweep's durable state: one reserved item (<see cref="PostsTableSchema.ComplianceSweepSortKey"/> in the
/// partition no post can have), written after every step, so a killed sweep resumes where it stood. It also holds the
/// sweep's hold on the table (owner and lease): one sweep at a time, and a killed one is taken over once its lease lapses.
/// Calls: GetItem and PutItem on the reserved item.
/// </summary>
internal sealed class SweepStateStore(IAmazonDynamoDB dynamoDb, WorkerOptions options, TimeProvider time)
{
    private const string SweepIdAttribute = "sweep_id";
    private const string StartedAtAttribute = "started_at";
    private const string StatusAttribute = "status";
    private const string ChunkStartAttribute = "chunk_start";
    private const string ChunkNextAttribute = "chunk_next";
    private const string JobIdAttribute = "job_id";
    private const string JobIdsAttribute = "job_ids";
    private const string CheckedAttribute = "checked";
    private const string DeletedAttribute = "deleted";
    private const string ModifiedAttribute = "modified";
    private const string JobsAttribute = "jobs";
    private const string ByReasonAttribute = "by_reason";
    private const string FinishedAtAttribute = "finished_at";
    private const string OwnerAttribute = "owner";
    private const string LeaseUntilAttribute = "lease_until";

    public static Dictionary<string, AttributeValue> Key => new()
    {
        [PostsTableSchema.PartitionKey] = new AttributeValue(PostsTableSchema.ReservedPartitionKey),
        [PostsTableSchema.SortKey] = new AttributeValue(PostsTableSchema.ComplianceSweepSortKey),
    };

    /// <summary>The stored state, its owner and when the owner's hold lapses; nulls when no sweep ever ran.</summary>
    public async Task<(SweepState? State, string? Owner, DateTimeOffset LeaseUntil)> LoadAsync(CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest { TableName = options.TableName, Key = Key, ConsistentRead = true }, cancellationToken);
        if (response.Item is not { Count: > 0 } item)
        {
            return (null, null, DateTimeOffset.MinValue);
        }

        var state = new SweepState
        {
            SweepId = item[SweepIdAttribute].S,
            StartedAt = DateTimeOffset.Parse(item[StartedAtAttribute].S, CultureInfo.InvariantCulture),
            Status = item[StatusAttribute].S,
            ChunkStart = item.TryGetValue(ChunkStartAttribute, out var start) ? start.M : null,
            ChunkNext = item.TryGetValue(ChunkNextAttribute, out var next) ? next.M : null,
            JobId = item.TryGetValue(JobIdAttribute, out var job) ? job.S : null,
            JobIds = Number(item, JobIdsAttribute),
            Checked = Number(item, CheckedAttribute),
            Deleted = Number(item, DeletedAttribute),
            Modified = Number(item, ModifiedAttribute),
            Jobs = Number(item, JobsAttribute),
            FinishedAt = item.TryGetValue(FinishedAtAttribute, out var finished) ? DateTimeOffset.Parse(finished.S, CultureInfo.InvariantCulture) : null,
        };
        if (item.TryGetValue(ByReasonAttribute, out var reasons) && reasons.M is { } byReason)
        {
            foreach (var (reason, count) in byReason)
            {
                state.ByReason[reason] = long.Parse(count.N, CultureInfo.InvariantCulture);
            }
        }

        var leaseUntil = DateTimeOffset.FromUnixTimeMilliseconds(Number(item, LeaseUntilAttribute));
        return (state, item.TryGetValue(OwnerAttribute, out var owner) ? owner.S : null, leaseUntil);
    }

    /// <summary>Takes the hold for <paramref name="owner"/> when no other sweep holds it; false when one does.</summary>
    public async Task<bool> TryAcquireAsync(SweepState state, string owner, CancellationToken cancellationToken)
    {
        try
        {
            await PutAsync(state, owner, "attribute_not_exists(#owner) OR #lease < :now OR #owner = :owner", cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>Writes the state and renews the hold, only while <paramref name="owner"/> still has it.</summary>
    /// <param name="release">True: give the hold up (a failed sweep), so the next one need not wait for the lease to lapse.</param>
    public async Task SaveAsync(SweepState state, string owner, CancellationToken cancellationToken, bool release = false)
    {
        try
        {
            await PutAsync(state, owner, "#owner = :owner", cancellationToken, release);
        }
        catch (ConditionalCheckFailedException)
        {
            throw new SweepLeaseLostException(
                $"Another compliance sweep took over the table's sweep state (this one's {WorkerVariables.ComplianceLeaseSeconds} hold lapsed); this one stops.");
        }
    }

    private async Task PutAsync(SweepState state, string owner, string condition, CancellationToken cancellationToken, bool release = false)
    {
        var now = time.GetUtcNow();
        var item = Key;
        item[SweepIdAttribute] = new AttributeValue(state.SweepId);
        item[StartedAtAttribute] = new AttributeValue(Timestamp(state.StartedAt));
        item[StatusAttribute] = new AttributeValue(state.Status);
        item[JobIdsAttribute] = NumberValue(state.JobIds);
        item[CheckedAttribute] = NumberValue(state.Checked);
        item[DeletedAttribute] = NumberValue(state.Deleted);
        item[ModifiedAttribute] = NumberValue(state.Modified);
        item[JobsAttribute] = NumberValue(state.Jobs);
        item[ByReasonAttribute] = new AttributeValue { M = state.ByReason.ToDictionary(r => r.Key, r => NumberValue(r.Value)) };
        item[OwnerAttribute] = new AttributeValue(owner);
        item[LeaseUntilAttribute] = NumberValue(state.Status == SweepState.Running && !release ? (now + options.ComplianceLease).ToUnixTimeMilliseconds() : 0);
        if (state.ChunkStart is { } start)
        {
            item[ChunkStartAttribute] = new AttributeValue { M = start };
        }

        if (state.ChunkNext is { } next)
        {
            item[ChunkNextAttribute] = new AttributeValue { M = next };
        }

        if (state.JobId is { } job)
        {
            item[JobIdAttribute] = new AttributeValue(job);
        }

        if (state.FinishedAt is { } finished)
        {
            item[FinishedAtAttribute] = new AttributeValue(Timestamp(finished));
        }

        await dynamoDb.PutItemAsync(new PutItemRequest
        {
            TableName = options.TableName,
            Item = item,
            ConditionExpression = condition,
            ExpressionAttributeNames = condition.Contains("#lease", StringComparison.Ordinal)
                ? new() { ["#owner"] = OwnerAttribute, ["#lease"] = LeaseUntilAttribute }
                : new() { ["#owner"] = OwnerAttribute },
            ExpressionAttributeValues = condition.Contains(":now", StringComparison.Ordinal)
                ? new() { [":owner"] = new AttributeValue(owner), [":now"] = NumberValue(now.ToUnixTimeMilliseconds()) }
                : new() { [":owner"] = new AttributeValue(owner) },
        }, cancellationToken);
    }

    private static long Number(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : 0;

    private static AttributeValue NumberValue(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString(PostsTableSchema.TimestampFormat, CultureInfo.InvariantCulture);
}
