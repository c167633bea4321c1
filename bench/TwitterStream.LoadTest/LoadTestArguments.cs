using System.Globalization;
using System.Numerics;

namespace TwitterStream.Bench.LoadTest;

/// <summary>The command line: <c>[--smoke] [--fixed-rate-only] [--jit] [--output PATH | --no-output] [--fixed-rate N] [--max-posts N] [--round-trip-ms MS]</c>.</summary>
public static class LoadTestArguments
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/TwitterStream.LoadTest -- [--smoke] [--fixed-rate-only] [--jit] [--output PATH | --no-output] [--fixed-rate POSTS_PER_S] [--max-posts N] [--round-trip-ms MS]";

    /// <summary>The plan the arguments ask for, or null for <c>--help</c>.</summary>
    /// <exception cref="ArgumentException">One line naming the bad argument and the fix.</exception>
    public static LoadTestPlan? Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var smoke = false;
        var noOutput = false;
        var fixedRateOnly = false;
        var jit = false;
        string? output = null;
        double? fixedRate = null;
        long? maxPosts = null;
        double? roundTripMs = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    return null;
                case "--smoke":
                    smoke = true;
                    break;
                case "--fixed-rate-only":
                    fixedRateOnly = true;
                    break;
                case "--jit":
                    jit = true;
                    break;
                case "--no-output":
                    noOutput = true;
                    break;
                case "--output":
                    output = Value(args, ref i);
                    break;
                case "--fixed-rate":
                    fixedRate = Number(args, ref i, double.Parse, "a number of posts per second such as 250");
                    break;
                case "--max-posts":
                    maxPosts = Number(args, ref i, long.Parse, "a whole number of posts such as 150000");
                    break;
                case "--round-trip-ms":
                    roundTripMs = Number(args, ref i, double.Parse, "milliseconds such as 3, or 0 for none", allowZero: true);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. {Usage}");
            }
        }

        if (noOutput && output is not null)
        {
            throw new ArgumentException("--output and --no-output contradict each other: pass one of them.");
        }

        // The full run refreshes the committed summary; a smoke or fixed-rate-only run writes one only when asked.
        var outputPath = noOutput ? null
            : output is not null ? Path.GetFullPath(output)
            : smoke || fixedRateOnly ? null
            : Path.Combine(repositoryRoot, "bench", "results", "latest.json");
        var plan = smoke ? LoadTestPlan.Smoke(outputPath) : LoadTestPlan.Full(outputPath);
        return plan with
        {
            FixedRate = fixedRate ?? plan.FixedRate,
            MaxRatePosts = maxPosts ?? plan.MaxRatePosts,
            RoundTrip = roundTripMs is { } ms ? TimeSpan.FromMilliseconds(ms) : plan.RoundTrip,
            FixedRateOnly = fixedRateOnly,
            Jit = jit,
        };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{name} needs a value: {Usage}");
        }

        return args[++i];
    }

    private static T Number<T>(IReadOnlyList<string> args, ref int i, Func<string, IFormatProvider, T> parse, string expected, bool allowZero = false)
        where T : IComparable<T>, INumberBase<T>
    {
        var name = args[i];
        var text = Value(args, ref i);
        T value;
        try
        {
            value = parse(text, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{name} '{text}' is not a number: give {expected}.");
        }
        catch (OverflowException)
        {
            throw new ArgumentException($"{name} '{text}' is out of range: give {expected}.");
        }

        if (!T.IsFinite(value) || (allowZero ? value.CompareTo(T.Zero) < 0 : value.CompareTo(T.Zero) <= 0))
        {
            throw new ArgumentException($"{name} must be a finite number {(allowZero ? "of zero or more" : "above zero")}: give {expected}.");
        }

        return value;
    }
}
