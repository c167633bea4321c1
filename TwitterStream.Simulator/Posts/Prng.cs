namespace TwitterStream.Simulator.Posts;

/// <summary>SplitMix64: a tiny, allocation-free generator whose stream is fixed by its seed (post i of seed s is always the same).</summary>
internal struct Prng(ulong state)
{
    private ulong _state = state;

    public static Prng For(int seed, long index) => new((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xBF58476D1CE4E5B9UL);

    public ulong NextULong()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Next(int maxExclusive) => (int)(NextULong() % (ulong)maxExclusive);

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(T[] items) => items[Next(items.Length)];
}
