/// Counted nouns in messages: `1 pool`, `2 pools`, `0 records`.
public enum Plural {
    /// The count and the noun, with an `s` unless the count is one.
    public static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
