namespace TwitterStream.Contracts;

/// <summary>
/// The throwaway credentials and region every local AWS client uses (the AppHost, the worker, dynamodb-admin, the
/// tests and the benchmarks). The emulators accept any; they only have to agree.
/// </summary>
public static class LocalAwsCredentials
{
    public const string AccessKeyId = "test";
    public const string SecretAccessKey = "test";
    public const string Region = "us-east-1";
}
