using BenchmarkDotNet.Attributes;
using TwitterStream.Harness;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Storage;

namespace TwitterStream.Bench.Benchmarks;

/// <summary>
/// The worker's per-post CPU work: one stream line → parsed post → match check → DynamoDB item, with the item rented
/// from and returned to the pool as the writer does once a batch is written. One operation is one post, so
/// BenchmarkDotNet's Allocated column is bytes per post and <see cref="PostsPerSecondColumn"/> posts/s on one core.
/// The stages are measured apart as well, to show where the time and the bytes go.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private readonly PostItemPool _items = new();
    private StreamLineParser _parser = null!;
    private PostMatcher _matcher = null!;
    private byte[] _line = [];
    private Post _post = null!;

    [Params(SamplePost.Typical, SamplePost.LongUnicode, SamplePost.MaxLengthNote)]
    public SamplePost Post { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parser = new StreamLineParser();
        _matcher = new PostMatcher(StreamLines.DefaultRuleTag);
        _line = StreamLines.Sample(Post, 1_746_000_000_000_000_001);
        _post = _parser.Parse(_line).Post ?? throw new InvalidOperationException("The sample line does not parse as a post.");
        _post.ReceivedAt = DateTimeOffset.UtcNow;
        if (!LineToItem())
        {
            throw new InvalidOperationException($"The sample post does not match the rule tag '{StreamLines.DefaultRuleTag}'.");
        }
    }

    [Benchmark(Baseline = true, Description = "line -> item")]
    public bool LineToItem()
    {
        var line = _parser.Parse(_line);
        if (line.Kind != StreamLineKind.Post || !_matcher.IsKept(line.Post!))
        {
            return false;
        }

        line.Post!.ReceivedAt = _post.ReceivedAt;
        _items.Return(_items.Rent(line.Post));
        return true;
    }

    // The worker's types are internal, so the benchmarks return them as object (both are references: no boxing).
    [Benchmark(Description = "parse only")]
    public object? Parse() => _parser.Parse(_line).Post;

    [Benchmark(Description = "item only")]
    public object Item()
    {
        var item = _items.Rent(_post);
        _items.Return(item);
        return item;
    }
}
