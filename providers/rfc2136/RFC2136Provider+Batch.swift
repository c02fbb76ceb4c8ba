import DNSWire
import Lexicon

/// A plan as few UPDATE messages (RFC 2136): each carries a bounded group of sets, every set replaced whole under the
/// prerequisite that it is still as the plan read it (exactly those values, or absent), so a concurrent change makes
/// the server refuse the group instead of being overwritten.
extension RFC2136Provider: ZoneBatchApplying {
    /// The most resource records one UPDATE carries (prerequisites, deletions and additions), and the most RDATA
    /// bytes: far below the 65,535 bytes a message over TCP may hold.
    static let batchRecords = 400
    static let batchBytes = 32_000

    public func applyChanges(_ changes: [ZonePlan.Change]) async throws {
        var groups: [[ZonePlan.Change]] = [[]]
        var records = 0
        var bytes = 0
        for change in changes {
            let count = (change.old?.values.count ?? 1) + 1 + (change.new?.values.count ?? 0)
            let size = ((change.old?.records ?? []) + (change.new?.records ?? [])).reduce(0) {
                $0 + $1.content.utf8.count + $1.name.utf8.count + 16
            }
            if !groups[groups.count - 1].isEmpty
                && (records + count > Self.batchRecords || bytes + size > Self.batchBytes)
            {
                groups.append([])
                records = 0
                bytes = 0
            }
            groups[groups.count - 1].append(change)
            records += count
            bytes += size
        }
        for group in groups where !group.isEmpty {
            var update = DNSUpdate(zone: zoneName)
            for change in group {
                let key = change.key
                let owner = try dnsName(key.name)
                let type = try dnsType(key.type)
                if let old = change.old {
                    update.requireExactSet(owner, type, values: try old.records.map { try rdata(of: $0) })
                } else {
                    update.requireNoSet(owner, type)
                }
            }
            for change in group {
                let owner = try dnsName(change.key.name)
                let type = try dnsType(change.key.type)
                if change.old != nil { update.deleteSet(owner, type) }
                for record in change.new?.records ?? [] {
                    update.add(owner, type, ttl: UInt32(record.ttl), rdata: try rdata(of: record))
                }
            }
            do {
                try await send(update, operation: "apply", useTCP: true)
            } catch let changed as SetChanged {
                throw LexiconError(
                    .conflict,
                    "a record set changed on \(changed.server) since the plan was made (\(changed.rcode)); that "
                        + "group of \(group.count) sets was not written. Run the same apply again.",
                    provider: "rfc2136")
            }
        }
    }
}
