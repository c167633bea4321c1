namespace TwitterStream.Simulator.Rules;

/// <summary>A rule X would reject; the message is what goes into the error's <c>details</c>.</summary>
internal sealed class RuleSyntaxException(string message) : Exception(message);

/// <summary>
/// Parses X filtered-stream rule syntax: space = AND, <c>OR</c>, AND binds tighter than OR, parentheses,
/// <c>-</c> negation of a term, <c>"exact phrase"</c>, <c>#hashtag</c>, <c>@mention</c>, <c>from:</c>, <c>lang:</c>,
/// and the <c>is:</c>/<c>has:</c> operators that need another term.
/// </summary>
internal sealed class RuleParser
{
    public const int MaxRuleLength = 1024;

    private readonly string _text;
    private int _pos;

    private RuleParser(string text) => _text = text;

    public static RuleNode Parse(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new RuleSyntaxException("Rules must not be empty");
        if (value.Length > MaxRuleLength)
            throw new RuleSyntaxException($"Rule is too long: {value.Length} characters, the limit is {MaxRuleLength}");
        var parser = new RuleParser(value);
        var root = parser.ParseOr();
        parser.SkipSpace();
        if (parser._pos < value.Length) throw parser.Error($"Unexpected '{value[parser._pos]}'");
        if (!root.IsStandalone)
        {
            throw new RuleSyntaxException(HasPositive(value)
                ? "Rules must contain a standalone operator: is:, has: and lang: only narrow another term"
                : "Rules must contain a non-negation term (at position 1)");
        }
        return root;
    }

    private static bool HasPositive(string value) =>
        value.Split([' ', '(', ')'], StringSplitOptions.RemoveEmptyEntries).Any(t => t[0] != '-' && t != "OR");

    private RuleNode ParseOr()
    {
        var branches = new List<RuleNode> { ParseAnd() };
        while (TryKeyword("OR")) branches.Add(ParseAnd());
        return branches.Count == 1 ? branches[0] : new OrNode([.. branches]);
    }

    private RuleNode ParseAnd()
    {
        var terms = new List<RuleNode>();
        while (true)
        {
            SkipSpace();
            if (_pos >= _text.Length || _text[_pos] == ')' || PeekKeyword("OR")) break;
            terms.Add(ParseUnary());
        }
        if (terms.Count == 0) throw Error(_pos >= _text.Length ? "Expected a term at the end of the rule" : "Expected a term before OR or ')'");
        return terms.Count == 1 ? terms[0] : new AndNode([.. terms]);
    }

    private RuleNode ParseUnary()
    {
        if (_text[_pos] != '-') return ParseAtom();
        var at = _pos++;
        if (_pos >= _text.Length || char.IsWhiteSpace(_text[_pos])) throw Error("Expected a term after '-'", at);
        if (_text[_pos] == '(') throw Error("Negate terms, not groups: write -a -b instead of -(a OR b)", at);
        return new NotNode(ParseAtom());
    }

    private RuleNode ParseAtom()
    {
        var start = _pos;
        var c = _text[_pos];
        if (c == '(')
        {
            _pos++;
            var inner = ParseOr();
            SkipSpace();
            if (_pos >= _text.Length || _text[_pos] != ')') throw Error("Unbalanced parentheses: missing ')'", start);
            _pos++;
            return inner;
        }
        if (c == '"')
        {
            var close = _text.IndexOf('"', _pos + 1);
            if (close < 0) throw Error("Unterminated quoted phrase", start);
            var phrase = _text[(_pos + 1)..close];
            _pos = close + 1;
            return Term(phrase, start);
        }
        while (_pos < _text.Length && !char.IsWhiteSpace(_text[_pos]) && _text[_pos] is not ('(' or ')' or '"')) _pos++;
        var word = _text[start.._pos];
        if (word.StartsWith('#')) return new HashtagNode(Entity(word, start));
        if (word.StartsWith('@')) return new MentionNode(Entity(word, start));
        var colon = word.IndexOf(':');
        if (colon > 0 && word[..colon].All(char.IsAsciiLetter)) return Operator(word, colon, start);
        return Term(word, start);
    }

    private RuleNode Operator(string word, int colon, int start)
    {
        var name = word[..colon].ToLowerInvariant();
        var argument = word[(colon + 1)..];
        if (argument.Length == 0) throw Error($"Operator '{name}:' needs a value", start);
        switch (name)
        {
            case "from":
                return new FromNode(argument.TrimStart('@').ToLowerInvariant());
            case "lang":
                if (argument.Length is < 2 or > 3 || !argument.All(char.IsAsciiLetter))
                    throw Error($"lang: needs a BCP 47 language code such as en, got '{argument}'", start);
                return new LangNode(argument.ToLowerInvariant());
            case "is" or "has":
                var flag = $"{name}:{argument.ToLowerInvariant()}";
                if (!FlagNode.Known.Contains(flag)) throw Error($"Unknown operator '{flag}'", start);
                return new FlagNode(flag);
            default:
                throw Error($"Unknown operator '{name}:'", start);
        }
    }

    private string Entity(string word, int start)
    {
        var body = word[1..];
        if (body.Length == 0) throw Error($"'{word}' needs a name after '{word[0]}'", start);
        return TextTokenizer.Normalize(body);
    }

    private TermNode Term(string surface, int start)
    {
        var tokens = TextTokenizer.Tokenize(TextTokenizer.Normalize(surface));
        if (tokens.Count == 0) throw Error($"'{surface}' contains nothing that can match", start);
        return new TermNode(surface, [.. tokens]);
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        if (!PeekKeyword(keyword)) return false;
        _pos += keyword.Length;
        return true;
    }

    private bool PeekKeyword(string keyword) =>
        string.CompareOrdinal(_text, _pos, keyword, 0, keyword.Length) == 0
        && (_pos + keyword.Length == _text.Length || char.IsWhiteSpace(_text[_pos + keyword.Length]) || _text[_pos + keyword.Length] == '(');

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private RuleSyntaxException Error(string message, int? at = null) => new($"{message} (at position {(at ?? _pos) + 1})");
}
