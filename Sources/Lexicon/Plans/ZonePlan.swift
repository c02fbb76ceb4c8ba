/// What it takes to bring a zone to a desired state, by record set: made by ``Client/plan(desired:options:)``,
/// inspected or printed, then run by ``Client/apply(_:)``.
public struct ZonePlan: Sendable, Hashable {
    /// What a change does to its set.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// A set the zone does not have.
        case create
        /// A set whose values or TTL differ.
        case update
        /// A set the desired state does not have (only with ``PlanOptions/prune``).
        case delete
    }

    /// One set's change, with its old and new state.
    public struct Change: Sendable, Hashable {
        /// What the change does.
        public var action: Action
        /// The set as the zone has it; nil for a create.
        public var old: ZoneRecordSet?
        /// The set as it should be; nil for a delete.
        public var new: ZoneRecordSet?

        /// Creates a change.
        public init(action: Action, old: ZoneRecordSet?, new: ZoneRecordSet?) {
            self.action = action
            self.old = old
            self.new = new
        }

        /// The set's name and type.
        public var key: ZoneRecordSet.Key { (new ?? old)!.key }

        /// Values the change adds.
        public var added: [ZoneRecordSet.Value] { (new?.values ?? []).filter { !(old?.values ?? []).contains($0) } }
        /// Values the change removes.
        public var removed: [ZoneRecordSet.Value] { (old?.values ?? []).filter { !(new?.values ?? []).contains($0) } }
    }

    /// The zone.
    public var zone: String
    /// The changes, deletes first (a CNAME can replace other types at a name), then updates and creates, each by
    /// name and type.
    public var changes: [Change]
    /// How many sets the zone had that the plan manages (the SOA, the apex NS and ignored names left out).
    public var managedSetCount: Int
    /// The options the plan was made with.
    public var options: PlanOptions

    /// Creates a plan.
    public init(zone: String, changes: [Change], managedSetCount: Int, options: PlanOptions) {
        self.zone = zone
        self.changes = changes
        self.managedSetCount = managedSetCount
        self.options = options
    }

    /// The difference between a zone and a desired state.
    /// - Parameters:
    ///   - live: What the zone holds.
    ///   - desired: What it should hold (same zone name).
    ///   - options: Pruning, ignored names, the threshold.
    /// - Returns: The plan; empty when the zone already matches.
    public static func difference(live: ZoneSnapshot, desired: ZoneSnapshot, options: PlanOptions) -> ZonePlan {
        let zone = live.zone
        let managedLive = live.sets.filter { !options.leavesAlone($0.key, zone: zone) }
        let managedDesired = desired.sets.filter { !options.leavesAlone($0.key, zone: zone) }
        var liveByKey: [ZoneRecordSet.Key: ZoneRecordSet] = [:]
        for set in managedLive { liveByKey[set.key] = set }
        var deletes: [Change] = []
        var updates: [Change] = []
        var creates: [Change] = []
        var wanted = Set<ZoneRecordSet.Key>()
        for set in managedDesired {
            wanted.insert(set.key)
            if let old = liveByKey[set.key] {
                if old.values != set.values || old.ttl != set.ttl {
                    updates.append(Change(action: .update, old: old, new: set))
                }
            } else {
                creates.append(Change(action: .create, old: nil, new: set))
            }
        }
        if options.prune {
            deletes = managedLive.filter { !wanted.contains($0.key) }.map { Change(action: .delete, old: $0, new: nil) }
        }
        return ZonePlan(
            zone: zone, changes: deletes + updates + creates, managedSetCount: managedLive.count, options: options)
    }

    /// Whether the zone already matches.
    public var isEmpty: Bool { changes.isEmpty }

    /// How many changes have an action.
    public func count(_ action: Action) -> Int { changes.filter { $0.action == action }.count }

    /// The fraction of the zone's managed sets updated or deleted.
    public var changedFraction: Double {
        guard managedSetCount > 0 else { return 0 }
        return Double(count(.update) + count(.delete)) / Double(managedSetCount)
    }

    /// Why the plan needs `force`, or nil: it updates or deletes more than the threshold of the zone's sets.
    public var thresholdExceeded: String? {
        guard managedSetCount >= options.thresholdMinimumSets, changedFraction > options.threshold else { return nil }
        let changed = count(.update) + count(.delete)
        let percent = Int((changedFraction * 100).rounded())
        let limit = Int((options.threshold * 100).rounded())
        return "the plan updates or deletes \(changed) of the zone's \(managedSetCount) record sets (\(percent) %), "
            + "more than the \(limit) % threshold"
    }

    /// The line that sums the plan up: `3 to create, 1 to update, 0 to delete`.
    public var summary: String {
        "\(count(.create)) to create, \(count(.update)) to update, \(count(.delete)) to delete"
    }
}
