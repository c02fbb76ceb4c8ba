import Foundation
import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// Log lines collected from a logger.
func transport(
    attempts: Int = 3, total: Double = 30, connect: Double = 10, trace: LogLines? = nil, engine: Engine = .curl
) -> CurlTransport {
    let logger = LexiconLogger(level: .debug, sink: { trace?.append($0) })
    return CurlTransport(
        configuration: engine.configure(
            .init(
                connectTimeout: connect, totalTimeout: total,
                retry: RetryPolicy(maximumAttempts: attempts, baseDelay: 0.05, maximumDelay: 5))), logger: logger)
}

/// What carries an `http://` request: libcurl, or the transport's own plain connection (which provider transports
/// use: redirects handled by the transport, within the origin). Every transport test runs with both.
enum Engine: CaseIterable, Sendable {
    case curl, plain

    func configure(_ configuration: CurlTransport.Configuration) -> CurlTransport.Configuration {
        var configuration = configuration
        switch self {
        case .curl:
            configuration.plainHTTP = false
        case .plain:
            configuration.followRedirects = false
            configuration.sameOriginRedirects = true
        }
        return configuration
    }
}

@Suite("CurlTransport against a loopback server")
struct CurlTransportTests {
    @Test(arguments: Engine.allCases) func getReusesOneConnection(engine: Engine) async throws {
        let server = try LoopbackHTTPServer { request in
            .respond(HTTPResponse(status: 200, headers: ["x-echo": request.path], body: Array("hello".utf8)))
        }
        defer { server.stop() }
        let client = transport(engine: engine)
        for index in 0..<3 {
            let response = try await client.send(HTTPRequest(url: server.url + "/item/\(index)"))
            #expect(response.status == 200 && response.text == "hello")
            #expect(response.headers["x-echo"] == "/item/\(index)")
        }
        #expect(server.connectionCount == 1)
    }

    @Test(arguments: Engine.allCases) func postsBodiesAndHeaders(engine: Engine) async throws {
        let server = try LoopbackHTTPServer { request in
            .respond(
                HTTPResponse(status: 201, body: (request.body ?? []) + Array((request.header("x-test") ?? "").utf8)))
        }
        defer { server.stop() }
        let body = Array("{\"a\":1}".utf8)
        let response = try await transport(engine: engine).send(
            HTTPRequest(method: "POST", url: server.url + "/p", headers: [HTTPHeader("X-Test", "yes")], body: body))
        #expect(response.status == 201 && response.text == "{\"a\":1}yes")
    }

    @Test(arguments: Engine.allCases) func rateLimitHonoursRetryAfterEvenForPost(engine: Engine) async throws {
        let count = Counter()
        let server = try LoopbackHTTPServer { _ in
            count.next() == 1
                ? .respond(HTTPResponse(status: 429, headers: ["retry-after": "1"]))
                : .respond(HTTPResponse(status: 200, body: Array("ok".utf8)))
        }
        defer { server.stop() }
        let started = Date()
        let response = try await transport(engine: engine).send(
            HTTPRequest(method: "POST", url: server.url + "/x", body: [1]))
        #expect(response.status == 200)
        #expect(Date().timeIntervalSince(started) >= 0.95)
        #expect(server.requests.count == 2)
    }

    @Test(arguments: Engine.allCases) func rateLimitThatOutlastsRetriesIsReturned(engine: Engine) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(HTTPResponse(status: 503, headers: ["retry-after": "0"])) }
        defer { server.stop() }
        let trace = LogLines()
        let response = try await transport(attempts: 3, trace: trace, engine: engine).send(
            HTTPRequest(url: server.url + "/x"))
        #expect(response.status == 503)
        #expect(server.requests.count == 3, "\(trace.all)")
    }

    @Test(arguments: Engine.allCases) func timeoutRetriesGetButNotPost(engine: Engine) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(HTTPResponse(status: 200), delay: 20) }
        defer { server.stop() }
        // A 3-s timeout leaves the retry room in its budget (2 × 3 + 1 s) even on a loaded machine.
        await #expect(throws: LexiconError.self) {
            _ = try await transport(attempts: 2, total: 3, engine: engine).send(HTTPRequest(url: server.url + "/slow"))
        }
        #expect(server.requests.count == 2)
        do {
            _ = try await transport(attempts: 3, total: 0.3, engine: engine).send(
                HTTPRequest(method: "POST", url: server.url + "/slow", body: [1]))
            Issue.record("a timed-out POST succeeded")
        } catch let error as LexiconError {
            #expect(error.code == .network)
            #expect(error.message.contains("may have applied"))
        }
        #expect(server.requests.count == 3)
    }

    @Test(arguments: Engine.allCases) func serverErrorsRetryWritesThatAreIdempotentByConstruction(engine: Engine)
        async throws
    {
        let count = Counter()
        let server = try LoopbackHTTPServer { request in
            request.method == "PATCH" && count.next() == 1
                ? .respond(HTTPResponse(status: 500, body: Array("{\"error\": \"database is locked\"}".utf8)))
                : .respond(HTTPResponse(status: 204))
        }
        defer { server.stop() }
        let whole = HTTPRequest(method: "PATCH", url: server.url + "/zone", body: [1], idempotent: true)
        #expect(try await transport(engine: engine).send(whole).status == 204)
        #expect(server.requests.count == 2)
        let partial = try LoopbackHTTPServer { _ in .respond(HTTPResponse(status: 502)) }
        defer { partial.stop() }
        let post = HTTPRequest(method: "POST", url: partial.url + "/add", body: [1])
        #expect(try await transport(engine: engine).send(post).status == 502)
        #expect(partial.requests.count == 1)
    }

    @Test(arguments: Engine.allCases) func aHungServerEndsWithinTwiceTheTimeoutNamingTheOption(engine: Engine)
        async throws
    {
        let server = try LoopbackHTTPServer { _ in .respond(HTTPResponse(status: 200), delay: 20) }
        defer { server.stop() }
        var configuration = engine.configure(CurlTransport.Configuration(connectTimeout: 1, totalTimeout: 1))
        configuration.timeoutOption = "--http-timeout"
        let started = Date()
        do {
            _ = try await CurlTransport(configuration: configuration).send(HTTPRequest(url: server.url + "/hung"))
            Issue.record("a hung server answered")
        } catch let error as LexiconError {
            #expect(error.code == .network)
            #expect(error.message.contains("127.0.0.1:\(server.port)"), "\(error)")
            #expect(error.message.contains("did not answer within 1.0 s; raise --http-timeout"), "\(error)")
        }
        // The bound on the command's wall time is checked from outside, by HTTPTimeoutTests: inside the test process
        // the wait also includes time this task waits for a thread while other tests run.
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test(arguments: Engine.allCases) func providerTransportsFollowRedirectsOnlyWithinTheOrigin(engine: Engine)
        async throws
    {
        let elsewhere = try LoopbackHTTPServer(host: "127.0.0.2") { _ in .respond(HTTPResponse(status: 200)) }
        defer { elsewhere.stop() }
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/moved": .respond(HTTPResponse(status: 301, headers: ["location": "/here"]))
            case "/away": .respond(HTTPResponse(status: 307, headers: ["location": elsewhere.url + "/x"]))
            default: .respond(HTTPResponse(status: 200, body: Array((request.header("x-api-key") ?? "").utf8)))
            }
        }
        defer { server.stop() }
        var configuration = engine.configure(CurlTransport.Configuration())
        configuration.followRedirects = false
        configuration.sameOriginRedirects = true
        configuration.endpointOption = "--api-endpoint"
        let client = CurlTransport(configuration: configuration)
        let key = [HTTPHeader("X-API-Key", "k")]
        #expect(try await client.send(HTTPRequest(url: server.url + "/moved", headers: key)).text == "k")
        do {
            _ = try await client.send(HTTPRequest(url: server.url + "/away", headers: key))
            Issue.record("a redirect to another host was followed")
        } catch let error as LexiconError {
            #expect(error.message.contains("redirected (HTTP 307) to http://127.0.0.2:\(elsewhere.port), another"))
            #expect(error.message.contains("check --api-endpoint"))
        }
        #expect(elsewhere.requests.isEmpty)
        #expect(URLOrigin("https://A.example:443/x") == URLOrigin("https://a.example/y"))
        #expect(URLOrigin("https://a.example/") != URLOrigin("http://a.example/"))
        #expect(URLOrigin.resolve("b?c", against: "http://h:1/a/x?q") == "http://h:1/a/b?c")
    }

    @Test(arguments: Engine.allCases) func resetConnectionRetriesIdempotentOnly(engine: Engine) async throws {
        let count = Counter()
        let server = try LoopbackHTTPServer { _ in
            count.next() == 1 ? .drop : .respond(HTTPResponse(status: 200, body: Array("after reset".utf8)))
        }
        defer { server.stop() }
        let response = try await transport(engine: engine).send(
            HTTPRequest(method: "PUT", url: server.url + "/r", body: [1]))
        #expect(response.text == "after reset")
        let server2 = try LoopbackHTTPServer { _ in .drop }
        defer { server2.stop() }
        await #expect(throws: LexiconError.self) {
            _ = try await transport(engine: engine).send(
                HTTPRequest(method: "PATCH", url: server2.url + "/r", body: [1]))
        }
        #expect(server2.requests.count == 1)
    }

    @Test(arguments: Engine.allCases) func refusedConnectionIsRetriedForAnyMethod(engine: Engine) async throws {
        // A reserved loopback port nothing listens on (never handed to a server, below the ephemeral range).
        let url = "http://127.0.0.1:\(LoopbackPorts.free())"
        let trace = LogLines()
        do {
            _ = try await transport(attempts: 2, trace: trace, engine: engine).send(
                HTTPRequest(method: "POST", url: url + "/", body: [1]))
            Issue.record("a refused connection succeeded")
        } catch let error as LexiconError {
            #expect(error.code == .network)
            #expect(error.message.contains("127.0.0.1"))
            #expect(!error.message.contains("may have applied"))
        }
        #expect(trace.all.filter { $0.contains("failed after") }.count == 2)
    }

    @Test(arguments: Engine.allCases) func redirectsAreFollowed(engine: Engine) async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/old"
                ? .respond(HTTPResponse(status: 302, headers: ["location": "/new"]))
                : .respond(HTTPResponse(status: 200, body: Array(request.path.utf8)))
        }
        defer { server.stop() }
        let response = try await transport(engine: engine).send(HTTPRequest(url: server.url + "/old"))
        #expect(response.status == 200 && response.text == "/new")
    }

    @Test(arguments: Engine.allCases) func largeAndSlowBodies(engine: Engine) async throws {
        let big = [UInt8](repeating: 0x61, count: 8 * 1024 * 1024)
        let server = try LoopbackHTTPServer { request in
            request.path == "/big"
                ? .respond(HTTPResponse(status: 200, body: big))
                : .slowBody(HTTPResponse(status: 200, body: Array("0123456789".utf8)), pieces: 5, pause: 0.1)
        }
        defer { server.stop() }
        let client = transport(engine: engine)
        #expect(try await client.send(HTTPRequest(url: server.url + "/big")).body.count == big.count)
        #expect(try await client.send(HTTPRequest(url: server.url + "/slow")).text == "0123456789")
    }

    @Test(arguments: Engine.allCases) func debugTracesRedactSecrets(engine: Engine) async throws {
        let server = try LoopbackHTTPServer { _ in .respond(HTTPResponse(status: 200)) }
        defer { server.stop() }
        let trace = LogLines()
        _ = try await transport(trace: trace, engine: engine).send(
            HTTPRequest(
                url: server.url + "/update?hostname=h&token=s3cr3t&ApiKey=s3cr3t",
                headers: [HTTPHeader("Authorization", "Bearer s3cr3t"), HTTPHeader("X-API-Key", "s3cr3t")]))
        let text = trace.all.joined(separator: "\n")
        #expect(
            text.contains(
                "HTTP GET http://127.0.0.1:\(server.port)/update?hostname=h&token=<redacted>&ApiKey=<redacted> -> 200"))
        #expect(!text.contains("s3cr3t"))
        #expect(
            SecretRedactor.headers([HTTPHeader("X-Auth-Key", "k"), HTTPHeader("Accept", "a")]) == [
                "X-Auth-Key: <redacted>", "Accept: a",
            ])
        #expect(SecretRedactor.url("https://user:pw@host/x") == "https://<redacted>@host/x")
    }
}

/// A thread-safe counter for scripted servers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.withLock {
            value += 1; return value
        }
    }
}
