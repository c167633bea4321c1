using System.Globalization;
using TwitterStream.Bench.LoadTest.Baselines;
using TwitterStream.Bench.LoadTest.EndToEnd;

namespace TwitterStream.Bench.LoadTest.Reporting;

/// <summary>The worker at its maximum rate and both baselines against one DynamoDB Local, reached over loopback or
/// with a network round trip added to every call.</summary>
public sealed record Comparison(double RoundTripMs, EndToEndResult MaximumRate, BaselineResult Walkthrough, BaselineResult PlainLoop)
{
    /// <summary>The worker's maximum sustained rate over the walkthrough's way.</summary>
    public double RatioToWalkthrough => Ratio(MaximumRate.StoredPerSecond, Walkthrough.StoredPerSecond);

    /// <summary>The worker's maximum sustained rate over the plain loop.</summary>
    public double RatioToPlainLoop => Ratio(MaximumRate.StoredPerSecond, PlainLoop.StoredPerSecond);

    public string Network => DescribeNetwork(RoundTripMs);

    public static string DescribeNetwork(double roundTripMs) =>
        roundTripMs > 0 ? string.Create(CultureInfo.InvariantCulture, $"{roundTripMs:0.#} ms round trip") : "loopback";

    private static double Ratio(double worker, double baseline) => baseline > 0 ? worker / baseline : double.PositiveInfinity;
}
