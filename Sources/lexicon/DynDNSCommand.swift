import Dispatch
import Lexicon
import LexiconActions
import LexiconProviders
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `lexicon dyndns run|check|status --config FILE`: the dynamic DNS daemon and its companions.
enum DynDNSCommand {
    /// Signals the loop watches: stop (SIGTERM, SIGINT) and reload (SIGHUP).
    final class Signals: @unchecked Sendable {
        let stop = Mutex(false)
        let reload = Mutex(false)
        private var sources: [any DispatchSourceSignal] = []

        init() {
            for number in [SIGTERM, SIGINT, SIGHUP] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [self] in
                    if number == SIGHUP { reload.withLock { $0 = true } } else { stop.withLock { $0 = true } }
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    static func run(_ sub: String, options: [String: String], registry: ProviderRegistry, logger: LexiconLogger)
        async throws
    {
        var logger = logger
        if options["log_json"] != nil { logger.sink = jsonSink }
        let path = options["config"]!
        var runner = DynDNSRunner(
            config: try DynDNSConfig.load(path), registry: registry, logger: logger,
            environment: ProcessEnvironment.variables)
        switch sub {
        case "check":
            for line in await runner.check() { LexiconCommand.write(line) }
        case "status":
            for line in runner.status() { LexiconCommand.write(line) }
        default:
            if options["once"] != nil {
                guard await runner.round() else { throw LexiconError(.provider, "some jobs failed; see above.") }
                return
            }
            let signals = Signals()
            while !signals.stop.withLock({ $0 }) {
                _ = await runner.round()
                let interval = Double(runner.config.interval ?? 300)
                let deadline = Double(time(nil)) + interval * Double.random(in: 1.0...1.1)
                while Double(time(nil)) < deadline && !signals.stop.withLock({ $0 }) && !signals.reload.withLock({ $0 })
                {
                    try? await Task.sleep(nanoseconds: 200_000_000)
                }
                if signals.reload.withLock({
                    let value = $0; $0 = false; return value
                }) {
                    do {
                        runner = DynDNSRunner(
                            config: try DynDNSConfig.load(path), registry: registry, logger: logger,
                            environment: ProcessEnvironment.variables)
                        logger.warning("configuration reloaded from \(path)")
                    } catch let error as LexiconError {
                        logger.error("reload failed, keeping the old configuration: \(error.message)")
                    }
                }
            }
            logger.warning("stopping (signal received)")
        }
    }

    /// One JSON object per log line: `{"time": …, "level": "warning", "message": "…"}`.
    static let jsonSink: @Sendable (String) -> Void = { line in
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
}
