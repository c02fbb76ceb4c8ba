import Lexicon

/// A record set as APIs that store sets (Gandi LiveDNS, Route 53, …) hand it out: name, type, one TTL, values in
/// the contract's form.
public struct RecordSet: Sendable {
    /// The owner name, absolute, without the final dot.
    public var name: String
    /// The type.
    public var type: RecordType
    /// The set's one TTL.
    public var ttl: Int
    /// The values, each in the contract's form.
    public var records: [Record]
    /// The values exactly as the API gave them, for APIs whose conditional writes name the set as read (Route 53).
    public var rawValues: [String]

    /// Describes a set as read.
    public init(name: String, type: RecordType, ttl: Int, records: [Record], rawValues: [String] = []) {
        self.name = name
        self.type = type
        self.ttl = ttl
        self.records = records
        self.rawValues = rawValues
    }
}

extension RecordSet {
    /// A set whose values an API gives in presentation format (TXT quoted, names with their final dot, MX with its
    /// priority first).
    init(name: String, type: RecordType, ttl: Int, presentation values: [String]) {
        let records = values.map { value in
            let parsed = RecordPresentation.content(of: value, type: type)
            return Record(type: type, name: name, ttl: ttl, content: parsed.content, priority: parsed.priority)
        }
        self.init(name: name, type: type, ttl: ttl, records: records)
    }
}

/// The shape of an API that stores whole record sets and replaces them one at a time (Gandi, GoDaddy, Route 53, …).
///
/// A provider adopting it implements `authenticate()` and the three calls below; the four record operations of
/// ``Provider`` (read, merge one value, write the set back, so adding or removing one value never loses the others)
/// come from this protocol's extension.
public protocol RecordSetAPI: Provider {
    /// The zone and options.
    var context: ProviderContext { get }
    /// Every set of the zone.
    func fetchSets() async throws -> [RecordSet]
    /// Writes a set with exactly these values; `current` is the set as just read (nil when it is new), so an API
    /// that creates and replaces differently, or needs the old values, need not read the zone again.
    func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws
    /// Removes a whole set, as just read; one that is already gone is not an error.
    func deleteSet(_ set: RecordSet) async throws
}

extension RecordSetAPI {
    /// Every value of every set matching a filter, ungrouped.
    public func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        try await fetchSets().flatMap(\.records).filter(filter.matches)
    }

    /// Adds a value to its set (or sets a new TTL on the set), unless it is there already.
    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("create needs a name and content.")
        }
        let set = try await fetchSets().first { $0.name == name && $0.type == input.type }
        let ttlGiven = (input.ttl ?? 0) != 0
        let ttl = ttlGiven ? input.ttl! : (set?.ttl ?? context.defaultTTL)
        let record = Record(type: input.type, name: name, ttl: ttl, content: content, priority: input.priority)
        let existing = set?.records ?? []
        if existing.contains(where: { $0.sameValue(as: record) }) && (!ttlGiven || set?.ttl == ttl) { return true }
        try await putSet(
            name: name, type: input.type, ttl: ttl, values: existing.filter { !$0.sameValue(as: record) } + [record],
            current: set)
        return true
    }

    /// Changes the one value an id or a unique type-and-name match names; a rename moves it to another set.
    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        let sets = try await fetchSets()
        let change = try RecordMatcher.update(
            in: sets.flatMap(\.records), identifier: identifier, input: input, defaultTTL: context.defaultTTL)
        guard context.names.contains(change.new.name) else {
            throw LexiconError.invalidInput("the name \(change.new.name) is outside the zone \(context.zone).")
        }
        func set(_ name: String, _ type: RecordType) -> RecordSet? {
            sets.first { $0.name == name && $0.type == type }
        }
        let oldSet = set(change.old.name, change.old.type)
        let old = (oldSet?.records ?? []).filter { !$0.sameValue(as: change.old) }
        if change.new.name == change.old.name && change.new.type == change.old.type {
            try await putSet(
                name: change.new.name, type: change.new.type, ttl: change.new.ttl,
                values: old.filter { !$0.sameValue(as: change.new) } + [change.new], current: oldSet)
            return true
        }
        let targetSet = set(change.new.name, change.new.type)
        let target = (targetSet?.records ?? []).filter { !$0.sameValue(as: change.new) }
        try await putSet(
            name: change.new.name, type: change.new.type, ttl: change.new.ttl, values: target + [change.new],
            current: targetSet)
        if let oldSet, old.isEmpty {
            try await deleteSet(oldSet)
        } else if let oldSet {
            try await putSet(
                name: change.old.name, type: change.old.type, ttl: change.old.ttl, values: old, current: oldSet)
        }
        return true
    }

    /// Removes the values an id or a filter names, deleting a set that loses all of them.
    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        for set in try await fetchSets() {
            let doomed = set.records.filter { record in identifier.map { record.id == $0 } ?? filter.matches(record) }
            guard !doomed.isEmpty else { continue }
            if doomed.contains(where: { $0.type == .soa }) {
                throw LexiconError(.unsupported, "the SOA record cannot be deleted.", provider: context.providerName)
            }
            let remaining = set.records.filter { value in !doomed.contains { $0.sameValue(as: value) } }
            if remaining.isEmpty {
                try await deleteSet(set)
            } else {
                try await putSet(name: set.name, type: set.type, ttl: set.ttl, values: remaining, current: set)
            }
        }
        return true
    }
}
