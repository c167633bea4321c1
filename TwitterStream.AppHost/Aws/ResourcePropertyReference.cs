namespace Aspire.Hosting;

/// <summary>
/// A property of one of our custom resources: its value in run mode, <c>{resource.property}</c> in the manifest,
/// which the deploy tool resolves to the property written in that resource's entry.
/// </summary>
public sealed class ResourcePropertyReference(IResource resource, string property, string value)
    : IManifestExpressionProvider, IValueProvider, IValueWithReferences
{
    public IResource Resource { get; } = resource;

    public string Property { get; } = property;

    public string Value { get; } = value;

    public string ValueExpression => $"{{{Resource.Name}.{Property}}}";

    public IEnumerable<object> References => [Resource];

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Value);
}
