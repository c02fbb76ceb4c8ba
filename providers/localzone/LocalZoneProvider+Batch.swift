import Lexicon

/// A whole plan as one edit of the zone file: read, changed, verified and written atomically under the file lock,
/// with one SOA serial raise, so a 1,000-record apply is one write and other readers see the zone before or after
/// it, never part-way. The single edits' checks hold: `$GENERATE`d and included records are not rewritten, a CNAME
/// shares its name with nothing, the apex keeps an NS, a file BIND would refuse is not edited. When any change is
/// refused, nothing is written.
extension LocalZoneProvider: ZoneBatchApplying {
    public nonisolated var appliesAtomically: Bool { true }

    public func applyChanges(_ changes: [ZonePlan.Change]) async throws {
        guard !changes.isEmpty else { return }
        try modify { zoneFile in try edit(applying: changes, to: zoneFile) }
    }

    /// The edit that makes every set of a plan as planned, each checked as a single edit would be.
    /// - Throws: ``LexiconError`` `conflict` when a set is no longer as the plan read it, `unsupported` for the SOA
    ///   and for values a `$GENERATE` made or an included file holds, `invalidInput` for a CNAME conflict or an apex
    ///   left without NS.
    func edit(applying changes: [ZonePlan.Change], to zoneFile: ZoneFile) throws -> ZoneEdit {
        var edit = ZoneEdit()
        for change in changes {
            let key = change.key
            guard key.type != .soa else {
                throw LexiconError(.unsupported, "the SOA record is read-only; lexicon raises its serial itself.")
            }
            let current = zoneFile.records.filter { $0.record.type == key.type && $0.record.name == key.name }
            // Another writer may have changed the file since the plan listed it: its change is not overwritten.
            guard ZoneRecordSet.grouped(current.map(\.record)).first == change.old else {
                throw LexiconError(
                    .conflict,
                    "the \(key.type) set \(key.name) in \(path) changed since the plan was made; plan again. "
                        + "Nothing was changed.")
            }
            let wanted = change.new?.values ?? []
            for fileRecord in current {
                let value = ZoneRecordSet.Value(
                    content: fileRecord.record.content, priority: fileRecord.record.priority)
                if !wanted.contains(value) {
                    edit.removed.insert(try editableIndex(of: fileRecord))
                } else if let new = change.new, fileRecord.record.ttl != new.ttl {
                    var record = fileRecord.record
                    record.ttl = new.ttl
                    edit.replaced[try editableIndex(of: fileRecord)] = record
                }
            }
            let added = Set(change.added)
            for record in change.new?.records ?? []
            where added.contains(.init(content: record.content, priority: record.priority)) {
                edit.inserted.append((zoneFile.insertionPoint(for: record.name), record))
            }
        }
        // CNAME exclusivity holds for the zone as the whole edit leaves it, whatever the order of the changes.
        let kept = zoneFile.records.filter { !edit.removed.contains($0.entryIndex ?? -1) }.map(\.record)
        let final = kept + edit.inserted.map(\.record)
        for record in edit.inserted.map(\.record) {
            try Self.checkConflicts(
                adding: record, to: final.filter { $0.name == record.name && !$0.sameValue(as: record) })
        }
        try checkApexNS(after: edit, in: zoneFile)
        return try zoneFile.aligningSetTTLs(edit)
    }
}
