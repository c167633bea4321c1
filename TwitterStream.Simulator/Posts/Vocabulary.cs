namespace TwitterStream.Simulator.Posts;

/// <summary>
/// Words per language for synthetic texts. Scripts are mixed on purpose: accents, decomposed combining marks
/// ("cafe\u0301"), CJK without spaces, right-to-left Arabic and Hebrew, Devanagari marks and emoji with modifiers and ZWJ.
/// </summary>
internal static class Vocabulary
{
    public sealed record Language(string Code, string[] Words, bool JoinWithoutSpaces = false);

    public static readonly Language[] Languages =
    [
        new("en", ["coffee", "morning", "weather", "game", "music", "today", "city", "train", "code", "release", "news", "team",
            "great", "love", "weekend", "launch", "cloud", "stream", "data", "update", "tonight", "friends", "running", "book",
            "pizza", "sunset", "traffic", "meeting", "concert", "garden"]),
        new("es", ["café", "mañana", "ciudad", "fútbol", "música", "hoy", "niños", "playa", "año", "corazón", "fiesta", "tren"]),
        new("fr", ["été", "cafe\u0301", "nai\u0308ve", "crème", "élève", "forêt", "garçon", "aujourd'hui", "où", "fenêtre", "bientôt"]),
        new("de", ["straße", "über", "müde", "grüße", "käse", "schön", "zürich", "fußball", "mädchen", "brötchen"]),
        new("ja", ["東京", "猫", "ラーメン", "今日", "天気", "さくら", "電車", "おはよう", "コーヒー", "音楽"], JoinWithoutSpaces: true),
        new("zh", ["你好", "天气", "咖啡", "北京", "猫", "音乐", "今天", "朋友", "火车"], JoinWithoutSpaces: true),
        new("ar", ["مرحبا", "قطة", "قهوة", "مدينة", "اليوم", "موسيقى", "صباح", "أصدقاء"]),
        new("he", ["שלום", "חתול", "קפה", "עיר", "היום", "מוזיקה", "בוקר", "חברים"]),
        new("hi", ["नमस्ते", "बिल्ली", "कॉफ़ी", "शहर", "आज", "संगीत", "दोस्त"]),
        new("vi", ["Vie\u0323\u0302t", "phở", "cà phê", "hôm nay", "thành phố", "bạn bè"]),
    ];

    public static readonly string[] Emoji = ["😀", "🎉", "🐱", "☕", "🚀", "👍🏽", "❤️", "👨‍👩‍👧", "🔥", "🌧️", "🇯🇵"];

    public static readonly string[] Hashtags = ["#news", "#coffee", "#dotnet", "#café", "#東京", "#music", "#موسيقى", "#weekend", "#TGIF"];

    public static readonly string[] FirstNames = ["maria", "kenji", "ana", "li", "omar", "noa", "priya", "lucas", "zoe", "ahmed",
        "sofia", "yuki", "david", "amara", "ivan", "chloe", "mateo", "fatima", "leo", "hana"];

    public static readonly string[] LastNames = ["garcia", "tanaka", "silva", "wang", "haddad", "cohen", "sharma", "martin", "muller",
        "hassan", "rossi", "sato", "levi", "okafor", "petrov", "dubois", "lopez", "nguyen", "kim", "berg"];

    /// <summary>Display names in the authors' own scripts, so <c>includes.users[].name</c> carries Unicode too.</summary>
    public static readonly string[] DisplayNames = ["María García", "田中健二", "Ana Silva", "王丽", "عمر حداد", "נועה כהן", "प्रिया शर्मा",
        "Lucas Martin", "Zoë Müller", "Ahmed Hassan", "Sofía Rossi", "佐藤ゆき", "David Levi", "Amara Okafor", "Иван Петров",
        "Chloé Dubois", "Mateo López", "Nguyễn Fatima", "Léo Kim", "Hana Berg"];
}
