using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TwitterStream.Simulator;
using TwitterStream.Simulator.Posts;
using TwitterStream.Simulator.Rules;

namespace TwitterStream.Tests.Simulator;

public sealed class RuleEvaluatorTests
{
    [Theory]
    // keywords: tokenized, case-insensitive, space = AND
    [InlineData("cat", "I love my Cat!", true)]
    [InlineData("CAT", "cat", true)]
    [InlineData("cat", "concatenate", false)]
    [InlineData("cat", "#cat pictures", true)]
    [InlineData("cat dog", "the dog and the cat", true)]
    [InlineData("cat dog", "just a cat", false)]
    // OR, precedence, grouping
    [InlineData("cat OR dog", "a dog", true)]
    [InlineData("cat or dog", "a dog", false)]
    [InlineData("cat dog OR bird", "a bird", true)]
    [InlineData("cat (dog OR bird)", "a bird", false)]
    [InlineData("cat (dog OR bird)", "cat and bird", true)]
    // phrases and negation
    [InlineData("\"happy cat\"", "such a Happy cat.", true)]
    [InlineData("\"happy cat\"", "a cat, happy", false)]
    [InlineData("cat -dog", "cat and dog", false)]
    [InlineData("cat -dog", "cat alone", true)]
    [InlineData("cat -\"hot dog\"", "cat with a dog that is hot", true)]
    // entities and operators
    [InlineData("#thanku", "#thankunext", false)]
    [InlineData("#thanku", "so #ThankU", true)]
    [InlineData("@XDevelopers", "hi @xdevelopers!", true)]
    [InlineData("@XDevelopers", "xdevelopers", false)]
    [InlineData("cat has:hashtags", "cat #pets", true)]
    [InlineData("cat has:hashtags", "cat pets", false)]
    [InlineData("cat has:links", "cat https://example.com/x", true)]
    [InlineData("cat has:mentions", "cat @bob", true)]
    [InlineData("cat is:retweet", "cat", false)]
    // Unicode: accents must match, canonical equivalents do, CJK runs, RTL scripts, marks, emoji
    [InlineData("café", "un cafe\u0301 noir", true)]
    [InlineData("CAFÉ", "un café noir", true)]
    [InlineData("cafe", "un café noir", false)]
    [InlineData("café", "un cafe noir", false)]
    [InlineData("#café", "bonjour #Café", true)]
    [InlineData("#cafe", "bonjour #café", false)]
    [InlineData("東京", "今日は東京で猫を見た", true)]
    [InlineData("東京", "京東", false)]
    [InlineData("猫 東京", "東京の猫", true)]
    [InlineData("\"東京 猫\"", "東京猫カフェ", true)]
    [InlineData("قهوة", "أحب قهوة الصباح", true)]
    [InlineData("قهوة -صباح", "قهوة صباح", false)]
    [InlineData("שלום", "שלום עולם", true)]
    [InlineData("नमस्ते", "नमस्ते दोस्त", true)]
    [InlineData("नमस्", "नमस्ते दोस्त", false)]
    [InlineData("🐱", "my 🐱 is cute", true)]
    [InlineData("🐱", "my 🐶 is cute", false)]
    [InlineData("straße", "Grüße aus der Straße", true)]
    public void Rule_matches_text_as_on_X(string rule, string text, bool expected)
    {
        var post = PostTokens.Create(text, "someone", "en", authorVerified: false);
        Assert.Equal(expected, RuleParser.Parse(rule).Matches(post));
    }

    [Theory]
    [InlineData("from:noa_cohen cat", "noa_cohen", "en", true)]
    [InlineData("from:Noa_Cohen cat", "noa_cohen", "en", true)]
    [InlineData("from:noa_cohen cat", "someone_else", "en", false)]
    [InlineData("cat lang:fr", "x", "fr", true)]
    [InlineData("cat lang:fr", "x", "en", false)]
    [InlineData("cat (lang:fr OR lang:de)", "x", "de", true)]
    public void Author_and_language_operators_match_the_post(string rule, string username, string lang, bool expected)
    {
        var post = PostTokens.Create("a cat", username, lang, authorVerified: false);
        Assert.Equal(expected, RuleParser.Parse(rule).Matches(post));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("(cat", "Unbalanced")]
    [InlineData("cat)", "Unexpected ')'")]
    [InlineData("-cat", "non-negation")]
    [InlineData("-cat -dog", "non-negation")]
    [InlineData("lang:en", "standalone")]
    [InlineData("has:hashtags", "standalone")]
    [InlineData("cat OR lang:en", "standalone")]
    [InlineData("cat OR", "Expected a term")]
    [InlineData("OR cat", "Expected a term")]
    [InlineData("\"open phrase", "Unterminated")]
    [InlineData("cat -(dog OR bird)", "Negate terms, not groups")]
    [InlineData("cat foo:bar", "Unknown operator")]
    [InlineData("cat has:unicorns", "Unknown operator")]
    [InlineData("cat lang:english", "language code")]
    [InlineData("cat #", "needs a name")]
    public void Invalid_rules_are_rejected_with_a_reason(string rule, string reason)
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleParser.Parse(rule));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_rule_longer_than_1024_characters_is_rejected()
    {
        Assert.NotNull(RuleParser.Parse(new string('a', 1024)));
        Assert.Contains("too long", Assert.Throws<RuleSyntaxException>(() => RuleParser.Parse(new string('a', 1025))).Message);
    }

    [Fact]
    public void Generated_texts_mix_scripts_emoji_entities_and_combining_marks()
    {
        var options = Options.Create(new SimulatorOptions { Seed = 7, MatchingShare = 0 });
        var generator = new PostGenerator(options, new AuthorCatalog(options), new FakeTimeProvider());
        var texts = Enumerable.Range(0, 2000).Select(i => generator.Get(i, []).Text).ToArray();

        bool Any(Func<string, bool> predicate) => texts.Any(predicate);
        Assert.True(Any(t => t.Any(c => c is >= '\u4E00' and <= '\u9FFF')), "no CJK");
        Assert.True(Any(t => t.Any(c => c is >= '\u0600' and <= '\u06FF')), "no Arabic");
        Assert.True(Any(t => t.Any(c => c is >= '\u0590' and <= '\u05FF')), "no Hebrew");
        Assert.True(Any(t => t.Any(char.IsSurrogate)), "no emoji");
        Assert.True(Any(t => t.Any(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)), "no combining marks");
        Assert.True(Any(t => t.Contains('#')), "no hashtags");
        Assert.True(Any(t => t.Contains('@')), "no mentions");
    }

    [Fact]
    public void With_a_matching_share_of_one_every_generated_post_satisfies_a_rule()
    {
        var options = Options.Create(new SimulatorOptions { Seed = 3, MatchingShare = 1 });
        var generator = new PostGenerator(options, new AuthorCatalog(options), new FakeTimeProvider());
        StreamRule[] rules =
        [
            new("1", "\"happy cat\" -dog", "a", RuleParser.Parse("\"happy cat\" -dog")),
            new("2", "(東京 OR قهوة) lang:ja", "b", RuleParser.Parse("(東京 OR قهوة) lang:ja")),
            new("3", "from:zoe_example #café", "c", RuleParser.Parse("from:zoe_example #café")),
        ];
        for (var i = 0; i < 500; i++)
        {
            var post = generator.Get(i, rules);
            Assert.True(rules.Any(r => r.Root.Matches(post.Tokens)), $"post {i} matches no rule: {post.Text}");
        }
    }
}
