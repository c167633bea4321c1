using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// A stream of hostile lines with valid posts mixed in: every kind of broken line the issue names (truncated and
/// deeply nested JSON, wrong types, missing or null fields, huge lines, invalid UTF-8, raw control characters, a post
/// whose author is not in <c>includes</c>, ids that are not numbers), and valid posts whose values are hostile (quotes,
/// newlines, 4-byte emoji, long texts, odd usernames) and must be stored byte for byte.
/// </summary>
internal sealed class HostileCorpus
{
    public const string Tag = "twitterstream";
    private const int ValidEvery = 10;
    private const int HugeEvery = 1_000;
    private const long ValidIdBase = 1_700_000_000_000_000_000;
    private const long HostileIdBase = 1_800_000_000_000_000_000;

    private static readonly string[] HostileTexts =
    [
        "He said \"hi\", then 'bye' and left",
        "line one\nline two\r\nline three\n",
        "tab\there, backslash \\ and slash / and \\u0041 literally",
        "four-byte emoji 😀🏳️‍🌈👨‍👩‍👧‍👦 math 𝕏𝔸 CJK ext-B 𠜎𠝹",
        "<script>alert('x')</script> & \"quoted\" %s {0} ${HOME} `rm -rf /` --",
        "bell \u0007 escape \u001b[31mred\u001b[0m form feed \f",
        "right to left مرحبا بالعالم שלום עולם and an override \u202Eevil\u202C",
        "zero width\u200Bjoiner\u200D, byte order mark \uFEFF, combining e\u0301 a\u030A",
        "{\"data\":{\"id\":\"1\"},\"errors\":[]} looks like JSON",
        string.Concat(Enumerable.Repeat("Ünïcödé 😀 日本語 ", 40)), // 480 characters, 4-byte emoji among them
    ];

    private static readonly string[] HostileUsernames =
    [
        "plain_user_1", "O'Brien", "quote\"name", "名前ユーザー", "back\\slash", "ünïcødé", "_", "with space", "😀emoji", "<b>bold</b>",
    ];

    private HostileCorpus(List<byte[]> lines, List<ValidPost> valid, Dictionary<string, int> hostileKinds, Dictionary<string, string> kindById, List<string> tolerated)
    {
        Lines = lines;
        Valid = valid;
        HostileKinds = hostileKinds;
        _kindById = kindById;
        ToleratedIds = tolerated;
    }

    /// <summary>
    /// Ids of the posts whose author is missing from <c>includes</c>: the worker keeps these under the author id (issue 2
    /// calls missing includes normal), so they are not counted as rejected; they must never carry another user's name.
    /// </summary>
    public IReadOnlyList<string> ToleratedIds { get; }

    /// <summary>The author id of every hostile post-shaped line, the partition key a tolerated post is stored under.</summary>
    public const string HostileAuthorId = "42";

    /// <summary>The lines the worker must reject and count.</summary>
    public int RejectedCount => HostileCount - ToleratedIds.Count;

    private readonly Dictionary<string, string> _kindById;

    /// <summary>The hostile kind of a line whose post id is <paramref name="id"/> (ids of hostile lines are their own range).</summary>
    public string KindOf(string? id) => id is not null && _kindById.TryGetValue(id, out var kind) ? kind : $"unknown id '{id}'";

    public IReadOnlyList<byte[]> Lines { get; }

    public IReadOnlyList<ValidPost> Valid { get; }

    /// <summary>How many lines of each hostile kind were made.</summary>
    public IReadOnlyDictionary<string, int> HostileKinds { get; }

    public int HostileCount => HostileKinds.Values.Sum();

    public static HostileCorpus Build(int hostileLines, int seed = 7)
    {
        var random = new Random(seed);
        var lines = new List<byte[]>();
        var valid = new List<ValidPost>();
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var kindById = new Dictionary<string, string>(StringComparer.Ordinal);
        var tolerated = new List<string>();
        var generators = HostileGenerators();
        for (var hostile = 0; hostile < hostileLines;)
        {
            if (lines.Count % ValidEvery == 0)
            {
                var post = ValidPost.Make(valid.Count, random);
                valid.Add(post);
                lines.Add(post.Line(escapeNonAscii: valid.Count % 2 == 0));
                if (valid.Count % 7 == 0)
                {
                    lines.Add([]); // a keep-alive now and then: not a post and not rejected
                }

                continue;
            }

            var (kind, make, isTolerated) = hostile % HugeEvery == HugeEvery - 1
                ? HugeGenerators[hostile / HugeEvery % HugeGenerators.Length]
                : generators[random.Next(generators.Length)];
            lines.Add(make(HostileIdBase + hostile, random));
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            var id = (HostileIdBase + hostile).ToString(CultureInfo.InvariantCulture);
            kindById[id] = kind;
            if (isTolerated)
            {
                tolerated.Add(id);
            }

            hostile++;
        }

        return new HostileCorpus(lines, valid, kinds, kindById, tolerated);
    }

    /// <summary>A broken two-byte sequence, an overlong '/', an encoded surrogate, a cut four-byte emoji, a lone continuation byte, bytes UTF-8 never uses.</summary>
    private static readonly byte[][] InvalidUtf8 = [[0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98], [0x80], [0xFF, 0xFE]];

    private static (string Kind, Func<long, Random, byte[]> Make, bool Tolerated)[] HugeGenerators { get; } =
    [
        ("huge: 1 MiB text in a post", (id, _) => Post(id, text: new string('x', 1 << 20)), false),
        ("huge: 2 MiB of garbage", (_, _) => Encoding.ASCII.GetBytes(new string('A', 2 << 20)), false),
        ("huge: 1 MiB of nesting", (_, _) => Encoding.ASCII.GetBytes(new string('[', 1 << 20)), false),
    ];

    private static (string Kind, Func<long, Random, byte[]> Make, bool Tolerated)[] HostileGenerators() =>
    [
        ("author not in includes", (id, _) => Post(id, usersJson: "[{\"id\":\"43\",\"name\":\"Someone Else\",\"username\":\"someone_else\"}]"), true),
        ("author not in includes (empty users)", (id, _) => Post(id, usersJson: "[]"), true),
    ..Rejected()];

    private static (string Kind, Func<long, Random, byte[]> Make, bool Tolerated)[] Rejected() => [.. RejectedGenerators().Select(g => (g.Kind, g.Make, false))];

    private static (string Kind, Func<long, Random, byte[]> Make)[] RejectedGenerators() =>
    [
        ("truncated JSON", (id, r) =>
        {
            var whole = Post(id);
            return whole[..r.Next(2, whole.Length - 1)];
        }),
        ("deeply nested JSON", (_, r) => Encoding.ASCII.GetBytes(new string('[', 100 + r.Next(5000)) + "1")),
        ("deeply nested data", (id, r) =>
        {
            var depth = 70 + r.Next(500);
            return Encoding.ASCII.GetBytes("{\"data\":" + string.Concat(Enumerable.Repeat("{\"id\":", depth)) + $"\"{id}\"" + new string('}', depth) + "}");
        }),
        ("wrong type: numeric id", (id, _) => Replace(Post(id), $"\"id\":\"{id}\"", $"\"id\":{id}")),
        ("wrong type: text is a number", (id, _) => Post(id, textJson: "12345")),
        ("wrong type: created_at is a bool", (id, _) => Post(id, createdAtJson: "true")),
        ("wrong type: data is an array", (id, _) => Utf8($"{{\"data\":[\"{id}\"],\"matching_rules\":[{{\"id\":\"1\",\"tag\":\"{Tag}\"}}]}}")),
        ("wrong type: text is an object", (id, _) => Post(id, textJson: "{\"a\":1}")),
        ("missing id", (id, _) => Replace(Post(id), $"\"id\":\"{id}\",", "")),
        ("missing text", (id, _) => Post(id, textJson: null)),
        ("missing created_at", (id, _) => Post(id, createdAtJson: null)),
        ("null id", (id, _) => Replace(Post(id), $"\"id\":\"{id}\"", "\"id\":null")),
        ("null text", (id, _) => Post(id, textJson: "null")),
        ("null data", (_, _) => Utf8($"{{\"data\":null,\"matching_rules\":[{{\"id\":\"1\",\"tag\":\"{Tag}\"}}]}}")),
        ("not an object", (_, r) => Utf8(new[] { "null", "[]", "42", "true", "\"a string\"", "{}", "}{" }[r.Next(7)])),
        ("invalid UTF-8", (id, r) => Post(id, rawText: InvalidUtf8[r.Next(InvalidUtf8.Length)])),
        ("raw control character", (id, r) => Post(id, rawText: [(byte)"\0\x01\x07\x1b\x08\x0b"[r.Next(6)]])),
        ("id not a number", (_, r) => Post(new[] { "abc", "12a", "", "-1", "1.5", " 123", "١٢٣", "0x1F" }[r.Next(8)])),
        ("author_id not a number", (id, r) => Post(id, authorId: new[] { "xyz", "", "7b" }[r.Next(3)])),
        ("username empty", (id, _) => Post(id, usersJson: $"[{{\"id\":\"{HostileAuthorId}\",\"name\":\"N\",\"username\":\"\"}}]")),
        ("username over the key limit", (id, _) => Post(id, usersJson: $"[{{\"id\":\"{HostileAuthorId}\",\"name\":\"N\",\"username\":\"{new string('u', 3000)}\"}}]")),
        ("created_at not a date", (id, r) => Post(id, createdAtJson: new[] { "\"yesterday\"", "\"2024-13-45T99:99:99.000Z\"", "\"\"" }[r.Next(3)])),
        ("trailing garbage", (id, _) => [.. Post(id), .. "garbage"u8]),
        ("two objects on a line", (id, _) => [.. Post(id), .. Post(id + 1)]),
        ("number overflow", (_, _) => Utf8("{\"data\":{\"id\":1e999999,\"text\":\"x\"}}")),
    ];

    /// <summary>A matching post of the hostile id range, with parts replaced.</summary>
    private static byte[] Post(
        object id,
        string? text = null,
        string? textJson = "\"hostile\"",
        byte[]? rawText = null,
        string? createdAtJson = "\"2024-01-15T10:35:00.000Z\"",
        string? usersJson = null,
        string authorId = HostileAuthorId)
    {
        var idText = Convert.ToString(id, CultureInfo.InvariantCulture)!;
        usersJson ??= $"[{{\"id\":\"{authorId}\",\"name\":\"Hostile\",\"username\":\"hostile\"}}]";
        if (text is not null)
        {
            textJson = JsonSerializer.Serialize(text);
        }

        var data = new StringBuilder("{\"data\":{");
        data.Append(CultureInfo.InvariantCulture, $"\"id\":\"{idText}\",");
        if (rawText is null && textJson is not null)
        {
            data.Append(CultureInfo.InvariantCulture, $"\"text\":{textJson},");
        }

        data.Append(CultureInfo.InvariantCulture, $"\"author_id\":\"{authorId}\"");
        if (createdAtJson is not null)
        {
            data.Append(CultureInfo.InvariantCulture, $",\"created_at\":{createdAtJson}");
        }

        data.Append(CultureInfo.InvariantCulture, $"}},\"includes\":{{\"users\":{usersJson}}},\"matching_rules\":[{{\"id\":\"1\",\"tag\":\"{Tag}\"}}]}}");
        var bytes = Encoding.UTF8.GetBytes(data.ToString());
        if (rawText is null)
        {
            return bytes;
        }

        // The text goes in as raw bytes, past any encoder: {"data":{"text":"before<raw>after",...
        var marker = Encoding.UTF8.GetBytes("{\"data\":{");
        return [.. marker, .. "\"text\":\"before"u8, .. rawText, .. "after\","u8, .. bytes[marker.Length..]];
    }

    private static byte[] Replace(byte[] line, string from, string to) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line).Replace(from, to, StringComparison.Ordinal));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A valid, matching post whose values are hostile; it must be stored exactly as sent.</summary>
    public sealed record ValidPost(string Id, string AuthorId, string Username, string Text, string CreatedAt)
    {
        public static ValidPost Make(int index, Random random) => new(
            (ValidIdBase + index).ToString(CultureInfo.InvariantCulture),
            (1000 + index % HostileUsernames.Length).ToString(CultureInfo.InvariantCulture),
            HostileUsernames[index % HostileUsernames.Length],
            HostileTexts[random.Next(HostileTexts.Length)] + " #" + index.ToString(CultureInfo.InvariantCulture),
            new DateTime(2024, 1, 15, 10, 0, 0, DateTimeKind.Utc).AddSeconds(index / 3).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));

        /// <summary>The line as X would send it; with <paramref name="escapeNonAscii"/> every non-ASCII character is a \u escape.</summary>
        public byte[] Line(bool escapeNonAscii)
        {
            var options = new JsonSerializerOptions { Encoder = escapeNonAscii ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            return JsonSerializer.SerializeToUtf8Bytes(new
            {
                data = new { id = Id, text = Text, author_id = AuthorId, created_at = CreatedAt, edit_history_tweet_ids = new[] { Id } },
                includes = new { users = new[] { new { id = AuthorId, name = "Name " + Username, username = Username } } },
                matching_rules = new[] { new { id = "1", tag = Tag } },
            }, options);
        }
    }
}
