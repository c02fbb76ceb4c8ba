import Lexicon

/// A record as an API with one record per value stores it: the API's own id and the record in the contract's form.
public struct NativeRecord: Sendable {
    /// The API's id for the record.
    public var nativeID: String
    /// The record in the contract's form.
    public var record: Record

    /// Pairs an API's id with the record it names.
    public init(nativeID: String, record: Record) {
        self.nativeID = nativeID
        self.record = record
    }
}

/// The shape of an API that stores one record per value under its own id (Cloudflare, DigitalOcean, Linode, …).
///
/// A provider adopting it implements `authenticate()` and the four calls below; the four record operations of
/// ``Provider`` (idempotent create, update by id or by unique match, delete of every match, TTLs snapped to the
/// descriptor's steps) come from this protocol's extension.
public protocol NativeRecordAPI: Provider {
    /// The zone and options.
    var context: ProviderContext { get }
    /// The zone's records, narrowed on the server by type and name where the API can.
    func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord]
    /// Adds a record.
    func add(_ record: Record) async throws
    /// Replaces a record's type, name, content and TTL.
    func replace(_ nativeID: String, with record: Record) async throws
    /// Removes a record; one that is already gone is not an error.
    func remove(_ nativeID: String) async throws
    /// Runs once after an operation changed records (OVH applies the zone here); nothing by default.
    func afterChanges() async throws
}

extension NativeRecordAPI {
    /// Does nothing.
    public func afterChanges() async throws {}

    /// The zone's records matching a filter.
    public func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        try await fetch(type: filter.type, name: filter.name).map(\.record).filter(filter.matches)
    }

    /// Adds a value unless the same value is there already.
    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("create needs a name and content.")
        }
        let wanted = Record(
            type: input.type, name: name, ttl: Self.descriptor.effectiveTTL(input.ttl ?? context.defaultTTL),
            content: content, priority: input.priority)
        if try await fetch(type: input.type, name: name).contains(where: { $0.record.sameValue(as: wanted) }) {
            return true
        }
        try await add(wanted)
        try await afterChanges()
        return true
    }

    /// Changes the one record an id or a unique type-and-name match names.
    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        var input = input
        input.ttl = input.ttl.map { Self.descriptor.effectiveTTL($0) }
        let all = try await fetch(type: identifier == nil ? input.type : nil, name: nil)
        let change = try RecordMatcher.update(
            in: all.map(\.record), identifier: identifier, input: input, defaultTTL: context.defaultTTL)
        guard let id = all.first(where: { $0.record.id == change.old.id })?.nativeID else {
            throw LexiconError(.notFound, "the record to update is gone.", provider: context.providerName)
        }
        try await replace(id, with: change.new)
        try await afterChanges()
        return true
    }

    /// Removes every record an id or a filter names.
    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        let candidates = try await fetch(type: identifier == nil ? filter.type : nil, name: filter.name)
        let doomed = candidates.filter { entry in
            identifier.map { entry.record.id == $0 } ?? filter.matches(entry.record)
        }
        for entry in doomed { try await remove(entry.nativeID) }
        if !doomed.isEmpty { try await afterChanges() }
        return true
    }
}
