using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// The one seeding path of LocalStack and moto (CreateSecret/PutSecretValue, SigV4-signed plain HTTP) and the one
/// read-back path of the worker and the simulator (SSM GetParameter on /aws/reference/secretsmanager/…).
/// </summary>
public sealed class SecretsManagerSeederTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:4566");
    private static readonly DateTimeOffset SignedAt = new(2026, 12, 1, 17, 30, 5, TimeSpan.Zero);

    [Fact]
    public async Task CreateSecret_is_a_JSON_1_1_POST_with_its_target_and_a_SigV4_signature_for_secretsmanager()
    {
        var seeder = new SecretsManagerSeeder(new HttpClient(), Endpoint, "eu-west-1", new FakeTimeProvider(SignedAt));

        using var request = seeder.CreateSecretRequest("twitterstream/consumer-key", "v@lue \"quoted\"");

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("http://127.0.0.1:4566/"), request.RequestUri);
        Assert.Equal("secretsmanager.CreateSecret", Assert.Single(request.Headers.GetValues("X-Amz-Target")));
        Assert.Equal("application/x-amz-json-1.1", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("20261201T173005Z", Assert.Single(request.Headers.GetValues("X-Amz-Date")));
        var body = await request.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using (var json = JsonDocument.Parse(body))
        {
            Assert.Equal("twitterstream/consumer-key", json.RootElement.GetProperty("Name").GetString());
            Assert.Equal("v@lue \"quoted\"", json.RootElement.GetProperty("SecretString").GetString());
        }

        // The signature, computed here from the SigV4 specification without the SDK.
        var bodyHash = Hex(SHA256.HashData(body));
        const string signedHeaders = "content-type;host;x-amz-date;x-amz-target";
        var canonicalRequest = string.Join('\n',
            "POST", "/", "",
            "content-type:application/x-amz-json-1.1\nhost:127.0.0.1:4566\n"
            + "x-amz-date:20261201T173005Z\nx-amz-target:secretsmanager.CreateSecret\n",
            signedHeaders, bodyHash);
        const string scope = "20261201/eu-west-1/secretsmanager/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n20261201T173005Z\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + LocalAwsCredentials.SecretAccessKey);
        foreach (var part in new[] { "20261201", "eu-west-1", "secretsmanager", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential={LocalAwsCredentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}",
            Assert.Single(request.Headers.GetValues("Authorization")));
    }

    [Fact]
    public async Task An_existing_secret_gets_a_new_value_with_PutSecretValue()
    {
        var handler = new RecordingHandler(
            (HttpStatusCode.BadRequest, """{"__type":"ResourceExistsException","message":"exists"}"""),
            (HttpStatusCode.OK, """{"ARN":"arn","Name":"app/key","VersionId":"2"}"""));
        var seeder = new SecretsManagerSeeder(new HttpClient(handler), Endpoint, "us-east-1", new FakeTimeProvider(SignedAt));

        var seeding = await seeder.SeedAsync("app/key", "second", TestContext.Current.CancellationToken);

        Assert.Equal(SecretSeeding.Updated, seeding);
        Assert.Equal(["secretsmanager.CreateSecret", "secretsmanager.PutSecretValue"], handler.Targets);
        Assert.Equal("""{"SecretId":"app/key","SecretString":"second"}""", handler.Bodies[1]);
    }

    [Fact]
    public async Task A_refused_seeding_names_the_call_the_secret_and_the_error_but_not_the_value()
    {
        var handler = new RecordingHandler((HttpStatusCode.BadRequest, """{"__type":"com.amazonaws#AccessDeniedException","message":"no: hunter2"}"""));
        var seeder = new SecretsManagerSeeder(new HttpClient(handler), Endpoint, "us-east-1", new FakeTimeProvider(SignedAt));

        var problem = await Assert.ThrowsAsync<InvalidOperationException>(
            () => seeder.SeedAsync("app/key", "hunter2", TestContext.Current.CancellationToken));

        Assert.Equal("CreateSecret for secret app/key at http://127.0.0.1:4566/ answered 400 AccessDeniedException.", problem.Message);
    }

    [Fact]
    public async Task Seeded_into_moto_a_secret_reads_back_through_SSM_and_a_second_seeding_replaces_it()
    {
        var motoServer = MotoServerProcess.FindOnPath();
        Assert.SkipWhen(motoServer is null, MotoServerProcess.MissingReason);
        var ct = TestContext.Current.CancellationToken;
        await using var moto = await MotoServerProcess.StartAsync(motoServer!, ct);
        using var http = new HttpClient();
        var seeder = new SecretsManagerSeeder(http, moto.ServiceUrl, LocalAwsCredentials.Region, TimeProvider.System);
        using var ssm = LocalSsm.CreateClient(moto.ServiceUrl.ToString());
        var parameter = SsmSecretReferences.ParameterName("twitterstream/consumer-secret");

        Assert.Equal(SecretSeeding.Created, await seeder.SeedAsync("twitterstream/consumer-secret", "first & 'quoted'", ct));
        Assert.Equal("first & 'quoted'", await SsmSecretsConfiguration.ReadAsync(ssm, "CONSUMERSECRETKEY", parameter, ct));
        Assert.Equal(SecretSeeding.Updated, await seeder.SeedAsync("twitterstream/consumer-secret", "second", ct));
        Assert.Equal("second", await SsmSecretsConfiguration.ReadAsync(ssm, "CONSUMERSECRETKEY", parameter, ct));

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SsmSecretsConfiguration.ReadAsync(ssm, "CONSUMERKEY", SsmSecretReferences.ParameterName("no/such"), ct));
        Assert.StartsWith("Could not read CONSUMERKEY from SSM parameter /aws/reference/secretsmanager/no/such at ", missing.Message);
    }

    [Fact]
    public void The_settings_to_read_from_SSM_are_the_SsmSecrets_entries_by_their_relative_keys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SsmSecretReferences.Section}:CONSUMERKEY"] = "/aws/reference/secretsmanager/a",
            [$"{SsmSecretReferences.Section}:Simulator:ConsumerSecret"] = "/aws/reference/secretsmanager/b",
            ["CONSUMERKEY"] = "not read from here",
        }).Build();

        Assert.Equal(
            new Dictionary<string, string> { ["CONSUMERKEY"] = "/aws/reference/secretsmanager/a", ["Simulator:ConsumerSecret"] = "/aws/reference/secretsmanager/b" },
            SsmSecretsConfiguration.References(configuration).OrderBy(p => p.Key).ToDictionary());
        Assert.Equal("SsmSecrets__Simulator__ConsumerSecret", SsmSecretReferences.EnvironmentVariable("Simulator:ConsumerSecret"));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Answers each request with the next scripted response and keeps what was asked.</summary>
    private sealed class RecordingHandler(params (HttpStatusCode Status, string Body)[] answers) : HttpMessageHandler
    {
        private int _next;

        public List<string> Targets { get; } = [];

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Targets.Add(Assert.Single(request.Headers.GetValues("X-Amz-Target")));
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            var (status, body) = answers[_next++];
            return new HttpResponseMessage(status) { Content = new StringContent(body) };
        }
    }
}
