using System.Globalization;
using TwitterStream.Deploy.Manifest;

namespace TwitterStream.Deploy.Planning;

/// <summary>The CPU/memory pairs Fargate accepts, and the log retentions CloudWatch accepts.</summary>
internal static class FargateSizes
{
    private static readonly int[] LogRetentionDays =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public static bool IsValid(int cpu, int memory) => cpu switch
    {
        256 => memory is 512 or 1024 or 2048,
        512 => memory is >= 1024 and <= 4096 && memory % 1024 == 0,
        1024 => memory is >= 2048 and <= 8192 && memory % 1024 == 0,
        2048 => memory is >= 4096 and <= 16384 && memory % 1024 == 0,
        4096 => memory is >= 8192 and <= 30720 && memory % 1024 == 0,
        8192 => memory is >= 16384 and <= 61440 && memory % 4096 == 0,
        16384 => memory is >= 32768 and <= 122880 && memory % 8192 == 0,
        _ => false,
    };

    /// <summary>Checks the Fargate entry's numbers before anything is planned, naming the resource on failure.</summary>
    public static void Validate(ManifestFargateService service)
    {
        var where = $"manifest resource '{service.Name}' ({ManifestReader.FargateServiceType})";
        if (!int.TryParse(service.Cpu, NumberStyles.None, CultureInfo.InvariantCulture, out var cpu)
            || !int.TryParse(service.Memory, NumberStyles.None, CultureInfo.InvariantCulture, out var memory)
            || !IsValid(cpu, memory))
        {
            throw new DeployError($"{where} has cpu {service.Cpu} / memory {service.Memory}, which Fargate does not offer: use e.g. 256/512, 512/1024 or 1024/2048.");
        }

        if (service.DesiredCount is < 0 or > 1)
        {
            throw new DeployError($"{where} has desiredCount {service.DesiredCount}: use 0 or 1, since X allows one filtered-stream connection per app.");
        }

        if (!LogRetentionDays.Contains(service.LogRetentionInDays))
        {
            throw new DeployError($"{where} has logRetentionInDays {service.LogRetentionInDays}, which CloudWatch does not accept: use one of {string.Join(", ", LogRetentionDays)}.");
        }

        if (service.StopTimeoutSeconds is < 2 or > 120)
        {
            throw new DeployError($"{where} has stopTimeoutSeconds {service.StopTimeoutSeconds}: Fargate accepts 2 to 120.");
        }

        if (service.ContainerPort is < 1 or > 65535)
        {
            throw new DeployError($"{where} has containerPort {service.ContainerPort}: use a TCP port (1-65535).");
        }
    }
}
