/// The record-contract rules for choosing what an update changes, shared by providers that hold the zone's
/// records in memory.
public enum RecordMatcher {
    /// Finds the record an update targets and computes its new value.
    /// - Parameters:
    ///   - records: The zone's current records.
    ///   - identifier: The id to update, or nil to match by type and name.
    ///   - input: The new values (nil fields keep the old ones; TTL 0 means the default).
    ///   - defaultTTL: The provider's default TTL.
    /// - Returns: The old record and the new one.
    /// - Throws: ``LexiconError`` `notFound` or `ambiguous` (listing the candidate ids).
    public static func update(
        in records: [Record], identifier: String?, input: RecordInput, defaultTTL: Int
    ) throws -> (old: Record, new: Record) {
        let old: Record
        if let identifier {
            guard let found = records.first(where: { $0.id == identifier }) else {
                throw LexiconError(
                    .notFound, "no record has the id \(identifier); run `list` to see the ids.")
            }
            guard found.type == input.type else {
                throw LexiconError.invalidInput("the record \(identifier) is \(found.type), not \(input.type).")
            }
            old = found
        } else {
            guard let name = input.name else {
                throw LexiconError.invalidInput("update needs --identifier or --name to find the record.")
            }
            let candidates = records.filter { $0.type == input.type && $0.name == name }
            if candidates.isEmpty {
                throw LexiconError(.notFound, "no \(input.type) record named \(name) to update; use create to add one.")
            }
            if candidates.count > 1 {
                if let content = input.content, let same = candidates.first(where: { $0.content == content }) {
                    old = same
                } else {
                    let ids = candidates.map(\.id).joined(separator: ", ")
                    throw LexiconError(
                        .ambiguous,
                        "\(candidates.count) \(input.type) records are named \(name) (ids \(ids)); "
                            + "choose one with --identifier.")
                }
            } else {
                old = candidates[0]
            }
        }
        let ttl: Int
        switch input.ttl {
        case nil: ttl = old.ttl
        case 0?: ttl = defaultTTL
        case let value?: ttl = value
        }
        let new = Record(
            type: old.type, name: input.name ?? old.name, ttl: ttl, content: input.content ?? old.content,
            priority: input.priority ?? old.priority)
        return (old, new)
    }
}
