using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// One post's DynamoDB item with its attribute values and PutRequest, built to be refilled: the SDK's item model costs
/// over 1 KB per post, so the writer rents these from <see cref="PostItemPool"/> and returns them after the write.
/// </summary>
internal sealed class PostItem
{
    private readonly AttributeValue _user = new();
    private readonly AttributeValue _date = new();
    private readonly AttributeValue _text = new();
    private readonly AttributeValue _id = new();
    private readonly AttributeValue _authorId = new();
    private readonly AttributeValue _createdAt = new();
    private readonly AttributeValue _receivedAt = new();
    private readonly AttributeValue _longPost = new();
    private readonly AttributeValue _rules = new() { L = new List<AttributeValue>(2) };
    private readonly List<AttributeValue> _tags = new(2); // refilled, as the item is

    public PostItem()
    {
        Request = new WriteRequest { PutRequest = new PutRequest { Item = Attributes } };
    }

    public Dictionary<string, AttributeValue> Attributes { get; } = new(8);

    /// <summary>The PutRequest holding <see cref="Attributes"/>, ready for BatchWriteItem.</summary>
    public WriteRequest Request { get; }

    public string User => _user.S;

    public string Date => _date.S;

    public PostItem Fill(Post post)
    {
        _user.S = PostItemMapper.PartitionKey(post);
        _date.S = PostItemMapper.SortKey(post);
        _text.S = post.Text;
        _id.S = post.Id;
        _createdAt.S = post.CreatedAt;
        _receivedAt.S = TimestampNormaliser.Format(post.ReceivedAt);
        Attributes[PostsTableSchema.PartitionKey] = _user;
        Attributes[PostsTableSchema.SortKey] = _date;
        Attributes[PostsTableSchema.Text] = _text;
        Attributes[PostsTableSchema.Id] = _id;
        Attributes[PostsTableSchema.CreatedAt] = _createdAt;
        Attributes[PostsTableSchema.ReceivedAt] = _receivedAt;
        _longPost.BOOL = post.IsLong;
        Attributes[PostsTableSchema.LongPost] = _longPost;
        _authorId.S = post.AuthorId;
        SetOptional(PostsTableSchema.AuthorId, _authorId, post.AuthorId is not null);

        // A list of strings without repeats, not a string set: dynamodb-admin shows a set as an empty object (README).
        var rules = _rules.L;
        rules.Clear();
        foreach (var tag in post.MatchingTags)
        {
            if (!Contains(rules, tag))
            {
                if (_tags.Count == rules.Count)
                {
                    _tags.Add(new AttributeValue());
                }

                var value = _tags[rules.Count];
                value.S = tag;
                rules.Add(value);
            }
        }

        SetOptional(PostsTableSchema.Rules, _rules, rules.Count > 0);
        return this;
    }

    private static bool Contains(List<AttributeValue> tags, string tag)
    {
        foreach (var seen in tags)
        {
            if (string.Equals(seen.S, tag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void SetOptional(string name, AttributeValue value, bool present)
    {
        if (present)
        {
            Attributes[name] = value;
        }
        else
        {
            Attributes.Remove(name);
        }
    }
}

/// <summary>Reusable <see cref="PostItem"/>s; thread-safe, bounded so a burst does not pin memory for ever.</summary>
internal sealed class PostItemPool(int maxPooled = 4096)
{
    private readonly Stack<PostItem> _free = new();
    private readonly Lock _lock = new();

    public PostItem Rent(Post post)
    {
        PostItem? item;
        lock (_lock)
        {
            _free.TryPop(out item);
        }

        return (item ?? new PostItem()).Fill(post);
    }

    /// <summary>Only after the write that used the item has finished: the SDK may read it until then.</summary>
    public void Return(PostItem item)
    {
        lock (_lock)
        {
            if (_free.Count < maxPooled)
            {
                _free.Push(item);
            }
        }
    }
}
