/// Zones as a whole: a snapshot of the zone, the plan that brings it to a desired state, and its application.
extension Client {
    /// The zone's records as record sets.
    /// - Returns: Every record the provider lists, grouped by name and type.
    public func snapshot() async throws -> ZoneSnapshot {
        ZoneSnapshot(zone: zone, records: try await listRecords())
    }

    /// The changes that bring the zone to a desired state, computed from a fresh listing; nothing is written.
    /// - Parameters:
    ///   - desired: What the zone should hold; a snapshot of another zone name is moved to this one.
    ///   - options: Pruning, the apex NS, ignored names, the threshold.
    /// - Returns: The plan, to inspect, print or give to ``apply(_:)``.
    /// - Throws: ``LexiconError`` `invalidInput` for a desired name outside the zone or bad content, `unsupported`
    ///   for a type the provider cannot write, or what listing throws.
    public func plan(desired: ZoneSnapshot, options: PlanOptions = PlanOptions()) async throws -> ZonePlan {
        // The listing is on its way while the desired state is checked.
        async let live = snapshot()
        let desired = try normalized(desired.rebased(to: zone), options: options)
        return ZonePlan.difference(live: try await live, desired: desired, options: options)
    }

    /// The changes from a listing already read to a desired state; nothing is read or written. A command reads the
    /// live zone with ``snapshot()`` while it parses the desired one, then plans with both.
    /// - Parameters:
    ///   - desired: What the zone should hold; a snapshot of another zone name is moved to this one.
    ///   - live: This zone as ``snapshot()`` read it.
    ///   - options: Pruning, the apex NS, ignored names, the threshold.
    /// - Returns: The plan, to inspect, print or give to ``apply(_:)``.
    /// - Throws: ``LexiconError`` `invalidInput` for a desired name outside the zone or bad content, `unsupported`
    ///   for a type the provider cannot write, `usage` for a live snapshot of another zone.
    public func plan(desired: ZoneSnapshot, live: ZoneSnapshot, options: PlanOptions = PlanOptions()) throws
        -> ZonePlan
    {
        guard live.zone == zone else {
            throw LexiconError(.usage, "the live snapshot is of the zone \(live.zone), not \(zone).")
        }
        let desired = try normalized(desired.rebased(to: zone), options: options)
        return ZonePlan.difference(live: live, desired: desired, options: options)
    }

    /// Runs a plan: the provider's native batch when it has one, otherwise the five operations set by set,
    /// concurrently up to a per-provider bound for providers that write single values.
    /// - Parameter plan: A plan of this zone, from ``plan(desired:options:)``.
    /// - Returns: What was applied and what was not.
    /// - Throws: ``LexiconError`` `usage` when the plan exceeds its threshold without ``PlanOptions/force``, or is of
    ///   another zone; a failed change is reported in the result, not thrown.
    public func apply(_ plan: ZonePlan) async throws -> ApplyResult {
        guard plan.zone == zone else {
            throw LexiconError(.usage, "the plan is for the zone \(plan.zone), not \(zone).")
        }
        if let exceeded = plan.thresholdExceeded, !plan.options.force {
            throw LexiconError(
                .usage, "refused: \(exceeded). Nothing was changed.",
                hint: "Check the plan with --plan; add --force to apply it anyway.")
        }
        if plan.isEmpty { return ApplyResult(outcomes: []) }
        if let batching = provider as? any ZoneBatchApplying {
            return try await applyBatch(plan, batching)
        }
        return await applyEach(plan)
    }

    /// How many sets are changed at once through the five operations: the descriptor's
    /// ``ProviderDescriptor/applyConcurrency`` for providers whose API adds and removes single values (rate limits
    /// are honoured by the transport's 429 and Retry-After handling), one for providers that replace whole sets or
    /// zones (their writes are serialised by the zone lock anyway).
    var applyConcurrency: Int { descriptor.writeShape == .perValue ? descriptor.applyConcurrency : 1 }

    /// Checks and normalises a desired state: names inside the zone, content as the contract has it, types the
    /// provider writes, TTLs as the provider stores them.
    func normalized(_ desired: ZoneSnapshot, options: PlanOptions) throws -> ZoneSnapshot {
        var sets: [ZoneRecordSet] = []
        for set in desired.sets {
            let name = try names.absolute(RecordPresentation.fqdn(set.name))
            if options.leavesAlone(ZoneRecordSet.Key(name: name, type: set.type), zone: zone) { continue }
            try descriptor.require(.create, operation: "apply", type: set.type)
            let values = try set.values.map { value in
                let normalized = try RecordContent.normalize(
                    type: set.type, content: value.content, priority: value.priority)
                return ZoneRecordSet.Value(content: normalized.content, priority: normalized.priority)
            }
            // The TTL the provider will store (deSEC's minimum, a fixed TTL, the next step), so a second plan after
            // the apply is empty.
            sets.append(
                ZoneRecordSet(name: name, type: set.type, ttl: descriptor.effectiveTTL(set.ttl), values: values))
        }
        return ZoneSnapshot(zone: zone, sets: sets)
    }

    /// A native batch under the zone lock, then (unless it was one transaction that succeeded) a read-back: each
    /// change holds when the set is as planned (values and TTL).
    private func applyBatch(_ plan: ZonePlan, _ batching: any ZoneBatchApplying) async throws -> ApplyResult {
        var lock: ZoneLock?
        if let writeGuard {
            lock = try await ZoneLock.acquire(
                path: writeGuard.lockPath, timeout: writeGuard.lockTimeout, what: writeGuard.what)
        }
        defer { lock?.release() }
        try await authenticate()
        var failure: LexiconError?
        do {
            try await run { try await batching.applyChanges(plan.changes) }
        } catch let error as LexiconError {
            failure = error
        }
        // One transaction that returned: applied as planned, nothing to read back.
        if failure == nil, batching.appliesAtomically {
            return ApplyResult(outcomes: plan.changes.map { .init(change: $0, status: .applied) })
        }
        // Read back: after a failure part-way (one group of several written), this tells applied from not applied.
        guard let readBack = try? await snapshot() else {
            let error = failure ?? LexiconError(.provider, "the zone could not be read back after the batch.")
            return ApplyResult(outcomes: plan.changes.map { .init(change: $0, status: .failed(error)) })
        }
        // By key once: looking each change up in the snapshot's list was quadratic (0.5 M string comparisons for a
        // plan of 1,000 sets).
        var live: [ZoneRecordSet.Key: ZoneRecordSet] = [:]
        for set in readBack.sets { live[set.key] = set }
        return ApplyResult(
            outcomes: plan.changes.map { change in
                let holds =
                    live[change.key].map { set in
                        change.new.map { $0.values == set.values && $0.ttl == set.ttl } ?? false
                    }
                    ?? (change.new == nil)
                let status: ApplyResult.Status =
                    holds
                    ? .applied
                    : .failed(
                        failure
                            ?? LexiconError(
                                .provider, "\(change.key) is not as planned after the batch was written.",
                                provider: descriptor.name))
                return .init(change: change, status: status)
            })
    }

    /// The five operations set by set, a bounded number of sets at a time; after a failure no new set is started.
    private func applyEach(_ plan: ZonePlan) async -> ApplyResult {
        var statuses = [ApplyResult.Status](repeating: .notApplied, count: plan.changes.count)
        // Deletes go first and finish before the rest starts: a CNAME may replace other types at its name.
        let deletes = plan.changes.indices.filter { plan.changes[$0].action == .delete }
        let others = plan.changes.indices.filter { plan.changes[$0].action != .delete }
        let limit = applyConcurrency
        for phase in [deletes, others] {
            if statuses.contains(where: { if case .failed = $0 { true } else { false } }) { break }
            let results = await withTaskGroup(of: (Int, ApplyResult.Status).self) { group in
                var results: [(Int, ApplyResult.Status)] = []
                var next = phase.makeIterator()
                var running = 0
                var stop = false
                while true {
                    while running < limit, !stop, let index = next.next() {
                        let change = plan.changes[index]
                        running += 1
                        group.addTask { (index, await self.outcome(of: change)) }
                    }
                    guard running > 0, let result = await group.next() else { break }
                    running -= 1
                    results.append(result)
                    if case .failed = result.1 { stop = true }
                }
                return results
            }
            for (index, status) in results { statuses[index] = status }
        }
        return ApplyResult(
            outcomes: zip(plan.changes, statuses).map { ApplyResult.Outcome(change: $0, status: $1) })
    }

    /// One set's change, as a status.
    private func outcome(of change: ZonePlan.Change) async -> ApplyResult.Status {
        do {
            try await applyOne(change)
            return .applied
        } catch let error as LexiconError {
            return .failed(error)
        } catch {
            return .failed(LexiconError(.provider, "\(error)", provider: descriptor.name))
        }
    }

    /// One set's change through the five operations: new values first, then the old ones removed, then the TTL of
    /// the values kept, so the name never answers empty during an update.
    private func applyOne(_ change: ZonePlan.Change) async throws {
        let key = change.key
        let name = RecordPresentation.fqdn(key.name)
        guard let new = change.new else {
            try await deleteRecord(type: key.type, name: name)
            return
        }
        for value in change.added {
            try await createRecord(
                type: key.type, name: name, content: value.content, ttl: new.ttl, priority: value.priority)
        }
        for value in change.removed {
            let content = key.type == .mx ? "\(value.priority ?? 0) \(value.content)" : value.content
            try await deleteRecord(type: key.type, name: name, content: content)
        }
        guard let old = change.old, old.ttl != new.ttl else { return }
        let kept = Set(new.values).subtracting(change.added)
        for record in try await listRecords(type: key.type, name: name)
        where record.ttl != new.ttl && kept.contains(.init(content: record.content, priority: record.priority)) {
            try await updateRecord(
                identifier: record.id, type: key.type, name: name, content: record.content, ttl: new.ttl,
                priority: record.priority)
        }
    }
}
