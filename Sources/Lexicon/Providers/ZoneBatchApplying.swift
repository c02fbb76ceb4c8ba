/// A provider whose API applies many record-set changes in one request (PowerDNS's rrset PATCH, Route 53's change
/// batch, one RFC 2136 UPDATE, one write of a zone file): ``Client/apply(_:)`` hands it the whole plan instead of
/// running the five operations set by set.
public protocol ZoneBatchApplying: Provider {
    /// Writes the changes, each set replaced whole (a delete removes the set), in as few requests as the API allows.
    /// ``Client`` holds the zone lock, has authenticated, and reads the zone back afterwards.
    /// - Parameter changes: The plan's changes.
    /// - Throws: ``LexiconError`` when the API refuses the batch.
    func applyChanges(_ changes: [ZonePlan.Change]) async throws
}
