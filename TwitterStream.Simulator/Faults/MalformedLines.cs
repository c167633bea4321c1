using System.Text;
using TwitterStream.Simulator.Posts;

namespace TwitterStream.Simulator.Faults;

/// <summary>Lines a robust client must skip. None of them is a post: none carries a usable <c>data.id</c>.</summary>
internal static class MalformedLines
{
    public const int OneMebibyte = 1 << 20;

    public enum Kind { TruncatedJson, WrongTypes, MissingFields, OneMebibyteLine, InvalidUtf8 }

    private static readonly byte[] Truncated = "{\"data\":{\"id\":\"1799999999999999999\",\"text\":\"this line ends befo"u8.ToArray();
    private static readonly byte[] WrongTypes = "{\"data\":{\"id\":1799999999999999999,\"text\":[\"not\",\"a\",\"string\"],\"author_id\":false},\"matching_rules\":\"none\"}"u8.ToArray();
    private static readonly byte[] MissingFields = "{\"data\":{\"text\":\"a post without an id or author\"},\"matching_rules\":[]}"u8.ToArray();
    private static readonly byte[] InvalidUtf8 = [.. "{\"data\":{\"text\":\"bad bytes "u8, 0xC3, 0x28, 0xFF, 0xFE, .. "\"}}"u8];
    private static readonly byte[] Huge = BuildHuge();

    public static Kind Pick(ref Prng random) => (Kind)random.Next(5);

    public static ReadOnlySpan<byte> Bytes(Kind kind) => kind switch
    {
        Kind.TruncatedJson => Truncated,
        Kind.WrongTypes => WrongTypes,
        Kind.MissingFields => MissingFields,
        Kind.OneMebibyteLine => Huge,
        _ => InvalidUtf8,
    };

    private static byte[] BuildHuge()
    {
        var prefix = "{\"data\":{\"text\":\""u8;
        var suffix = "\"}}"u8;
        var line = new byte[OneMebibyte];
        prefix.CopyTo(line);
        line.AsSpan(prefix.Length, OneMebibyte - prefix.Length - suffix.Length).Fill((byte)'x');
        suffix.CopyTo(line.AsSpan(OneMebibyte - suffix.Length));
        return line;
    }
}
