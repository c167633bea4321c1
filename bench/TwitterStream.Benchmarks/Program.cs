using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using TwitterStream.Bench.Benchmarks;

// Every benchmark runs unless --filter picks some; BenchmarkDotNet's other options (--job short, --inProcess …) pass through.
var config = DefaultConfig.Instance.AddColumn(new PostsPerSecondColumn());
string[] arguments = args.Contains("--filter") ? args : [.. args, "--filter", "*"];
BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly).Run(arguments, config);
