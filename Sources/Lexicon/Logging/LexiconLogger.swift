import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small leveled logger that writes to standard error (never to standard output, which carries results), or,
/// for library callers, hands every message to a swift-log `Logger`.
public struct LexiconLogger: Sendable {
    /// Log levels with dns-lexicon's names.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug = 10, info = 20, warning = 30, error = 40, critical = 50

        /// Parses CRITICAL, ERROR, WARNING, INFO, DEBUG in any case.
        public init?(name: String) {
            switch name.uppercased() {
            case "DEBUG": self = .debug
            case "INFO": self = .info
            case "WARNING", "WARN": self = .warning
            case "ERROR": self = .error
            case "CRITICAL": self = .critical
            default: return nil
            }
        }

        /// The upper-case name.
        public var name: String {
            switch self {
            case .debug: "DEBUG"
            case .info: "INFO"
            case .warning: "WARNING"
            case .error: "ERROR"
            case .critical: "CRITICAL"
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Messages below this level are dropped.
    public var level: Level
    /// Receives formatted lines; the default writes them to standard error.
    public var sink: @Sendable (String) -> Void

    /// The swift-log logger messages go to, when the library caller gave one.
    public let backend: Logging.Logger?

    /// Creates a logger.
    /// - Parameters:
    ///   - level: The threshold.
    ///   - sink: Where lines go; standard error by default.
    public init(level: Level = .warning, sink: @escaping @Sendable (String) -> Void = LexiconLogger.standardError) {
        self.level = level
        self.sink = sink
        self.backend = nil
    }

    /// Creates a logger that hands every message to a swift-log `Logger`, whose level and handler decide what is
    /// kept and where it goes.
    /// - Parameter logger: The caller's logger.
    public init(_ logger: Logging.Logger) {
        self.backend = logger
        self.level = Level(logger.logLevel)
        self.sink = LexiconLogger.standardError
    }

    /// Writes a line to standard error.
    public static let standardError: @Sendable (String) -> Void = { line in
        var text = line + "\n"
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }

    /// Logs a message at a level.
    public func log(_ level: Level, _ message: @autoclosure () -> String) {
        if let backend {
            backend.log(level: level.swiftLogLevel, "\(TerminalText.escaped(message()))")
            return
        }
        guard level >= self.level else { return }
        sink("lexicon: \(level.name.lowercased()): \(TerminalText.escaped(message()))")
    }

    /// Logs at DEBUG.
    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    /// Logs at INFO.
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    /// Logs at WARNING.
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    /// Logs at ERROR.
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }
}

extension LexiconLogger.Level {
    /// The level of a swift-log level (`trace` counts as DEBUG, `notice` as INFO).
    init(_ level: Logging.Logger.Level) {
        switch level {
        case .trace, .debug: self = .debug
        case .info, .notice: self = .info
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }

    /// The swift-log level of this level.
    var swiftLogLevel: Logging.Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
