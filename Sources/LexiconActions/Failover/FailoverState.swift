import Lexicon

/// What the monitor knows between rounds and between runs: each pool's address health, the record set as last
/// read, and the last change. `once` reads and writes it so rise and fall counts survive from one run to the next;
/// `run` writes it after every round so `status` can show it. Written atomically, as JSON.
public struct FailoverState: Sendable, Equatable {
    /// One pool's state.
    public struct Pool: Sendable, Equatable {
        /// Health by address (as written in the configuration's canonical form).
        public var health: [String: AddressHealth] = [:]
        /// The record set's values as last read, or nil before the first read.
        public var records: [String]?
        /// When the record set was last read.
        public var readAt: Int?
        /// Whether the whole pool is published because every address is down.
        public var failOpen = false
        /// The last provider error, cleared by the next successful change or read.
        public var lastError: String?
        /// The last change made: what and why.
        public var lastChange: String?
        /// When it was made.
        public var lastChangeAt: Int?

        /// An empty state.
        public init() {}
    }

    /// The pools by ``FailoverPool/key``.
    public var pools: [String: Pool] = [:]

    /// An empty state.
    public init() {}

    /// Reads a state file; a missing file is an empty state.
    /// - Throws: ``LexiconError`` `config` when the file exists but is not a state file.
    public static func load(_ path: String) throws -> FailoverState {
        guard FileIO.isFile(path) else { return FailoverState() }
        let bytes = try FileIO.read(path)
        let fail = LexiconError(
            .config, "\(path) is not a failover state file; move it away (the monitor starts afresh from DNS).")
        guard let json = try? JSONValue(parsing: bytes), json["version"]?.int == 1, let pools = json["pools"]?.object
        else { throw fail }
        var state = FailoverState()
        for (key, value) in pools {
            var pool = Pool()
            guard let health = value["health"]?.object else { throw fail }
            for (address, entry) in health {
                guard let parsed = AddressHealth(json: entry) else { throw fail }
                pool.health[address] = parsed
            }
            if let records = value["records"]?.array {
                pool.records = try records.map { try $0.string ?? { throw fail }() }
            }
            pool.readAt = value["read_at"]?.int
            pool.failOpen = value["fail_open"]?.bool ?? false
            pool.lastError = value["last_error"]?.string
            pool.lastChange = value["last_change"]?.string
            pool.lastChangeAt = value["last_change_at"]?.int
            state.pools[key] = pool
        }
        return state
    }

    /// The state as JSON.
    public var json: JSONValue {
        .object([
            ("version", .int(1)),
            ("pools", .object(pools.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) })),
        ])
    }

    /// Writes the state file atomically, creating its directory.
    public func save(_ path: String) throws {
        try FileIO.makeOwnDirectory(FileIO.parentDirectory(of: path))
        try FileIO.writeAtomically(path, Array((json.text + "\n").utf8), mode: 0o600)
    }
}

extension FailoverState.Pool {
    /// The pool as JSON.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("health", .object(health.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) }))
        ]
        if let records { pairs.append(("records", .array(records.map { .string($0) }))) }
        if let readAt { pairs.append(("read_at", .int(readAt))) }
        pairs.append(("fail_open", .bool(failOpen)))
        if let lastError { pairs.append(("last_error", .string(lastError))) }
        if let lastChange { pairs.append(("last_change", .string(lastChange))) }
        if let lastChangeAt { pairs.append(("last_change_at", .int(lastChangeAt))) }
        return .object(pairs)
    }
}
