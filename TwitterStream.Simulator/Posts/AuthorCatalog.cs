using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace TwitterStream.Simulator.Posts;

/// <summary>
/// The fixed set of authors for a seed. A few "heavy" authors write a large share of posts, so at high rates one
/// author often posts several times within the same second.
/// </summary>
internal sealed class AuthorCatalog
{
    public const int AuthorCount = 300;
    public const int HeavyAuthorCount = 5;
    private const double HeavyShare = 0.3;

    private readonly Author[] _authors;
    private readonly ConcurrentDictionary<string, Author> _byUsername = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _seed;

    public AuthorCatalog(IOptions<SimulatorOptions> options)
    {
        _seed = options.Value.Seed;
        var random = Prng.For(_seed, -1);
        _authors = new Author[AuthorCount];
        for (var i = 0; i < AuthorCount; i++)
        {
            var first = i % Vocabulary.FirstNames.Length;
            var last = (i / Vocabulary.FirstNames.Length + random.Next(Vocabulary.LastNames.Length)) % Vocabulary.LastNames.Length;
            var username = (random.Next(4)) switch
            {
                0 => $"{Vocabulary.FirstNames[first]}_{Vocabulary.LastNames[last]}",
                1 => $"{Vocabulary.FirstNames[first]}{Vocabulary.LastNames[last]}{random.Next(100)}",
                2 => $"the_real_{Vocabulary.FirstNames[first]}{i}",
                _ => $"{Vocabulary.FirstNames[first][0]}{Vocabulary.LastNames[last]}{i}",
            };
            if (!_byUsername.TryAdd(username, null!)) username += $"_{i}";
            _authors[i] = Create(i, username, Vocabulary.DisplayNames[first], ref random);
            _byUsername[username] = _authors[i];
        }
    }

    public IReadOnlyList<Author> All => _authors;

    public Author Pick(ref Prng random) => random.NextDouble() < HeavyShare
        ? _authors[random.Next(HeavyAuthorCount)]
        : _authors[random.Next(AuthorCount)];

    /// <summary>The author with this username; rules with <c>from:</c> an unknown name get a stable extra author.</summary>
    public Author ByUsername(string username) => _byUsername.GetOrAdd(username, name =>
    {
        var random = new Prng((ulong)StableHash(name));
        return Create(AuthorCount + (int)(StableHash(name) % 1_000_000), name, name, ref random);
    });

    /// <summary>An author known only by id (replayed posts without <c>includes.users</c>).</summary>
    public Author ById(string id, string? username, string? name) => _byUsername.GetOrAdd(username ?? $"user{id}", u =>
        new Author(id, u, name ?? u, "en", false, "", "", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    private Author Create(int index, string username, string name, ref Prng random)
    {
        var id = (1_000_000_000L + (uint)_seed % 1000 * 10_000_000L + index * 7919L).ToString(CultureInfo.InvariantCulture);
        var language = Vocabulary.Languages[random.Next(Vocabulary.Languages.Length)];
        var createdAt = new DateTimeOffset(2009, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(5000));
        return new Author(id, username, name, language.Code, random.Next(10) == 0,
            $"{language.Words[0]} {Vocabulary.Emoji[index % Vocabulary.Emoji.Length]}", "Earth", createdAt);
    }

    private static long StableHash(string s)
    {
        long hash = 1469598103934665603;
        foreach (var c in s.ToLowerInvariant()) hash = (hash ^ c) * 1099511628211;
        return hash & long.MaxValue;
    }
}
