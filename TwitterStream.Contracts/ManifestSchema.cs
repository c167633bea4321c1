namespace TwitterStream.Contracts;

/// <summary>The custom resource types the AppHost writes into the Aspire manifest and the deploy tool reads back.</summary>
public static class ManifestSchema
{
    public static class Table
    {
        public const string Type = "aws.dynamodb.table.v0";
        public const string TableName = "tableName";
        public const string BillingMode = "billingMode";
        public const string PointInTimeRecovery = "pointInTimeRecovery";
        public const string AttributeDefinitions = "attributeDefinitions";
        public const string KeySchema = "keySchema";

        /// <summary>Each entry of both key lists: <c>{"name": …, "type" | "keyType": …}</c>.</summary>
        public const string EntryName = "name";
        public const string AttributeType = "type";
        public const string KeyType = "keyType";

        /// <summary>An array of <c>{"indexName", "keySchema": [key list entries], "projectionType"}</c>.</summary>
        public const string GlobalSecondaryIndexes = "globalSecondaryIndexes";
        public const string IndexName = "indexName";
        public const string ProjectionType = "projectionType";

        /// <summary>The attribute DynamoDB's TTL reads; absent when the table has no TTL.</summary>
        public const string TimeToLiveAttribute = "timeToLiveAttribute";
    }

    /// <summary>A project's command run on a schedule as an ECS task of its own (from the project's image).</summary>
    public static class ScheduledTask
    {
        public const string Type = "aws.ecs.scheduledtask.v0";
        public const string Project = "project";

        /// <summary>The container's command (arguments to the image's entry point), an array of strings.</summary>
        public const string Command = "command";

        /// <summary>An EventBridge schedule expression: <c>rate(1 day)</c>, <c>cron(0 3 * * ? *)</c>.</summary>
        public const string Schedule = "schedule";

        public static bool IsScheduleExpression(string value) =>
            (value.StartsWith("rate(", StringComparison.Ordinal) || value.StartsWith("cron(", StringComparison.Ordinal))
            && value.EndsWith(')') && value.Length > 6;
    }

    public static class FargateService
    {
        public const string Type = "aws.fargate.service.v0";
        public const string Project = "project";
        public const string Cpu = "cpu";
        public const string Memory = "memory";
        public const string DesiredCount = "desiredCount";
        public const string LogRetentionInDays = "logRetentionInDays";
        public const string ContainerPort = "containerPort";
        public const string HealthCheckPath = "healthCheckPath";
        public const string StopTimeoutSeconds = "stopTimeoutSeconds";

        /// <summary>The task's CPU architecture, in ECS's spelling: <see cref="X86_64"/> (the default) or <see cref="Arm64"/> (Graviton).</summary>
        public const string CpuArchitecture = "cpuArchitecture";
        public const string X86_64 = "X86_64";
        public const string Arm64 = "ARM64";

        /// <summary>True to run on Fargate Spot (cheaper; the task may be stopped with a two-minute warning).</summary>
        public const string Spot = "spot";

        /// <summary>An object of <see cref="AlarmThresholds"/> by the names in <see cref="Alarm"/>; absent means the defaults.</summary>
        public const string Alarms = "alarms";

        public static class Alarm
        {
            public const string StoredMinutes = "storedMinutes";
            public const string StoredMinKeptPosts = "storedMinKeptPosts";
            public const string DisconnectedMinutes = "disconnectedMinutes";
            public const string NoTaskMinutes = "noTaskMinutes";
            public const string WriteRetriesPerMinute = "writeRetriesPerMinute";
            public const string WriteRetriesMinutes = "writeRetriesMinutes";
            public const string UsagePercent = "usagePercent";
        }
    }
}
