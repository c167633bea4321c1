using TwitterStream.Contracts;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Recovery;

namespace TwitterStream.Tests.Worker.Recovery;

public sealed class StoredWatermarkTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static Post At(int second) => new()
    {
        Id = second.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Text = "t",
        CreatedAt = PostsTableSchema.FormatTimestamp(Start.AddSeconds(second)),
        MatchingTags = ["twitterstream"],
    };

    [Fact]
    public void Stored_through_never_passes_a_batch_still_in_flight_even_when_a_later_one_finished_first()
    {
        var watermark = new StoredWatermark();
        var posts = Enumerable.Range(1, 6).Select(At).ToArray();
        foreach (var post in posts)
        {
            watermark.Kept(post);
        }

        watermark.Read(quiet: false, Start.AddSeconds(7));
        var first = watermark.Taken(posts[..2]);
        var second = watermark.Taken(posts[2..4]);
        var third = watermark.Taken(posts[4..]);

        Assert.Null(watermark.StoredThrough);
        Assert.Equal(Start.AddSeconds(6), watermark.ReadThrough);

        watermark.Stored(third);
        watermark.Stored(second);
        Assert.Null(watermark.StoredThrough); // the oldest batch is still being written

        watermark.Stored(first);
        Assert.Equal(Start.AddSeconds(6), watermark.StoredThrough);
    }

    [Fact]
    public void A_quiet_read_moves_the_marks_to_its_time_less_the_margin_only_once_everything_read_is_stored()
    {
        var watermark = new StoredWatermark();
        watermark.Seed(Start);
        var post = At(1);
        watermark.Kept(post);
        watermark.Read(quiet: false, Start.AddSeconds(1));
        var batch = watermark.Taken([post]);
        var quietAt = Start.AddSeconds(60);
        watermark.Read(quiet: true, quietAt);

        Assert.Equal(quietAt - StoredWatermark.QuietMargin, watermark.ReadThrough);
        Assert.Equal(Start, watermark.StoredThrough); // the post read before the keep-alive is not stored yet

        watermark.Stored(batch);
        Assert.Equal(quietAt - StoredWatermark.QuietMargin, watermark.StoredThrough);
    }

    [Fact]
    public void A_seed_from_an_earlier_run_holds_until_newer_posts_are_stored()
    {
        var watermark = new StoredWatermark();
        watermark.Seed(Start.AddSeconds(30));

        Assert.Equal(Start.AddSeconds(30), watermark.StoredThrough);
        var older = At(10);
        watermark.Kept(older);
        watermark.Read(quiet: false, Start.AddSeconds(31));
        watermark.Stored(watermark.Taken([older]));
        Assert.Equal(Start.AddSeconds(30), watermark.StoredThrough);
    }
}
