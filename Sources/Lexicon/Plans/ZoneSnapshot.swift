/// A zone's records as record sets: what a provider holds (`export`) or what a zone should hold (`apply`).
public struct ZoneSnapshot: Sendable, Hashable {
    /// The zone name, lower-case ASCII without the trailing dot.
    public var zone: String
    /// The record sets, sorted by name and type.
    public var sets: [ZoneRecordSet]

    /// Creates a snapshot from records of the contract.
    /// - Parameters:
    ///   - zone: The zone name.
    ///   - records: The zone's records, ungrouped.
    public init(zone: String, records: [Record]) {
        self.zone = zone
        self.sets = ZoneRecordSet.grouped(records)
    }

    /// Creates a snapshot from sets (a set repeated by key keeps its last occurrence).
    /// - Parameters:
    ///   - zone: The zone name.
    ///   - sets: The record sets.
    public init(zone: String, sets: [ZoneRecordSet]) {
        self.zone = zone
        // Sets already sorted with no key twice (grouped records, a normalised snapshot) are taken as they are.
        if zip(sets, sets.dropFirst()).allSatisfy({ $0.key < $1.key }) {
            self.sets = sets
            return
        }
        var byKey: [ZoneRecordSet.Key: ZoneRecordSet] = [:]
        for set in sets { byKey[set.key] = set }
        self.sets = byKey.values.sorted { $0.key < $1.key }
    }

    /// The records, ungrouped, in set order.
    public var records: [Record] { sets.flatMap(\.records) }

    /// The set of a name and type, if the snapshot has one (a linear search: index `sets` by key for many lookups).
    public subscript(key: ZoneRecordSet.Key) -> ZoneRecordSet? { sets.first { $0.key == key } }

    /// The same snapshot for another zone name: owner names under the old zone move under the new one (a zone
    /// moved to a new name); names outside both are kept as they are, for the plan to refuse.
    /// - Parameter newZone: The new zone name.
    /// - Returns: The snapshot with its names rebased.
    public func rebased(to newZone: String) -> ZoneSnapshot {
        guard newZone != zone else { return self }
        let moved = sets.map { set -> ZoneRecordSet in
            var set = set
            if set.name == zone {
                set.key.name = newZone
            } else if set.name.hasSuffix("." + zone) {
                set.key.name = String(set.name.dropLast(zone.count)) + newZone
            }
            return set
        }
        return ZoneSnapshot(zone: newZone, sets: moved)
    }
}
