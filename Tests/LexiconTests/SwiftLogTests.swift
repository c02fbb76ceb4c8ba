import Lexicon
import LexiconProviders
import LexiconTesting
import Logging
import Synchronization
import Testing

/// Library callers pass their swift-log `Logger`; its level and handler decide what is logged.
@Suite("logging through swift-log")
struct SwiftLogTests {
    @Test func messagesReachTheCallersHandlerAtTheirLevels() throws {
        final class Box: Sendable { let lines = Mutex<[(Logger.Level, String)]>([]) }
        let box = Box()
        let logger = Logger(label: "test") { _ in
            ForwardingHandler(box: { level, text in box.lines.withLock { $0.append((level, text)) } })
        }
        let lexicon = LexiconLogger(logger)
        lexicon.debug("not shown")
        lexicon.info("shown \u{1b}[2J")
        lexicon.warning("careful")
        let lines = box.lines.withLock { $0 }
        #expect(lines.map(\.0) == [.info, .warning])
        #expect(lines.map(\.1) == ["shown \\u001b[2J", "careful"])
    }

    @Test func aClientTakesASwiftLogLogger() async throws {
        let scratch = try TemporaryDirectory(prefix: "lexicon-swiftlog")
        defer { scratch.remove() }
        let zone = try scratch.write(
            "example.com.zone",
            "$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.53\n"
        )
        let config = ConfigResolver().withDict([
            "provider_name": "localzone", "domain": "example.com", "localzone": ["filename": .value(zone)],
        ])
        let client = try Client(config: config, registry: .standard, logger: Logger(label: "test"))
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token")
        #expect(try await client.listRecords(type: .txt).map(\.content) == ["token"])
    }
}

/// Forwards swift-log events to a closure.
struct ForwardingHandler: LogHandler {
    let box: @Sendable (Logger.Level, String) -> Void
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { box(event.level, event.message.description) }
}
