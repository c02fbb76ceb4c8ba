/// A provider whose API applies many record-set changes in one request (PowerDNS's rrset PATCH, Route 53's change
/// batch, one RFC 2136 UPDATE, one write of a zone file): ``Client/apply(_:)`` hands it the whole plan instead of
/// running the five operations set by set.
public protocol ZoneBatchApplying: Provider {
    /// Writes the changes, each set replaced whole (a delete removes the set), in as few requests as the API allows.
    /// ``Client`` holds the zone lock, has authenticated, and reads the zone back afterwards unless
    /// ``appliesAtomically`` and the batch succeeded.
    /// - Parameter changes: The plan's changes.
    /// - Throws: ``LexiconError`` when the API refuses the batch.
    func applyChanges(_ changes: [ZonePlan.Change]) async throws

    /// Whether ``applyChanges(_:)`` writes every change in one transaction, all or nothing (PowerDNS's one PATCH,
    /// one write of a zone file): then a batch that returned is applied as planned and is not read back. A batch of
    /// several requests (Route 53's groups of 1,000, RFC 2136 messages) is read back to tell applied from not
    /// applied. The default is false.
    nonisolated var appliesAtomically: Bool { get }
}

extension ZoneBatchApplying {
    public nonisolated var appliesAtomically: Bool { false }
}
