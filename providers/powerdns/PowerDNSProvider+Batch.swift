import Lexicon

/// A whole plan in one PATCH: every changed rrset replaced (or deleted) at once, so PowerDNS applies it in one
/// transaction and a 1,000-record apply is one request.
extension PowerDNSProvider: ZoneBatchApplying {
    public nonisolated var appliesAtomically: Bool { true }

    public func applyChanges(_ changes: [ZonePlan.Change]) async throws {
        guard !changes.isEmpty else { return }
        try await patch(
            changes.map { change in
                let set = change.new ?? change.old!
                return replace(
                    name: set.name, type: set.type, ttl: set.ttl, contents: change.new?.presentedValues ?? [])
            })
    }
}
