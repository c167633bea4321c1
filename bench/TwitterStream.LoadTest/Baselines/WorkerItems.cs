using Amazon.DynamoDBv2.Model;
using TwitterStream.Harness;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Storage;

namespace TwitterStream.Bench.LoadTest.Baselines;

/// <summary>The items the worker itself would write for a run of typical posts with fresh ids: the stream line goes
/// through the worker's own parser and item mapper.</summary>
public sealed class WorkerItems
{
    private readonly StreamLineParser _parser = new();
    private long _nextId = 1_800_000_000_000_000_000;

    public Dictionary<string, AttributeValue> Next()
    {
        var parsed = _parser.Parse(StreamLines.Sample(SamplePost.Typical, _nextId++));
        var post = parsed.Post ?? throw new InvalidOperationException($"The sample line did not parse as a post: {parsed.Problem}");
        post.ReceivedAt = DateTimeOffset.UtcNow;
        return PostItemMapper.ToItem(post);
    }
}
