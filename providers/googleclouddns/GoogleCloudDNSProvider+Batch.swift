import Lexicon

/// A plan as Cloud DNS changes, which are atomic: one change of the whole plan while it fits Cloud DNS's limits on
/// one change (1,000 additions, 1,000 deletions, 100,000 bytes of rrdata), several otherwise. Each changed or deleted
/// set is in `deletions` exactly as read, the new sets in `additions`, so a set another writer changed since the plan
/// fails the change (412 `conditionNotMet`, a conflict) and nothing of it is written.
extension GoogleCloudDNSProvider: ZoneBatchApplying {
    /// Cloud DNS's limits on one change: additions, deletions, and bytes of rrdata.
    static let changeAdditions = 1000
    static let changeDeletions = 1000
    static let changeBytes = 100_000

    public func applyChanges(_ changes: [ZonePlan.Change]) async throws {
        let read = try await setsAsPlanned(changes)
        var groups: [(additions: [JSONValue], deletions: [JSONValue], bytes: Int)] = [([], [], 0)]
        for (change, current) in zip(changes, read) {
            let deletion = current.map { Self.rrset($0) }
            let addition = change.new.map { new in
                Self.rrset(
                    name: new.name, type: new.type, ttl: new.ttl, values: new.presentedValues)
            }
            let bytes = [deletion, addition].compactMap { $0 }.reduce(0) { total, set in
                total + (set["rrdatas"]?.array ?? []).reduce(0) { $0 + ($1.string?.utf8.count ?? 0) }
            }
            let last = groups[groups.count - 1]
            if !(last.additions.isEmpty && last.deletions.isEmpty)
                && (last.additions.count + (addition == nil ? 0 : 1) > Self.changeAdditions
                    || last.deletions.count + (deletion == nil ? 0 : 1) > Self.changeDeletions
                    || last.bytes + bytes > Self.changeBytes)
            {
                groups.append(([], [], 0))
            }
            if let addition { groups[groups.count - 1].additions.append(addition) }
            if let deletion { groups[groups.count - 1].deletions.append(deletion) }
            groups[groups.count - 1].bytes += bytes
        }
        for group in groups where !(group.additions.isEmpty && group.deletions.isEmpty) {
            try await change(
                additions: group.additions, deletions: group.deletions,
                operation: "apply a change of \(group.additions.count) additions and \(group.deletions.count) deletions"
            )
        }
    }
}
