import Lexicon

extension RecordSetAPI {
    /// The sets a plan changes, read again before a batch is written: each change's set as the zone holds it now
    /// (nil for a set that does not exist), in the changes' order.
    /// - Parameter changes: The plan's changes.
    /// - Returns: The current set of each change, with its values as the API gave them (for deletions that must
    ///   name the set exactly).
    /// - Throws: ``LexiconError`` `conflict` when a set is no longer as the plan saw it (another writer changed it
    ///   since), before anything is written.
    func setsAsPlanned(_ changes: [ZonePlan.Change]) async throws -> [RecordSet?] {
        var read: [ZoneRecordSet.Key: RecordSet] = [:]
        for set in try await fetchSets() { read[ZoneRecordSet.Key(name: set.name, type: set.type)] = set }
        return try changes.map { change in
            let current = read[change.key]
            let asPlanned = current.map { set in
                ZoneRecordSet(
                    name: set.name, type: set.type, ttl: set.ttl,
                    values: set.records.map { ZoneRecordSet.Value(content: $0.content, priority: $0.priority) })
            }
            guard asPlanned == change.old else {
                throw LexiconError(
                    .conflict,
                    "the \(change.key.type) set of \(change.key.name) changed since the plan was made; nothing was "
                        + "written. Run the same apply again.", provider: Self.descriptor.name)
            }
            return current
        }
    }
}
