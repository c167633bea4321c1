using TwitterStream.Contracts;
using Microsoft.Extensions.Configuration;
using TwitterStream.AppHost;

namespace TwitterStream.Tests.AppHost;

public sealed class AwsEmulatorChooserTests
{
    private sealed class FakeProbes(bool runtimeAnswers, int? java, bool moto = false) : IToolProbes
    {
        public int Asked { get; private set; }

        /// <summary>The probes asked, in order: the chooser must ask only as far as its answer.</summary>
        public List<string> Questions { get; } = [];

        public ContainerRuntimeProbe ContainerRuntime()
        {
            Asked++;
            Questions.Add("container runtime");
            return new(runtimeAnswers, runtimeAnswers ? "the container runtime 'docker' answers" : "no container runtime answers ('docker info' failed)");
        }

        public int? JavaMajorVersion()
        {
            Asked++;
            Questions.Add("java");
            return java;
        }

        public bool NodeAvailable() => false;

        public bool MotoServerAvailable()
        {
            Asked++;
            Questions.Add("moto_server");
            return moto;
        }
    }

    [Fact]
    public void Auto_asks_container_runtime_then_moto_then_Java_and_stops_at_the_first_that_is_there()
    {
        var withRuntime = new FakeProbes(runtimeAnswers: true, java: 17, moto: true);
        var withMoto = new FakeProbes(runtimeAnswers: false, java: 17, moto: true);
        var withJava = new FakeProbes(runtimeAnswers: false, java: 17, moto: false);

        Assert.Equal(AwsEmulatorSetting.LocalStack, AwsEmulatorChooser.Choose(AwsEmulatorSetting.Auto, withRuntime).Emulator);
        Assert.Equal(AwsEmulatorSetting.Moto, AwsEmulatorChooser.Choose(AwsEmulatorSetting.Auto, withMoto).Emulator);
        Assert.Equal(AwsEmulatorSetting.DynamoDbLocal, AwsEmulatorChooser.Choose(AwsEmulatorSetting.Auto, withJava).Emulator);
        Assert.Equal(["container runtime"], withRuntime.Questions);
        Assert.Equal(["container runtime", "moto_server"], withMoto.Questions);
        Assert.Equal(["container runtime", "moto_server", "java"], withJava.Questions);
    }

    [Fact]
    public void Auto_picks_moto_without_a_container_runtime_and_says_why()
    {
        var choice = AwsEmulatorChooser.Choose(AwsEmulatorSetting.Auto, new FakeProbes(runtimeAnswers: false, java: null, moto: true));

        Assert.Equal(AwsEmulatorSetting.Moto, choice.Emulator);
        Assert.Equal("TwitterStream:AwsEmulator is auto, no container runtime answers ('docker info' failed), and moto_server is on PATH", choice.Reason);
    }

    [Fact]
    public void An_explicit_moto_is_used_when_moto_server_is_on_PATH_without_asking_for_a_runtime()
    {
        var probes = new FakeProbes(runtimeAnswers: false, java: null, moto: true);

        var choice = AwsEmulatorChooser.Choose(AwsEmulatorSetting.Moto, probes);

        Assert.Equal(AwsEmulatorSetting.Moto, choice.Emulator);
        Assert.Equal(["moto_server"], probes.Questions);
    }

    [Fact]
    public void An_explicit_moto_without_moto_server_stops_with_one_line_saying_how_to_install_it()
    {
        var problem = Assert.Throws<SettingsException>(
            () => AwsEmulatorChooser.Choose(AwsEmulatorSetting.Moto, new FakeProbes(runtimeAnswers: true, java: 17, moto: false)));

        Assert.Equal(
            "TwitterStream:AwsEmulator is moto but moto_server is not on PATH; install it with 'pip install \"moto[server]\"', or set TwitterStream:AwsEmulator to auto.",
            problem.Message);
    }

    [Fact]
    public void Auto_picks_LocalStack_when_a_container_runtime_answers()
    {
        var choice = AwsEmulatorChooser.Choose(AwsEmulatorSetting.Auto, new FakeProbes(runtimeAnswers: true, java: 17));

        Assert.Equal(AwsEmulatorSetting.LocalStack, choice.Emulator);
        Assert.Contains("'docker' answers", choice.Reason);
    }

    [Fact]
    public void Auto_picks_DynamoDB_Local_when_no_runtime_answers_and_Java_17_or_newer_is_installed()
    {
        var choice = AwsEmulatorChooser.Choose(AwsEmulatorSetting.Auto, new FakeProbes(runtimeAnswers: false, java: 21));

        Assert.Equal(AwsEmulatorSetting.DynamoDbLocal, choice.Emulator);
        Assert.Contains("no container runtime answers", choice.Reason);
        Assert.Contains("moto_server is not on PATH", choice.Reason);
        Assert.Contains("Java 21", choice.Reason);
    }

    [Theory]
    [InlineData(null, "no Java on PATH")]
    [InlineData(11, "Java 11 is older than 17")]
    public void Auto_stops_with_one_line_saying_what_to_install_when_neither_is_found(int? java, string found)
    {
        var problem = Assert.Throws<SettingsException>(
            () => AwsEmulatorChooser.Choose(AwsEmulatorSetting.Auto, new FakeProbes(runtimeAnswers: false, java)));

        Assert.Contains(found, problem.Message);
        Assert.Contains("moto_server is not on PATH", problem.Message);
        Assert.Contains("install one of Docker (for LocalStack), moto ('pip install \"moto[server]\"') or Java 17+", problem.Message);
        Assert.DoesNotContain('\n', problem.Message);
    }

    [Fact]
    public void An_explicit_dynamodb_local_is_used_without_asking_the_machine()
    {
        var probes = new FakeProbes(runtimeAnswers: false, java: null);

        var choice = AwsEmulatorChooser.Choose(AwsEmulatorSetting.DynamoDbLocal, probes);

        Assert.Equal(AwsEmulatorSetting.DynamoDbLocal, choice.Emulator);
        Assert.Equal(0, probes.Asked);
    }

    [Fact]
    public void An_explicit_localstack_is_used_when_a_container_runtime_answers()
    {
        var choice = AwsEmulatorChooser.Choose(AwsEmulatorSetting.LocalStack, new FakeProbes(runtimeAnswers: true, java: null));

        Assert.Equal(AwsEmulatorSetting.LocalStack, choice.Emulator);
        Assert.Contains("'docker' answers", choice.Reason);
    }

    [Fact]
    public void An_explicit_localstack_without_a_container_runtime_stops_with_one_line_naming_the_other_choices()
    {
        var problem = Assert.Throws<SettingsException>(
            () => AwsEmulatorChooser.Choose(AwsEmulatorSetting.LocalStack, new FakeProbes(runtimeAnswers: false, java: 17)));

        Assert.Equal(
            "TwitterStream:AwsEmulator is localstack, which runs in a container, but no container runtime answers ('docker info' failed); "
            + "start Docker, or set TwitterStream:AwsEmulator to moto (pip install \"moto[server]\", no container), dynamodb-local (Java 17+, no container) or auto (LocalStack when a container runtime answers, else moto, else DynamoDB Local).",
            problem.Message);
    }

    [Fact]
    public void The_machine_probe_reads_the_java_on_PATH()
    {
        // .ci/run installs Java 17; the probe must find it and read its major version.
        Assert.True(new MachineToolProbes("docker").JavaMajorVersion() >= 17);
    }

    [Fact]
    public void The_machine_probe_finds_moto_server_only_on_PATH()
    {
        var empty = Directory.CreateTempSubdirectory("twitterstream-path-");
        var withMoto = Directory.CreateTempSubdirectory("twitterstream-path-");
        try
        {
            File.WriteAllText(Path.Combine(withMoto.FullName, "moto_server"), "");
            Assert.False(new MachineToolProbes("docker", empty.FullName).MotoServerAvailable());
            Assert.True(new MachineToolProbes("docker", $"{empty.FullName}{Path.PathSeparator}{withMoto.FullName}").MotoServerAvailable());
        }
        finally
        {
            empty.Delete(recursive: true);
            withMoto.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_machine_probe_reports_a_missing_runtime_CLI_as_not_answering()
    {
        var probe = new MachineToolProbes($"no-such-runtime-{Guid.NewGuid():N}").ContainerRuntime();

        Assert.False(probe.Answers);
        Assert.Contains("is not on PATH", probe.Description);
    }
}

public sealed class TwitterStreamSettingsTests
{
    private static TwitterStreamSettings Load(params (string Key, string Value)[] values) =>
        TwitterStreamSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void Defaults_are_the_simulator_auto_and_the_emulators_usual_ports()
    {
        var settings = Load();

        Assert.Equal(StreamSource.Simulator, settings.StreamSource);
        Assert.Equal(AwsEmulatorSetting.Auto, settings.AwsEmulator);
        Assert.Equal(4566, settings.DynamoDbPortFor(AwsEmulatorSetting.LocalStack));
        Assert.Equal(8000, settings.DynamoDbPortFor(AwsEmulatorSetting.DynamoDbLocal));
        Assert.Equal("twitterstream-posts", settings.TableName);
        Assert.Equal("100000", settings.MonthlyPostBudget);
    }

    [Fact]
    public void Values_are_read_case_insensitively_and_the_port_applies_to_either_emulator()
    {
        var settings = Load(("TwitterStream:StreamSource", "X"), ("TwitterStream:AwsEmulator", "DynamoDB-Local"), ("TwitterStream:DynamoDbPort", "9100"));

        Assert.Equal(StreamSource.X, settings.StreamSource);
        Assert.Equal(AwsEmulatorSetting.DynamoDbLocal, settings.AwsEmulator);
        Assert.Equal(9100, settings.DynamoDbPortFor(AwsEmulatorSetting.LocalStack));
    }

    [Fact]
    public void Alarm_thresholds_are_read_under_Fargate_Alarms_and_the_rest_keep_their_defaults()
    {
        var settings = Load(("TwitterStream:Fargate:Alarms:storedMinutes", "30"), ("TwitterStream:Fargate:Alarms:UsagePercent", "80"));

        Assert.Equal(new AlarmThresholds { StoredMinutes = 30, UsagePercent = 80 }, settings.Fargate.Alarms);
    }

    [Theory]
    [InlineData("TwitterStream:AwsEmulator", "docker", "TwitterStream:AwsEmulator is 'docker'; set it to one of: auto | localstack | moto | dynamodb-local.")]
    [InlineData("TwitterStream:StreamSource", "twitter", "TwitterStream:StreamSource is 'twitter'; set it to one of: simulator | x.")]
    [InlineData("TwitterStream:DynamoDbPort", "80000", "TwitterStream:DynamoDbPort is '80000'; it must be a whole number from 1 to 65535.")]
    [InlineData("TwitterStream:Fargate:DesiredCount", "2", "TwitterStream:Fargate:DesiredCount is '2'; it must be a whole number from 0 to 1.")]
    [InlineData("TwitterStream:Fargate:CpuArchitecture", "x86", "TwitterStream:Fargate:CpuArchitecture is 'x86'; set it to one of: x64 | arm64.")]
    [InlineData("TwitterStream:Fargate:Alarms:usagePercent", "120", "TwitterStream:Fargate:Alarms:usagePercent is '120'; it must be a whole number from 1 to 100.")]
    [InlineData("TwitterStream:TableName", " ", "TwitterStream:TableName is empty; remove it to use 'twitterstream-posts' or give a value.")]
    [InlineData("TwitterStream:MonthlyPostBudget", "lots", "TwitterStream:MonthlyPostBudget is 'lots'; set it to a whole number of posts per billing cycle (e.g. 100000) or to none.")]
    [InlineData("TwitterStream:MonthlyPostBudget", "0", "TwitterStream:MonthlyPostBudget is '0'; set it to a whole number of posts per billing cycle (e.g. 100000) or to none.")]
    public void A_bad_value_gets_one_line_naming_the_key_and_the_fix(string key, string value, string message)
    {
        var problem = Assert.Throws<SettingsException>(() => Load((key, value)));

        Assert.Equal(message, problem.Message);
    }
}
