namespace TwitterStream.Deploy.Manifest;

/// <summary>
/// The worker's environment once every manifest expression is resolved: plain values for ECS <c>environment</c>,
/// secret parameters for ECS <c>secrets</c>, and the tables the worker is pointed at (its task role may write to those).
/// Each list is sorted by name so that plans are byte-for-byte stable.
/// </summary>
internal sealed record ContainerEnvironment(
    IReadOnlyList<KeyValuePair<string, string>> Plain,
    IReadOnlyList<KeyValuePair<string, ManifestParameter>> Secrets,
    IReadOnlyList<ManifestTable> Tables);
