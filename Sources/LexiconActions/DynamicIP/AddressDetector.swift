import Lexicon
import Synchronization

/// Asks several sources at once and decides by quorum: as soon as `quorum` sources agree, that address wins and the
/// others are cancelled, so a slow source the quorum does not need costs nothing. Disagreement is an error that
/// lists what each source said; non-public addresses are refused unless allowed.
public struct AddressDetector: Sendable {
    /// The sources asked.
    public var sources: [AddressSource]
    /// How many must agree.
    public var quorum: Int
    /// Seconds allowed to each source.
    public var timeout: Double
    /// Whether private, loopback, CGNAT and other non-public addresses are accepted.
    public var allowNonPublic: Bool
    /// Where progress goes.
    public var logger: LexiconLogger

    /// Creates a detector.
    public init(
        sources: [AddressSource], quorum: Int, timeout: Double = 5, allowNonPublic: Bool = false,
        logger: LexiconLogger = LexiconLogger()
    ) {
        self.sources = sources
        self.quorum = quorum
        self.timeout = timeout
        self.allowNonPublic = allowNonPublic
        self.logger = logger
    }

    /// Detects this host's address of a family.
    /// - Throws: ``LexiconError`` `invalidInput` for a bad quorum, `network` when the sources do not agree (with
    ///   each one's answer), `invalidInput` for a non-public address that is not allowed.
    public func detect(_ family: IPAddress.Family) async throws -> IPAddress {
        guard quorum >= 1, quorum <= sources.count else {
            throw LexiconError.invalidInput(
                "the quorum \(quorum) needs between 1 and \(sources.count) sources (there are \(sources.count)).")
        }
        // Sources run as separate tasks and report to a tally; the answer is returned as soon as the quorum is
        // reached, without waiting for slower sources (their blocking I/O ends at its own timeout).
        let tally = Tally(quorum: quorum, expected: sources.count)
        let (winner, said): (IPAddress?, [String]) = await withCheckedContinuation { continuation in
            tally.start(continuation)
            for source in sources {
                Task { [timeout, logger] in
                    do {
                        let address = try await source.detect(family, timeout: timeout, logger: logger)
                        logger.debug("\(source) says \(address)")
                        tally.report("\(source): \(address)", address)
                    } catch {
                        let message = (error as? LexiconError)?.message ?? "\(error)"
                        logger.debug("\(source) failed: \(message)")
                        tally.report("\(source): \(message)", nil)
                    }
                }
            }
        }
        guard let winner else {
            throw LexiconError(
                .network,
                "fewer than \(quorum) of \(sources.count) sources agree on the \(family.rawValue) address: \(said.joined(separator: "; "))."
            )
        }
        if let reason = winner.nonPublicReason, !allowNonPublic {
            throw LexiconError.invalidInput(
                "the detected address \(winner) is \(reason), not public; pass --allow-nonpublic (in a dyndns job: allow_nonpublic: true) if that is what should be published."
            )
        }
        return winner
    }

}

/// Counts the sources' answers and resumes the waiting detector once: at the quorum, or when every source answered.
final class Tally: @unchecked Sendable {
    private let state = Mutex<
        (
            votes: [IPAddress: Int], said: [String], done: Bool,
            continuation: CheckedContinuation<(IPAddress?, [String]), Never>?
        )
    >(
        ([:], [], false, nil))
    private let quorum: Int
    private let expected: Int

    init(quorum: Int, expected: Int) {
        self.quorum = quorum
        self.expected = expected
    }

    func start(_ continuation: CheckedContinuation<(IPAddress?, [String]), Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func report(_ line: String, _ address: IPAddress?) {
        let resume: (CheckedContinuation<(IPAddress?, [String]), Never>, (IPAddress?, [String]))? = state.withLock {
            state in
            guard !state.done else { return nil }
            state.said.append(line)
            if let address {
                state.votes[address, default: 0] += 1
                if state.votes[address]! >= quorum {
                    state.done = true
                    return state.continuation.map { ($0, (address, state.said)) }
                }
            }
            if state.said.count == expected {
                state.done = true
                return state.continuation.map { ($0, (nil, state.said)) }
            }
            return nil
        }
        if let (continuation, value) = resume { continuation.resume(returning: value) }
    }
}
