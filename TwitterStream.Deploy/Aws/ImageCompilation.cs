using System.Runtime.InteropServices;

namespace TwitterStream.Deploy.Aws;

/// <summary>The operating system and architecture deploy runs on (dotnet's names: linux, osx, windows; x64, arm64).</summary>
internal sealed record HostPlatform(string Os, string Arch)
{
    public static HostPlatform Current { get; } = new(
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsWindows() ? "windows" : RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant());
}

/// <summary>
/// How the worker image is compiled. The worker's project publishes Native AOT (README, "Room on the smallest task"):
/// ILC compiles for the machine it runs on and links with <c>clang</c>, so it cannot cross-compile from macOS or
/// Windows, nor to another architecture. Where it cannot run, the image is published JIT-compiled
/// (<c>-p:PublishAot=false</c>, on the ASP.NET Core base image) and deploy says so; its tag carries <c>-jit</c> so it is
/// never taken for the Native AOT image of the same commit.
/// </summary>
internal sealed record ImageCompilation(string? WhyJit)
{
    public const string JitTagSuffix = "-jit";

    public bool IsNativeAot => WhyJit is null;

    /// <summary>The properties <c>dotnet publish</c> gets beyond the project's own.</summary>
    public IReadOnlyList<string> PublishProperties => IsNativeAot ? [] : ["-p:PublishAot=false"];

    public static ImageCompilation Choose(ToolContext context, string dotnetArch)
    {
        var host = context.Host;
        if (host.Os != "linux")
        {
            return new($"Native AOT cannot be cross-compiled from {host.Os}");
        }

        if (host.Arch != dotnetArch)
        {
            return new($"Native AOT cannot be cross-compiled from {host.Arch} to {dotnetArch}");
        }

        return ExecutableLocator.Find(context, "clang") is null ? new("no clang on PATH to link Native AOT") : new((string?)null);
    }

    /// <summary>One line for deploy's output before the image is built.</summary>
    public string Describe(string dotnetArch) => IsNativeAot
        ? $"==> building the image as Native AOT (linux-{dotnetArch}, clang on PATH)"
        : $"==> building the image JIT-compiled ({WhyJit}): it uses more CPU and memory than the Native AOT image (README, 'Room on the smallest task'); "
          + $"for that image deploy from Linux {dotnetArch} with clang on PATH (apt-get install clang)";
}
