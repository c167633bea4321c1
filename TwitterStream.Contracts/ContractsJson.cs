using System.Text.Json;
using System.Text.Json.Serialization;

namespace TwitterStream.Contracts;

/// <summary>
/// The JSON metadata of the contracts sent as JSON, generated at build: the worker is published as Native AOT, where
/// reflection-based serialization is off. Web defaults (camelCase), as ASP.NET Core writes <see cref="WorkerStats"/>;
/// <see cref="LedgerEntry"/> names its fields itself.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkerStats))]
[JsonSerializable(typeof(LedgerEntry))]
public sealed partial class ContractsJson : JsonSerializerContext;
