namespace TwitterStream.AppHost;

/// <summary>The emulator the AppHost will run, and why, in words for the log.</summary>
public sealed record AwsEmulatorChoice(AwsEmulatorSetting Emulator, string Reason);

/// <summary>
/// Resolves <c>TwitterStream:AwsEmulator</c>. <c>auto</c> prefers LocalStack when a container runtime answers, else
/// moto when <c>moto_server</c> is on PATH (Secrets Manager without Docker), else DynamoDB Local when Java 17+ is found.
/// Decided before the model is built: a container in the model with no runtime would block everything that waits for it.
/// </summary>
public static class AwsEmulatorChooser
{
    public const int MinimumJavaMajorVersion = 17;

    public const string MotoInstall = "pip install \"moto[server]\"";

    public static AwsEmulatorChoice Choose(AwsEmulatorSetting setting, IToolProbes probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        return setting switch
        {
            AwsEmulatorSetting.LocalStack => RequireContainerRuntime(probes),
            AwsEmulatorSetting.Moto => RequireMoto(probes),
            AwsEmulatorSetting.DynamoDbLocal => new(setting, "TwitterStream:AwsEmulator is dynamodb-local"),
            _ => ChooseAutomatically(probes),
        };
    }

    /// <summary>
    /// LocalStack is a container: with no runtime answering, DCP would leave it and everything waiting for it
    /// "Waiting" for ever, so the AppHost stops at start instead.
    /// </summary>
    private static AwsEmulatorChoice RequireContainerRuntime(IToolProbes probes)
    {
        var runtime = probes.ContainerRuntime();
        return runtime.Answers
            ? new(AwsEmulatorSetting.LocalStack, $"TwitterStream:AwsEmulator is localstack and {runtime.Description}")
            : throw new SettingsException(
                $"TwitterStream:AwsEmulator is localstack, which runs in a container, but {runtime.Description}; start Docker, or set TwitterStream:AwsEmulator to moto ({MotoInstall}, no container), dynamodb-local (Java {MinimumJavaMajorVersion}+, no container) or auto (LocalStack when a container runtime answers, else moto, else DynamoDB Local).");
    }

    private static AwsEmulatorChoice RequireMoto(IToolProbes probes) =>
        probes.MotoServerAvailable()
            ? new(AwsEmulatorSetting.Moto, "TwitterStream:AwsEmulator is moto and moto_server is on PATH")
            : throw new SettingsException(
                $"TwitterStream:AwsEmulator is moto but moto_server is not on PATH; install it with '{MotoInstall}', or set TwitterStream:AwsEmulator to auto.");

    private static AwsEmulatorChoice ChooseAutomatically(IToolProbes probes)
    {
        var runtime = probes.ContainerRuntime();
        if (runtime.Answers)
        {
            return new(AwsEmulatorSetting.LocalStack, $"TwitterStream:AwsEmulator is auto and {runtime.Description}");
        }

        if (probes.MotoServerAvailable())
        {
            return new(AwsEmulatorSetting.Moto, $"TwitterStream:AwsEmulator is auto, {runtime.Description}, and moto_server is on PATH");
        }

        var java = probes.JavaMajorVersion();
        if (java >= MinimumJavaMajorVersion)
        {
            return new(AwsEmulatorSetting.DynamoDbLocal,
                $"TwitterStream:AwsEmulator is auto, {runtime.Description}, moto_server is not on PATH, and Java {java} is installed");
        }

        var javaFound = java is null ? "no Java on PATH" : $"Java {java} is older than {MinimumJavaMajorVersion}";
        throw new SettingsException(
            $"No AWS emulator can run: {runtime.Description}, moto_server is not on PATH and {javaFound}; install one of Docker (for LocalStack), moto ('{MotoInstall}') or Java {MinimumJavaMajorVersion}+ (for DynamoDB Local, e.g. 'apt-get install openjdk-{MinimumJavaMajorVersion}-jre-headless').");
    }
}
