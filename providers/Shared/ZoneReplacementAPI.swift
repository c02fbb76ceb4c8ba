import Lexicon

/// The shape of an API that replaces the whole zone at once (Namecheap's `setHosts`, netcup's
/// `updateDnsRecords`).
///
/// A provider adopting it implements the four calls below; `authenticate()` (a read of the zone) and the four
/// record operations of ``Provider`` come from this protocol's extension: each reads every entry, changes only the
/// value named, and writes every other entry back exactly as read, including entries outside the contract.
public protocol ZoneReplacementAPI: Provider {
    /// One entry as the API lists it, kept whole so that it goes back unchanged.
    associatedtype Entry: Sendable
    /// What a read returns beside the entries that the write must send back (Namecheap's mail setting).
    associatedtype ZoneState: Sendable

    /// The zone and options.
    var context: ProviderContext { get }
    /// Every entry of the zone; an answer that is not complete is an error, so it is never written back.
    func readZone() async throws -> (entries: [Entry], state: ZoneState)
    /// The entry in the contract's form; nil for an entry the contract does not cover (kept, never shown).
    func record(of entry: Entry) -> Record?
    /// The entry that stores a record.
    func entry(for record: Record) -> Entry
    /// Replaces the zone with exactly these entries.
    func writeZone(_ entries: [Entry], state: ZoneState) async throws
}

extension ZoneReplacementAPI {
    /// Reads the zone, which checks the credentials and that the account has the zone.
    public func authenticate() async throws {
        _ = try await readZone()
    }

    /// The zone's records matching a filter.
    public func listRecords(_ filter: RecordFilter) async throws -> [Record] {
        try await readZone().entries.compactMap(record(of:)).filter(filter.matches)
    }

    /// Adds a value unless the same value is there already.
    public func createRecord(_ input: RecordInput) async throws -> Bool {
        guard let name = input.name, let content = input.content else {
            throw LexiconError.invalidInput("create needs a name and content.")
        }
        let read = try await readZone()
        let wanted = Record(
            type: input.type, name: name, ttl: input.ttl ?? context.defaultTTL, content: content,
            priority: input.priority)
        if read.entries.compactMap(record(of:)).contains(where: { $0.sameValue(as: wanted) }) { return true }
        try await writeZone(read.entries + [entry(for: wanted)], state: read.state)
        return true
    }

    /// Changes the one record an id or a unique type-and-name match names.
    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        let read = try await readZone()
        let change = try RecordMatcher.update(
            in: read.entries.compactMap(record(of:)), identifier: identifier, input: input,
            defaultTTL: context.defaultTTL)
        var entries = read.entries
        guard let index = entries.firstIndex(where: { record(of: $0)?.id == change.old.id }) else {
            throw LexiconError(.notFound, "the record to update is gone.", provider: context.providerName)
        }
        entries[index] = entry(for: change.new)
        try await writeZone(entries, state: read.state)
        return true
    }

    /// Removes every record an id or a filter names; writes nothing when nothing matches.
    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        let read = try await readZone()
        let kept = read.entries.filter { entry in
            guard let record = record(of: entry) else { return true }
            return !(identifier.map { record.id == $0 } ?? filter.matches(record))
        }
        if kept.count != read.entries.count { try await writeZone(kept, state: read.state) }
        return true
    }
}
