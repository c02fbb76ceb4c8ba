/// Writes to providers that replace whole sets or zones (``WriteShape/isReadMergeWrite``): each runs under the zone
/// lock, is read back, and is merged and written again from a fresh read when another writer undid it, so that a
/// change reported done is there and nothing else was touched.
extension Client {
    /// What a read-back found.
    enum ReadBack {
        case holds
        /// What is missing or back, for the log and the final error.
        case missing(String)
    }

    /// Runs a write under the zone lock until its read-back holds.
    /// - Parameters:
    ///   - operation: `create`, `update` or `delete`, for messages.
    ///   - writeGuard: The lock and the bound on writes.
    ///   - write: One read-merge-write by the provider; its argument is the attempt, from 1.
    ///   - check: The read-back.
    func guarded(
        _ operation: String, _ writeGuard: WriteGuard, write: (Int) async throws -> Void,
        check: () async throws -> ReadBack
    ) async throws {
        let lock = try await ZoneLock.acquire(
            path: writeGuard.lockPath, timeout: writeGuard.lockTimeout, what: writeGuard.what)
        defer { lock.release() }
        try await authenticate()
        var problem = ""
        for attempt in 1...writeGuard.maximumWrites {
            if attempt > 1 { await writeGuard.pause(before: attempt) }
            do {
                try await run { try await write(attempt) }
            } catch let error as LexiconError where error.code == .conflict {
                problem = error.message
                logger.info("\(descriptor.name): \(operation): \(error.message); reading again")
                continue
            }
            switch try await run({ try await check() }) {
            case .holds:
                return
            case .missing(let what):
                problem = what
                logger.info(
                    "\(descriptor.name): \(operation): \(what) after writing (another writer replaced the set); "
                        + "merging again from a fresh read (write \(attempt + 1) of \(writeGuard.maximumWrites))")
            }
        }
        throw LexiconError(
            .provider,
            "\(operation) did not hold after \(writeGuard.maximumWrites) writes: \(problem). Another writer (on "
                + "another machine, or not using lexicon) keeps replacing the set; run the command again.",
            provider: descriptor.name)
    }

    /// `create` with the zone lock and a read-back of the value.
    func guardedCreate(_ input: RecordInput, _ writeGuard: WriteGuard) async throws -> Bool {
        let wanted = Record(
            type: input.type, name: input.name!, ttl: 0, content: input.content!, priority: input.priority)
        try await guarded("create", writeGuard) { _ in
            _ = try await provider.createRecord(input)
        } check: {
            let set = try await provider.listRecords(RecordFilter(type: input.type, name: wanted.name))
            if set.contains(where: { $0.sameValue(as: wanted) }) { return .holds }
            return .missing("the value \(Self.quote(wanted)) is missing (\(Self.describe(set, of: wanted)))")
        }
        return true
    }

    /// `update` with the zone lock: the change is worked out once from a read, written by the old value's id, and
    /// read back (the new value there, the old one gone).
    func guardedUpdate(identifier: String?, _ input: RecordInput, _ writeGuard: WriteGuard) async throws -> Bool {
        var change: (old: Record, new: Record)?
        try await guarded("update", writeGuard) { attempt in
            if change == nil {
                let all = try await provider.listRecords(RecordFilter(type: identifier == nil ? input.type : nil))
                change = try RecordMatcher.update(
                    in: all, identifier: identifier, input: input, defaultTTL: defaultTTL)
            }
            let (old, new) = change!
            var target = input
            target.name = new.name
            do {
                _ = try await provider.updateRecord(identifier: old.id, target)
            } catch let error as LexiconError where error.code == .notFound && attempt > 1 {
                throw LexiconError(
                    .provider,
                    "update did not hold: another writer removed \(Self.quote(old)) while the new value "
                        + "\(Self.quote(new)) was being written, and the new value is gone too; run the command again.")
            }
        } check: {
            let (old, new) = change!
            let target = try await provider.listRecords(RecordFilter(type: new.type, name: new.name))
            guard target.contains(where: { $0.sameValue(as: new) }) else {
                return .missing("the new value \(Self.quote(new)) is missing (\(Self.describe(target, of: new)))")
            }
            if old.sameValue(as: new) { return .holds }
            let source =
                old.name == new.name && old.type == new.type
                ? target : try await provider.listRecords(RecordFilter(type: old.type, name: old.name))
            if source.contains(where: { $0.sameValue(as: old) }) {
                return .missing("the old value \(Self.quote(old)) is back")
            }
            return .holds
        }
        return true
    }

    /// `delete` with the zone lock and a read-back that nothing matching is left.
    func guardedDelete(identifier: String?, _ filter: RecordFilter, _ writeGuard: WriteGuard) async throws -> Bool {
        try await guarded("delete", writeGuard) { _ in
            _ = try await provider.deleteRecord(identifier: identifier, filter)
        } check: {
            let left: [Record]
            if let identifier {
                left = try await provider.listRecords(RecordFilter()).filter { $0.id == identifier }
            } else {
                left = try await provider.listRecords(filter)
            }
            if left.isEmpty { return .holds }
            return .missing("\(left.prefix(5).map(Self.quote).joined(separator: ", ")) still there")
        }
        return true
    }

    /// A record in messages: `TXT "v1" at _acme-challenge.example.com`.
    static func quote(_ record: Record) -> String {
        let value = record.priority.map { "\($0) \(record.content)" } ?? record.content
        let clipped = value.count > 60 ? String(value.prefix(60)) + "…" : value
        return "\(record.type) \"\(clipped)\" at \(record.name)"
    }

    /// What a set holds, for messages: `the set holds 3 other values` or `the set is empty`.
    static func describe(_ set: [Record], of record: Record) -> String {
        set.isEmpty ? "the \(record.type) set is empty" : "the \(record.type) set holds \(set.count) other values"
    }
}
