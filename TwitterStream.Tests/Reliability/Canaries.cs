using System.Text;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// Unique stand-in values for every credential, and every form in which one could leak: as is, base64 (an HTTP Basic
/// header of key:secret, or one value alone) and UTF-16 (a .NET string dumped raw).
/// </summary>
internal sealed class Canaries
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>A new canary for <paramref name="name"/> (a variable or setting name).</summary>
    public string this[string name]
    {
        get
        {
            if (!_values.TryGetValue(name, out var value))
            {
                value = $"canary{name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant()}{Guid.NewGuid():N}";
                _values[name] = value;
            }

            return value;
        }
    }

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Every byte pattern to search for, with a label naming the canary and the form.</summary>
    public IReadOnlyList<(string Label, byte[] Pattern)> Patterns(params (string Key, string Secret)[] basicPairs)
    {
        var patterns = new List<(string, byte[])>();
        foreach (var (name, value) in _values)
        {
            patterns.Add(($"{name} (UTF-8)", Encoding.UTF8.GetBytes(value)));
            patterns.Add(($"{name} (UTF-16)", Encoding.Unicode.GetBytes(value)));
            // Whole 3-byte groups only: the last group's characters change when more bytes follow the value.
            var utf8 = Encoding.UTF8.GetBytes(value);
            patterns.Add(($"{name} (base64)", Encoding.ASCII.GetBytes(Convert.ToBase64String(utf8[..(utf8.Length / 3 * 3)]))));
        }

        foreach (var (key, secret) in basicPairs)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(key)}:{Uri.EscapeDataString(secret)}"));
            patterns.Add(("key:secret (HTTP Basic, base64)", Encoding.ASCII.GetBytes(basic.TrimEnd('='))));
        }

        return patterns;
    }

    /// <summary>What surrounds the first match of the labelled pattern (the canary itself masked), to tell where a leak came from.</summary>
    public static string Context(IEnumerable<(string Label, byte[] Pattern)> patterns, string label, ReadOnlySpan<byte> haystack)
    {
        var pattern = patterns.First(p => p.Label == label).Pattern;
        var at = haystack.IndexOf(pattern);
        var start = Math.Max(0, at - 120);
        var before = Encoding.UTF8.GetString(haystack[start..at]);
        var after = Encoding.UTF8.GetString(haystack.Slice(at + pattern.Length, Math.Min(60, haystack.Length - at - pattern.Length)));
        return new string([.. (before + "<canary>" + after).Select(c => char.IsControl(c) ? '.' : c)]);
    }

    /// <summary>The labels of the patterns found in <paramref name="haystack"/>.</summary>
    public static IEnumerable<string> Found(IEnumerable<(string Label, byte[] Pattern)> patterns, ReadOnlySpan<byte> haystack)
    {
        var found = new List<string>();
        foreach (var (label, pattern) in patterns)
        {
            if (haystack.IndexOf(pattern) >= 0)
            {
                found.Add(label);
            }
        }

        return found;
    }
}
