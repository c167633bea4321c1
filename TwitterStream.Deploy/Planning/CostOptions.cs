using System.Globalization;
using TwitterStream.Contracts;
using TwitterStream.Deploy.Commands;
using TwitterStream.Deploy.Manifest;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// The deployment's cost levers: CPU architecture (Graviton is cheaper per vCPU-hour), Fargate Spot, and how many images
/// the repository keeps (one per commit otherwise piles up).
/// </summary>
internal sealed record CostOptions(string CpuArchitecture, bool Spot, int KeptImages)
{
    public const int DefaultKeptImages = 10;

    public bool IsArm64 => CpuArchitecture == ManifestSchema.FargateService.Arm64;

    /// <summary>The architecture as <c>dotnet publish --arch</c> spells it.</summary>
    public string DotnetArch => IsArm64 ? "arm64" : "x64";

    public string CapacityProvider => Spot ? "FARGATE_SPOT" : "FARGATE";
}

/// <summary>
/// What the command line says about costs (<c>--arch</c>, <c>--spot</c> or <c>--on-demand</c>, <c>--keep-images</c>),
/// read before the manifest is; null means the manifest decides.
/// </summary>
internal sealed record CostOverrides(string? CpuArchitecture, bool? Spot, int KeptImages)
{
    public static CostOverrides Read(CommandLine commandLine)
    {
        var architecture = commandLine.Value("arch") switch
        {
            null => null,
            "x64" => ManifestSchema.FargateService.X86_64,
            "arm64" => ManifestSchema.FargateService.Arm64,
            var other => throw new DeployError($"--arch {other} is not a Fargate architecture: use x64 or arm64."),
        };
        var kept = commandLine.Value("keep-images");
        var keptImages = CostOptions.DefaultKeptImages;
        if (kept is not null && (!int.TryParse(kept, NumberStyles.None, CultureInfo.InvariantCulture, out keptImages) || keptImages is < 1 or > 1000))
        {
            throw new DeployError($"--keep-images {kept} is not a number of images: use 1 to 1000 (default {CostOptions.DefaultKeptImages}).");
        }

        var spot = commandLine.Flag("spot");
        var onDemand = commandLine.Flag("on-demand");
        if (spot && onDemand)
        {
            throw new DeployError("--spot and --on-demand contradict each other: give one of them, or neither to use the manifest's Fargate setting.");
        }

        return new CostOverrides(architecture, spot ? true : onDemand ? false : null, keptImages);
    }

    /// <summary>The manifest's Fargate settings, overridden where the command line says otherwise.</summary>
    public CostOptions Apply(ManifestFargateService service) =>
        new(CpuArchitecture ?? service.CpuArchitecture, Spot ?? service.Spot, KeptImages);
}
