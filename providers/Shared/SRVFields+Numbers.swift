import Lexicon

extension SRVFields {
    /// The contract's `PRIORITY WEIGHT PORT TARGET` as APIs with a field for each number hold it (Mythic Beasts,
    /// Njalla): the three numbers, and the target without its final dot.
    /// - Throws: ``LexiconError`` `invalidInput` when the content is not four fields with numbers first.
    static func numbers(_ content: String) throws -> (priority: Int, weight: Int, port: Int, target: String) {
        let (priority, value) = try split(content)
        let parts = value.split(separator: " ")
        return (priority, Int(parts[0]) ?? 0, Int(parts[1]) ?? 0, String(parts[2]))
    }

    /// The contract's content from the three numbers and the target as an API gives them.
    static func join(priority: Int, weight: Int, port: Int, target: String) -> String {
        join(priority: priority, "\(weight) \(port) \(target)")
    }
}
