using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using TwitterStream.Contracts;
using TwitterStream.Simulator.Rules;

namespace TwitterStream.Simulator.Posts;

/// <summary>
/// Synthetic posts, deterministic for a seed: post i is a pure function of (seed, i, the rules in force). A share of
/// them (<see cref="SimulatorOptions.MatchingShare"/>) is written to satisfy one of the rules; the rest match only by chance.
/// </summary>
internal sealed class PostGenerator(IOptions<SimulatorOptions> options, AuthorCatalog authors, TimeProvider time) : IPostSource
{
    private readonly int _seed = options.Value.Seed;
    private readonly double _matchingShare = options.Value.MatchingShare;
    private readonly double _longPostShare = options.Value.LongPostShare;
    private readonly long _firstId = 1_800_000_000_000_000_000L + (uint)options.Value.Seed % 1_000_000 * 1_000_000_000L;

    [ThreadStatic] private static StringBuilder? t_text;
    [ThreadStatic] private static PostWitness? t_witness;

    public SimPost Get(long index, StreamRule[] rules)
    {
        var random = Prng.For(_seed, index);
        var witness = t_witness ??= new PostWitness();
        witness.Clear();
        if (rules.Length > 0 && random.NextDouble() < _matchingShare)
            random.Pick(rules).Root.AddWitness(witness, ref random);

        var author = witness.FromUsername is { } from ? authors.ByUsername(from) : authors.Pick(ref random);
        var language = LanguageOf(author.Lang);
        var text = t_text ??= new StringBuilder(256);
        text.Clear();
        var items = 5 + random.Next(10);
        for (var i = 0; i < items; i++)
        {
            AppendItem(text, ref random, language, index, last: i == items - 1);
        }

        // Drawn after the short text so that the short posts of a seed stay what they were before long posts existed.
        if (random.NextDouble() < _longPostShare)
        {
            // Words in the author's script up to the target; room is left for the rule fragments inserted below.
            var target = XLongPosts.ShortLength + 1 + random.Next(XLongPosts.MaxLength - LongPostMargin - XLongPosts.ShortLength);
            while (text.Length < target)
            {
                AppendItem(text, ref random, language, index, last: false);
            }

            if (text.Length > XLongPosts.MaxLength - LongPostMargin)
            {
                text.Length = XLongPosts.MaxLength - LongPostMargin;
                if (char.IsHighSurrogate(text[^1])) text.Length--;
            }
        }
        foreach (var fragment in witness.Fragments)
        {
            // Insert at a word boundary so a keyword stays a separate token.
            var at = text.Length == 0 ? 0 : random.Next(2) == 0 ? 0 : text.Length;
            text.Insert(at, at == 0 ? fragment + " " : " " + fragment);
        }

        var createdAt = WholeSecond(time.GetUtcNow());
        var id = (_firstId + index).ToString(CultureInfo.InvariantCulture);
        return SimPost.Create(id, text.ToString(), author, witness.Lang ?? author.Lang, createdAt, author.Verified);
    }

    /// <summary>Room kept under X's maximum for the rule fragments a matching post gets (rules are at most 1,024 characters).</summary>
    private const int LongPostMargin = 1_100;

    private void AppendItem(StringBuilder text, ref Prng random, Vocabulary.Language language, long index, bool last)
    {
        var roll = random.Next(20);
        var item = roll switch
        {
            0 => Vocabulary.Emoji[random.Next(Vocabulary.Emoji.Length)],
            1 => Vocabulary.Hashtags[random.Next(Vocabulary.Hashtags.Length)],
            2 => "@" + authors.All[random.Next(AuthorCatalog.AuthorCount)].Username,
            3 when last => "https://example.com/p/" + index.ToString(CultureInfo.InvariantCulture),
            _ => random.Pick(language.Words),
        };
        Append(text, item, language.JoinWithoutSpaces && roll > 3);
    }

    public static DateTimeOffset WholeSecond(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static void Append(StringBuilder text, string item, bool glue)
    {
        if (text.Length > 0 && !glue) text.Append(' ');
        text.Append(item);
    }

    private static Vocabulary.Language LanguageOf(string code)
    {
        foreach (var language in Vocabulary.Languages) if (language.Code == code) return language;
        return Vocabulary.Languages[0];
    }
}
