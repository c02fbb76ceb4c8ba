import Lexicon

/// A plan as Route 53 change batches of up to 1,000 changes: each set replaced by a DELETE of the set exactly as read
/// and a CREATE, so a set another writer changed since the plan makes Route 53 refuse its batch (all or nothing)
/// instead of being overwritten.
extension Route53Provider: ZoneBatchApplying {
    /// Route 53's limits on one batch: changes, and characters of values.
    static let batchChanges = 1000
    static let batchCharacters = 32_000

    public func applyChanges(_ changes: [ZonePlan.Change]) async throws {
        let read = try await setsAsPlanned(changes)
        var batches: [[Change]] = [[]]
        var count = 0
        var characters = 0
        for (change, current) in zip(changes, read) {
            var items: [Change] = []
            if let current { items.append(Change(action: "DELETE", set: current)) }
            if let new = change.new {
                items.append(
                    Change(
                        action: "CREATE", name: new.name, type: new.type, ttl: new.ttl,
                        values: new.presentedValues))
            }
            let size = items.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } }
            if !batches[batches.count - 1].isEmpty
                && (count + items.count > Self.batchChanges || characters + size > Self.batchCharacters)
            {
                batches.append([])
                count = 0
                characters = 0
            }
            batches[batches.count - 1] += items
            count += items.count
            characters += size
        }
        for batch in batches where !batch.isEmpty {
            try await change(batch, operation: "apply a change batch of \(batch.count) changes")
        }
    }
}
