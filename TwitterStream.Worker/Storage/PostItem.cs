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
    private readonly AttributeValue _lang = new();
    private readonly AttributeValue _conversationId = new();
    private readonly AttributeValue _authorName = new();
    private readonly AttributeValue _inReplyToUserId = new();
    private readonly AttributeValue _possiblySensitive = new();
    private readonly AttributeValue _authorVerified = new();
    private readonly AttributeValue _raw = new();
    private readonly AttributeValue _expiresAt = new();
    private readonly StringListAttribute _rules = new();
    private readonly StringListAttribute _hashtags = new();
    private readonly StringListAttribute _mentions = new();
    private readonly StringListAttribute _urls = new();
    private readonly ReferenceListAttribute _referenced = new();

    public PostItem()
    {
        Request = new WriteRequest { PutRequest = new PutRequest { Item = Attributes } };
    }

    public Dictionary<string, AttributeValue> Attributes { get; } = new(24);

    /// <summary>The PutRequest holding <see cref="Attributes"/>, ready for BatchWriteItem.</summary>
    public WriteRequest Request { get; }

    public string User => _user.S;

    public string Date => _date.S;

    /// <param name="retentionDays">When set, the item expires (DynamoDB TTL) this many days after the post was received.</param>
    public PostItem Fill(Post post, ReceivedAtText? receivedAtText = null, int? retentionDays = null)
    {
        _user.S = PostItemMapper.PartitionKey(post);
        _date.S = PostItemMapper.SortKey(post);
        _text.S = post.Text;
        _id.S = post.Id;
        _createdAt.S = post.CreatedAt;
        _receivedAt.S = receivedAtText?.Format(post.ReceivedAt) ?? TimestampNormaliser.Format(post.ReceivedAt);
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

        SetString(PostsTableSchema.Lang, _lang, post.Lang);
        SetString(PostsTableSchema.ConversationId, _conversationId, post.ConversationId);
        SetString(PostsTableSchema.AuthorName, _authorName, post.AuthorName);
        SetString(PostsTableSchema.InReplyToUserId, _inReplyToUserId, post.InReplyToUserId);
        SetBoolean(PostsTableSchema.PossiblySensitive, _possiblySensitive, post.PossiblySensitive);
        SetBoolean(PostsTableSchema.AuthorVerified, _authorVerified, post.AuthorVerified);
        SetString(PostsTableSchema.Raw, _raw, post.Raw);
        _expiresAt.N = retentionDays is { } days ? ExpiresAt(post.ReceivedAt, days) : null;
        SetOptional(PostsTableSchema.ExpiresAt, _expiresAt, retentionDays is not null);

        // Lists of strings, not string sets: dynamodb-admin shows a set as an empty object (README). Rules without repeats.
        SetOptional(PostsTableSchema.Rules, _rules.Value, _rules.Fill(post.MatchingTags, distinct: true) > 0);
        SetOptional(PostsTableSchema.Hashtags, _hashtags.Value, _hashtags.Fill(post.Hashtags, distinct: false) > 0);
        SetOptional(PostsTableSchema.Mentions, _mentions.Value, _mentions.Fill(post.Mentions, distinct: false) > 0);
        SetOptional(PostsTableSchema.Urls, _urls.Value, _urls.Fill(post.Urls, distinct: false) > 0);
        SetOptional(PostsTableSchema.Referenced, _referenced.Value, _referenced.Fill(post.Referenced) > 0);
        return this;
    }

    /// <summary>Unix epoch seconds, the only form DynamoDB's TTL reads.</summary>
    public static string ExpiresAt(DateTimeOffset receivedAt, int retentionDays) =>
        receivedAt.AddDays(retentionDays).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void SetString(string name, AttributeValue value, string? text)
    {
        value.S = text;
        SetOptional(name, value, text is not null);
    }

    private void SetBoolean(string name, AttributeValue value, bool? flag)
    {
        value.BOOL = flag;
        SetOptional(name, value, flag is not null);
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

/// <summary>A list-of-strings attribute whose element values are kept and refilled, as the item is.</summary>
internal sealed class StringListAttribute
{
    private readonly List<AttributeValue> _spare = new(2);

    public AttributeValue Value { get; } = new() { L = new List<AttributeValue>(2) };

    /// <summary>Refills the list; returns how many elements it holds.</summary>
    public int Fill(string[] values, bool distinct)
    {
        var list = Value.L;
        list.Clear();
        foreach (var text in values)
        {
            if (distinct && Contains(list, text))
            {
                continue;
            }

            if (_spare.Count == list.Count)
            {
                _spare.Add(new AttributeValue());
            }

            var value = _spare[list.Count];
            value.S = text;
            list.Add(value);
        }

        return list.Count;
    }

    private static bool Contains(List<AttributeValue> values, string text)
    {
        foreach (var seen in values)
        {
            if (string.Equals(seen.S, text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The <c>referenced</c> attribute: a list of <c>{type, id}</c> maps, kept and refilled.</summary>
internal sealed class ReferenceListAttribute
{
    private readonly List<AttributeValue> _spare = [];

    public AttributeValue Value { get; } = new() { L = [] };

    public int Fill(ReferencedPost[] references)
    {
        var list = Value.L;
        list.Clear();
        foreach (var reference in references)
        {
            if (_spare.Count == list.Count)
            {
                _spare.Add(new AttributeValue
                {
                    M = new Dictionary<string, AttributeValue>(2)
                    {
                        [PostsTableSchema.ReferenceType] = new(),
                        [PostsTableSchema.ReferenceId] = new(),
                    },
                });
            }

            var value = _spare[list.Count];
            value.M[PostsTableSchema.ReferenceType].S = reference.Type;
            value.M[PostsTableSchema.ReferenceId].S = reference.Id;
            list.Add(value);
        }

        return list.Count;
    }
}

/// <summary>Reusable <see cref="PostItem"/>s; thread-safe, bounded so a burst does not pin memory for ever.</summary>
internal sealed class PostItemPool(int maxPooled = 4096, int? retentionDays = null)
{
    private readonly Stack<PostItem> _free = new();
    private readonly Lock _lock = new();
    private readonly ReceivedAtText _receivedAt = new();

    public PostItem Rent(Post post)
    {
        PostItem? item;
        lock (_lock)
        {
            _free.TryPop(out item);
        }

        return (item ?? new PostItem()).Fill(post, _receivedAt, retentionDays);
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
