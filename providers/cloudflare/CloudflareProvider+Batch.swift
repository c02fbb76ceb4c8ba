import Lexicon
import LexiconHTTP

/// A plan through Cloudflare's batch endpoint, `POST /zones/{id}/dns_records/batch`, which runs its deletes,
/// patches, puts and posts (in that order) in one database transaction: the values a change removes deleted by id,
/// values kept whose TTL changes patched with the TTL alone (their proxy status, comment and tags stay), new values
/// posted. At most 200 records go in a request (the
/// Free plan's limit; Pro and above take 3,500), so a larger plan is several requests, deletes first. The ids come
/// from a fresh listing, which must show every set as the plan read it: a set changed since is refused before
/// anything is written, rather than overwritten.
extension CloudflareProvider: ZoneBatchApplying {
    /// The records one batch request takes on every plan.
    static let batchLimit = 200

    public func applyChanges(_ changes: [ZonePlan.Change]) async throws {
        guard !changes.isEmpty else { return }
        var live: [ZoneRecordSet.Key: [NativeRecord]] = [:]
        for entry in try await fetch(type: nil, name: nil) {
            live[ZoneRecordSet.Key(name: entry.record.name, type: entry.record.type), default: []].append(entry)
        }
        var deletes: [JSONValue] = []
        var patches: [JSONValue] = []
        var posts: [JSONValue] = []
        for change in changes {
            let current = live[change.key] ?? []
            let now = ZoneRecordSet.grouped(current.map(\.record)).first
            guard now?.values == change.old?.values else {
                throw LexiconError(
                    .provider,
                    "\(change.key) changed since the plan was made; nothing was written. Plan again and apply.",
                    provider: "cloudflare")
            }
            for entry in current {
                let value = ZoneRecordSet.Value(content: entry.record.content, priority: entry.record.priority)
                guard let new = change.new, new.values.contains(value) else {
                    deletes.append(.object([("id", .string(entry.nativeID))]))
                    continue
                }
                guard entry.record.ttl != new.ttl else { continue }
                patches.append(.object([("id", .string(entry.nativeID)), ("ttl", .int(new.ttl))]))
            }
            let added = Set(change.added)
            for record in change.new?.records ?? []
            where added.contains(ZoneRecordSet.Value(content: record.content, priority: record.priority)) {
                posts.append(Self.fields(of: record))
            }
        }
        let operations =
            deletes.map { ("deletes", $0) } + patches.map { ("patches", $0) } + posts.map { ("posts", $0) }
        let zone = try await zone()
        var start = 0
        while start < operations.count {
            let part = operations[start..<min(start + Self.batchLimit, operations.count)]
            let body = JSONValue.object(
                ["deletes", "patches", "posts"].compactMap { kind in
                    let items = part.filter { $0.0 == kind }.map(\.1)
                    return items.isEmpty ? nil : (kind, .array(items))
                })
            try await call(
                "POST", "/zones/\(zone)/dns_records/batch", body: body.encoded(),
                operation: "apply a batch of \(part.count) record changes")
            start += Self.batchLimit
        }
    }

}
