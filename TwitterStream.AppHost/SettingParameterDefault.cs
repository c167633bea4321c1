using Aspire.Hosting.Publishing;

namespace TwitterStream.AppHost;

/// <summary>
/// A parameter default taken from a setting: <c>Parameters:&lt;name&gt;</c> still overrides it when run, and the
/// manifest carries it as <c>"default": { "value": … }</c> for the deploy tool.
/// </summary>
public sealed class SettingParameterDefault(string value) : ParameterDefault
{
    public override string GetDefaultValue() => value;

    public override void WriteToManifest(ManifestPublishingContext context) => context.Writer.WriteString("value", value);
}
