using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using TwitterStream.Bench.Benchmarks;

// With no arguments every benchmark runs; BenchmarkDotNet's own options (--filter, --job short, --inProcess …) pass through.
var config = DefaultConfig.Instance.AddColumn(new PostsPerSecondColumn());
BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly)
    .Run(args.Length == 0 ? ["--filter", "*"] : args, config);
