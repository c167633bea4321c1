using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Deploy;

/// <summary>
/// Every kind of template the tests produce (the committed manifest's, with <c>--arch arm64 --spot</c>, with another
/// image count, with the cost settings in the manifest, and the one a deploy writes) passes cfn-lint, which knows the
/// current resource schemas, with no error.
/// </summary>
public sealed class CfnLintTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Cfn_lint_finds_no_error_in_any_template()
    {
        var cfnLint = ExecutableSearch.OnPath("cfn-lint");
        if (cfnLint is null)
        {
            Assert.Skip("cfn-lint is not on PATH (pip install cfn-lint)");
        }

        var costsInManifest = DeployManifests.WriteVariant(Path.Combine(_bed.Root, "costs", "aspire-manifest.json"), m =>
        {
            var service = DeployManifests.Resource(m, ManifestSchema.FargateService.Type);
            service[ManifestSchema.FargateService.CpuArchitecture] = ManifestSchema.FargateService.Arm64;
            service[ManifestSchema.FargateService.Spot] = true;
            service[ManifestSchema.FargateService.DesiredCount] = 0;
            service[ManifestSchema.FargateService.Alarms] = new System.Text.Json.Nodes.JsonObject { [ManifestSchema.FargateService.Alarm.StoredMinutes] = 60 };
        });
        var plans = new Dictionary<string, string[]>
        {
            ["default"] = [],
            ["arm64-spot"] = ["--arch", "arm64", "--spot"],
            ["keep-3"] = ["--keep-images", "3"],
            ["alarm-email"] = ["--alarm-email", "ops@example.com"],
            ["manifest-costs"] = ["--manifest", costsInManifest],
        };
        var templates = new List<string>();
        foreach (var (name, extra) in plans)
        {
            var folder = Path.Combine(_bed.Root, name);
            string[] manifest = extra.Contains("--manifest") ? [] : ["--manifest", DeployManifests.CommittedPath];
            var run = await _bed.RunAsync(["plan", .. manifest, "--out", folder, "--region", "us-east-1", .. extra]);
            Assert.True(run.ExitCode == 0, run.Error);
            templates.Add(Path.Combine(folder, "template.json"));
        }

        _bed.Environment["Parameters__consumer-key"] = "k";
        _bed.Environment["Parameters__consumer-secret"] = "s";
        var deploy = await _bed.RunAsync("deploy", "--manifest", DeployManifests.CommittedPath, "--out", _bed.Out, "--region", "us-east-1", "--image-tag", "abc1234");
        Assert.True(deploy.ExitCode == 0, deploy.Error);
        templates.Add(Path.Combine(_bed.Out, "template.json"));

        await using var lint = ManagedProcess.Start("cfn-lint", cfnLint, [.. templates, "--regions", "us-east-1", "--non-zero-exit-code", "error"]);
        var exitCode = await lint.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, $"cfn-lint exit code {exitCode}:{Environment.NewLine}{lint.RecentOutput}");
        // W1030: a Ref's value (once the network parameters' empty defaults) that the property would not accept.
        Assert.DoesNotContain("W1030", lint.RecentOutput, StringComparison.Ordinal);
    }
}
