using System.Text;

namespace TwitterStream.Deploy.Parameters;

/// <summary>Reads a value from the terminal key by key so that nothing is echoed; only when stdin is a terminal.</summary>
internal sealed class ConsoleSecretPrompt : ISecretPrompt
{
    public bool CanPrompt => !Console.IsInputRedirected;

    public string Ask(string label)
    {
        Console.Error.Write($"{label}: ");
        var value = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (value.Length > 0)
                {
                    value.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                value.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return value.ToString();
    }
}
