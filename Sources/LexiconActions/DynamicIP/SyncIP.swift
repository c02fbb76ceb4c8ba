import Lexicon

/// Keeps one record pointed at this host's address: compares, and changes the record only when it differs, leaving
/// the set's other values alone. What it published last is remembered in a state file per record and family.
public struct SyncIP: Sendable {
    /// What a run did.
    public struct Outcome: Sendable, Equatable {
        /// The record's values before.
        public var before: [String]
        /// The address wanted.
        public var address: IPAddress
        /// `unchanged`, `created`, `updated`, or with a dry run `would create` / `would update`.
        public var action: String
        /// The value the update replaced, if it replaced one.
        public var replaced: String? = nil
    }

    /// The client of the record's zone.
    public let client: Client
    /// The state directory; nil keeps no state.
    public let stateDirectory: String?
    /// What identifies the job's configuration: a hold (after an answer that needs the user) lasts until it changes.
    public let fingerprint: String

    /// Creates the action.
    public init(client: Client, stateDirectory: String?, fingerprint: String = "") {
        self.client = client
        self.stateDirectory = stateDirectory
        self.fingerprint = fingerprint
    }

    /// Makes the record serve `address`.
    /// - Parameters:
    ///   - name: The record's name (as the CLI takes it).
    ///   - address: The address to publish.
    ///   - dryRun: Say what would change, change nothing.
    public func run(name: String, address: IPAddress, dryRun: Bool) async throws -> Outcome {
        let type = address.family.recordType
        let fqdn = try client.names.absolute(name)
        if !client.descriptor.capabilities.contains(.list) {
            return try await updateOnly(fqdn: fqdn, type: type, address: address, dryRun: dryRun)
        }
        let records = try await client.listRecords(type: type, name: fqdn)
        let before = records.map(\.content)
        if records.contains(where: { IPAddress($0.content) == address }) {
            return Outcome(before: before, address: address, action: "unchanged")
        }
        let state = RecordState(directory: stateDirectory, fqdn: fqdn, type: type.rawValue)
        let previous = state.published?.value
        let action: String
        var replaced: String?
        if records.isEmpty {
            action = dryRun ? "would create" : "created"
            if !dryRun { try await client.createRecord(type: type, name: fqdn, content: address.description) }
        } else {
            // Replace the value this host published last, or the only value; never guess among several.
            guard
                let target = records.first(where: { $0.content == previous }) ?? (records.count == 1 ? records[0] : nil)
            else {
                throw LexiconError(
                    .ambiguous,
                    "\(fqdn) \(type) has \(records.count) values (\(before.joined(separator: ", "))) and none is the address this host published last; remove the stale ones or publish with create."
                )
            }
            action = dryRun ? "would update" : "updated"
            replaced = target.content
            if !dryRun {
                try await client.updateRecord(
                    identifier: target.id, type: type, name: fqdn, content: address.description)
            }
        }
        if !dryRun { try state.record(address.description, action: action) }
        return Outcome(before: before, address: address, action: action, replaced: replaced)
    }

    /// Seconds after which an unchanged address is sent again anyway (services expire idle hosts).
    public static let refreshAfter = 25 * 86_400

    /// Update-only services cannot be listed: the state file says what was published, and nothing is sent while
    /// the address is the same (repeated identical updates count as abuse), except a refresh every 25 days.
    private func updateOnly(fqdn: String, type: RecordType, address: IPAddress, dryRun: Bool) async throws -> Outcome {
        let state = RecordState(directory: stateDirectory, fqdn: fqdn, type: type.rawValue)
        let previous = state.published?.value
        let age = state.published?.time.map { Int(time(nil)) - $0 } ?? Int.max
        if previous == address.description && age < Self.refreshAfter {
            return Outcome(before: [address.description], address: address, action: "unchanged")
        }
        let action = dryRun ? "would update" : (previous == address.description ? "refreshed" : "updated")
        if let hold = state.hold {
            if hold.fingerprint == fingerprint && (hold.until == 0 || hold.until > Int(time(nil))) {
                let when =
                    hold.until == 0
                    ? "until the configuration changes" : "for \(hold.until - Int(time(nil))) more seconds"
                // The same category (and so exit status) as the answer that caused the hold: 3 after badauth.
                throw LexiconError(
                    LexiconError.Code.named(hold.code) ?? .provider, "not sending (held \(when)) after: \(hold.reason)",
                    provider: client.descriptor.name,
                    hint: "Fix the cause, then run `lexicon dyndns clear` or change the settings.")
            }
            state.clearHold()
        }
        if !dryRun {
            do {
                try await client.updateRecord(type: type, name: fqdn, content: address.description)
            } catch let error as LexiconError {
                if let seconds = error.holdSeconds {
                    state.setHold(
                        seconds: seconds, fingerprint: fingerprint, reason: error.message, code: error.code.name)
                }
                throw error
            }
            try state.record(address.description, action: action)
        }
        return Outcome(
            before: previous.map { [$0] } ?? [], address: address, action: action,
            replaced: previous == address.description ? nil : previous)
    }

    /// The default state directory: `LEXICON_STATE_DIR`, `$XDG_STATE_HOME/lexicon`, or `~/.local/state/lexicon`.
    public static func defaultStateDirectory(_ environment: [String: String]) -> String? {
        if let explicit = environment["LEXICON_STATE_DIR"] { return explicit }
        if let state = environment["XDG_STATE_HOME"] { return state + "/lexicon" }
        return environment["HOME"].map { $0 + "/.local/state/lexicon" }
    }
}

#if canImport(Glibc)
    import Glibc
#endif
