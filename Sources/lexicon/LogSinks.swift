import Lexicon
import LexiconActions

#if canImport(Glibc)
    import Glibc
#endif

/// Where the daemons' log lines go besides plain standard error.
enum LogSinks {
    /// One JSON object per line: `{"time": …, "level": "warning", "message": "…"}`.
    static let json: @Sendable (String) -> Void = { line in
        var rest = Substring(line)
        if rest.hasPrefix("lexicon: ") { rest = rest.dropFirst(9) }
        var level = "info"
        if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy({ $0.isLetter }) {
            level = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...].drop { $0 == " " }
        }
        let object = JSONValue.object([
            ("time", .int(Int(time(nil)))), ("level", .string(level)), ("message", .string(String(rest))),
        ])
        LexiconLogger.standardError(object.text)
    }

    /// Each line after its UTC time: `2026-11-29T11:50:02Z lexicon: warning: …`.
    static let timestamped: @Sendable (String) -> Void = { line in
        LexiconLogger.standardError(FailoverMonitor.timestamp(Int(time(nil))) + " " + line)
    }
}
