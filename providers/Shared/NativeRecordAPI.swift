import Lexicon

/// A record as an API with one record per value stores it: the API's own id and the record in the contract's form.
struct NativeRecord: Sendable {
    /// The API's id for the record.
    var nativeID: String
    /// The record in the contract's form.
    var record: Record
}

/// An API that stores one record per value under its own id (Cloudflare, DigitalOcean, Linode, …). A provider
/// implements the four calls; the five operations' logic (idempotent create, update by id or by unique match,
/// delete of every match) lives here once.
protocol NativeRecordAPI: Actor {
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
    func afterChanges() async throws {}

    /// The zone's records matching a filter.
    func listMatching(_ filter: RecordFilter) async throws -> [Record] {
        try await fetch(type: filter.type, name: filter.name).map(\.record).filter(filter.matches)
    }

    /// Adds a value unless the same value is there already.
    func createUnlessPresent(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("create needs a name and content.")
        }
        let wanted = Record(
            type: input.type, name: name, ttl: input.ttl ?? context.defaultTTL, content: content,
            priority: input.priority)
        if try await fetch(type: input.type, name: name).contains(where: { $0.record.sameValue(as: wanted) }) {
            return true
        }
        try await add(wanted)
        try await afterChanges()
        return true
    }

    /// Changes the one record an id or a unique type-and-name match names.
    func updateMatching(identifier: String?, _ input: RecordInput) async throws -> Bool {
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
    func deleteMatching(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        let candidates = try await fetch(type: identifier == nil ? filter.type : nil, name: filter.name)
        let doomed = candidates.filter { entry in
            identifier.map { entry.record.id == $0 } ?? filter.matches(entry.record)
        }
        for entry in doomed { try await remove(entry.nativeID) }
        if !doomed.isEmpty { try await afterChanges() }
        return true
    }
}

extension ProviderContext {
    /// The `api_endpoint` option, or the provider's default, without a trailing slash.
    func endpoint(default value: String) -> String {
        var base = option("api_endpoint") ?? value
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
