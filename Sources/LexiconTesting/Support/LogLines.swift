import Foundation
import Lexicon

/// Collects log lines from concurrent writers, so tests can check what a user would read on stderr.
public final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    /// Creates an empty collector.
    public init() {}

    /// Adds a line.
    public func append(_ line: String) { lock.withLock { lines.append(line) } }

    /// The lines so far.
    public var all: [String] { lock.withLock { lines } }

    /// A logger writing into this collector.
    public func logger(level: LexiconLogger.Level = .debug) -> LexiconLogger {
        LexiconLogger(level: level, sink: { [self] in append($0) })
    }
}
