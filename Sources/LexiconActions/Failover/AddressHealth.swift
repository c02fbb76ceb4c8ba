import Lexicon

/// The health of one pool address: up or down, decided by `fall` consecutive failed checks (up to down) and `rise`
/// consecutive passed checks (down to up), with what the last check saw and why the last transition happened.
public struct AddressHealth: Sendable, Equatable {
    /// Up or down.
    public enum State: String, Sendable, Equatable {
        case up, down
    }

    /// A change of state.
    public struct Transition: Sendable, Equatable {
        /// The state left.
        public var from: State
        /// The state entered.
        public var to: State
        /// Why, in words: `3 checks failed in a row: HTTP 500`.
        public var reason: String
    }

    /// The current state.
    public var state: State
    /// Consecutive passed checks (0 after a failure).
    public var successes = 0
    /// Consecutive failed checks (0 after a pass).
    public var failures = 0
    /// Checks made, in all.
    public var checks = 0
    /// Seconds the last check took.
    public var latency: Double?
    /// What the last check saw.
    public var detail: String?
    /// When the last check ended (Unix seconds).
    public var checkedAt: Int?
    /// When the state was last entered (Unix seconds).
    public var since: Int
    /// Why the state was entered.
    public var reason: String

    /// A starting state: what the record set shows when the monitor first sees the address.
    public init(state: State, since: Int, reason: String) {
        self.state = state
        self.since = since
        self.reason = reason
    }

    /// Counts one check and returns the transition it completes, if any.
    /// - Parameters:
    ///   - result: The check's result.
    ///   - fall: Failures in a row that make an up address down.
    ///   - rise: Passes in a row that make a down address up.
    ///   - now: The time (Unix seconds).
    public mutating func record(_ result: HealthCheck.Result, fall: Int, rise: Int, now: Int) -> Transition? {
        checks += 1
        latency = result.latency
        detail = result.detail
        checkedAt = now
        if result.passed {
            successes += 1
            failures = 0
        } else {
            failures += 1
            successes = 0
        }
        let before = state
        if state == .up && failures >= fall {
            state = .down
            reason = "\(failures) check\(failures == 1 ? "" : "s") failed in a row: \(result.detail)"
        } else if state == .down && successes >= rise {
            state = .up
            reason = "\(successes) check\(successes == 1 ? "" : "s") passed in a row (\(result.detail))"
        } else {
            return nil
        }
        since = now
        return Transition(from: before, to: state, reason: reason)
    }

    /// The state as a JSON object (the state file's and `status --json`'s form).
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("state", .string(state.rawValue)), ("successes", .int(successes)), ("failures", .int(failures)),
            ("checks", .int(checks)), ("since", .int(since)), ("reason", .string(reason)),
        ]
        if let latency { pairs.append(("latency_ms", .number(Self.milliseconds(latency)))) }
        if let detail { pairs.append(("detail", .string(detail))) }
        if let checkedAt { pairs.append(("checked_at", .int(checkedAt))) }
        return .object(pairs)
    }

    /// Reads the JSON form; nil when a field is missing or of the wrong kind.
    public init?(json: JSONValue) {
        guard let stateText = json["state"]?.string, let state = State(rawValue: stateText),
            let since = json["since"]?.int, let reason = json["reason"]?.string,
            let successes = json["successes"]?.int, let failures = json["failures"]?.int,
            let checks = json["checks"]?.int, successes >= 0, failures >= 0, checks >= 0
        else { return nil }
        self.init(state: state, since: since, reason: reason)
        self.successes = successes
        self.failures = failures
        self.checks = checks
        latency = json["latency_ms"]?.double.map { $0 / 1000 }
        detail = json["detail"]?.string
        checkedAt = json["checked_at"]?.int
    }

    /// Seconds as milliseconds with one decimal: `12.3`.
    static func milliseconds(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10_000).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
