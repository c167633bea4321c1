using Amazon.DynamoDBv2;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// Which failures of a write are DynamoDB refusing what was sent, so retrying the same request can never succeed:
/// a <c>ValidationException</c> (an item over 400 KB, a key too long or empty, …), which BatchWriteItem answers for the
/// whole request when one item is at fault. Everything else (throttling, 5xx, the network, a missing table, missing
/// permissions) may pass and keeps being retried.
/// </summary>
internal static class DynamoDbRefusal
{
    public static bool IsForGood(Exception exception) =>
        exception is AmazonDynamoDBException { ErrorCode: "ValidationException" or "SerializationException" };
}
