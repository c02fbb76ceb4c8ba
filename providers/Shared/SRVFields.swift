import Lexicon

/// SRV content as APIs with a separate priority field hold it (Vultr, Porkbun, Name.com): the priority apart, and
/// `WEIGHT PORT TARGET` as the value, the target without its final dot.
enum SRVFields {
    /// Splits the contract's `PRIORITY WEIGHT PORT TARGET`.
    /// - Throws: ``LexiconError`` `invalidInput` when the content is not four fields with numbers first.
    static func split(_ content: String) throws -> (priority: Int, value: String) {
        let parts = content.split(separator: " ")
        guard parts.count == 4, let priority = Int(parts[0]), Int(parts[1]) != nil, Int(parts[2]) != nil else {
            throw LexiconError.invalidInput("SRV content should be PRIORITY WEIGHT PORT TARGET.")
        }
        return (priority, "\(parts[1]) \(parts[2]) \(RecordPresentation.bare(parts[3]))")
    }

    /// The contract's content from the API's priority and `WEIGHT PORT TARGET` value.
    static func join(priority: Int, _ value: String) -> String {
        let fields = value.split(separator: " ")
        return "\(priority) " + fields.dropLast().joined(separator: " ")
            + (fields.last.map { " " + RecordPresentation.bare($0) } ?? "")
    }
}
