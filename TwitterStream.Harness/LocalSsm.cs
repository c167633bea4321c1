using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using TwitterStream.Contracts;

namespace TwitterStream.Harness;

/// <summary>An SSM client for a local emulator (LocalStack, moto), with the local credentials: what a test reads secrets back with.</summary>
public static class LocalSsm
{
    public static AmazonSimpleSystemsManagementClient CreateClient(string serviceUrl, string region = LocalAwsCredentials.Region) =>
        new(new BasicAWSCredentials(LocalAwsCredentials.AccessKeyId, LocalAwsCredentials.SecretAccessKey),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = serviceUrl, AuthenticationRegion = region });
}
