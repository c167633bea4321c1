namespace TwitterStream.Deploy.Commands;

/// <summary>A command and its <c>--name value</c> / <c>--flag</c> options, with the checks each command asks for.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CommandLine(string command, Dictionary<string, string?> options)
    {
        Command = command;
        _options = options;
    }

    public string Command { get; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new DeployError("no command given: use plan, deploy or destroy (see 'twitterstream-deploy help').");
        }

        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new DeployError($"unexpected argument '{arg}': options look like --name value (see 'twitterstream-deploy help').");
            }

            string name;
            string? value = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[2..equals];
                value = arg[(equals + 1)..];
            }
            else
            {
                name = arg[2..];
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }
            }

            if (!options.TryAdd(name, value))
            {
                throw new DeployError($"option --{name} is given twice.");
            }
        }

        return new CommandLine(args[0], options);
    }

    public string? Value(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return null;
        }

        return value ?? throw new DeployError($"option --{name} needs a value.");
    }

    public string Value(string name, string fallback) => Value(name) ?? fallback;

    public bool Flag(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return false;
        }

        return value is null ? true : throw new DeployError($"option --{name} takes no value (got '{value}').");
    }

    public IReadOnlyList<string> List(string name) =>
        Value(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>Call after reading every option a command knows: anything left over is a typo the user should hear about.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (unknown is not null)
        {
            throw new DeployError($"unknown option --{unknown} for '{Command}' (see 'twitterstream-deploy help').");
        }
    }
}
