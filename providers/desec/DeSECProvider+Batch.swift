import Lexicon

/// A whole plan in one bulk `PATCH /domains/{name}/rrsets/`: deSEC checks every set first and writes all of them or
/// none (a refusal lists an error per set, in order), so a plan costs one of deSEC's rate-limited writes instead of
/// one per set. Each set is written whole, an empty list of records deleting it, as the single writes' bulk `PUT`
/// does: deSEC has no conditional write, and Lexicon's writers are serialised by the zone lock.
extension DeSECProvider: ZoneBatchApplying {
    public func applyChanges(_ changes: [ZonePlan.Change]) async throws {
        guard !changes.isEmpty else { return }
        try await call(
            "PATCH", "/domains/\(context.zone)/rrsets/",
            body: .array(
                changes.map { change in
                    let set = change.new ?? change.old!
                    return rrset(name: set.name, type: set.type, ttl: set.ttl, values: change.new?.records ?? [])
                }),
            operation: "apply \(changes.count) record set changes")
    }
}
