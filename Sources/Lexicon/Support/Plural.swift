/// Counted nouns and articles in messages: `1 pool`, `2 pools`, `an A record`, `a TXT record`.
public enum Plural {
    /// `an` or `a` before a word as it is read aloud; acronyms and record types by their first letter's name
    /// (`an MX`, `an A`, `a TXT`, `a CNAME`).
    public static func article(_ word: String) -> String {
        guard let first = word.first else { return "a" }
        let isAcronym = word.count > 1 && word.allSatisfy { $0.isUppercase || $0.isNumber } || word.count == 1
        let vowelSound = isAcronym ? "AEFHILMNORSX".contains(first.uppercased()) : "aeiou".contains(first.lowercased())
        return (vowelSound ? "an " : "a ") + word
    }

    /// The count and the noun, with an `s` unless the count is one.
    public static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
