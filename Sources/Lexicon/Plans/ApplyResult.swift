/// What ``Client/apply(_:)`` did with each change of a plan: a failure part-way says what was applied and what was
/// not, and applying the same desired state again converges.
public struct ApplyResult: Sendable {
    /// What happened to one change.
    public enum Status: Sendable {
        /// The change is in the zone.
        case applied
        /// The change failed, with why; part of it may be in the zone.
        case failed(LexiconError)
        /// The change was not tried (an earlier one failed).
        case notApplied
    }

    /// One change and what happened to it.
    public struct Outcome: Sendable {
        /// The change.
        public var change: ZonePlan.Change
        /// What happened.
        public var status: Status
    }

    /// The outcomes, in the plan's order.
    public var outcomes: [Outcome]

    /// Creates a result.
    public init(outcomes: [Outcome]) {
        self.outcomes = outcomes
    }

    /// Whether every change was applied.
    public var isComplete: Bool { outcomes.allSatisfy { if case .applied = $0.status { true } else { false } } }

    /// The changes applied.
    public var applied: [ZonePlan.Change] {
        outcomes.compactMap { if case .applied = $0.status { $0.change } else { nil } }
    }

    /// The changes not applied, failed or not tried.
    public var notApplied: [ZonePlan.Change] {
        outcomes.compactMap { if case .applied = $0.status { nil } else { $0.change } }
    }

    /// The first failure, if any.
    public var firstError: LexiconError? {
        outcomes.lazy.compactMap { if case .failed(let error) = $0.status { error } else { nil } }.first
    }

    /// The line that sums the result up: `Applied 4 of 5 changes; not applied: www.example.com A (...)`.
    public var summary: String {
        var text = "Applied \(applied.count) of \(outcomes.count) changes."
        let failed = outcomes.filter { if case .applied = $0.status { false } else { true } }
        if !failed.isEmpty {
            text +=
                " Not applied: "
                + failed.prefix(10).map { "\($0.change.action.rawValue) \($0.change.key)" }
                .joined(separator: ", ") + (failed.count > 10 ? ", …" : "")
            text += ". Run the same apply again to finish: it plans only what is missing."
        }
        return text
    }
}
