import Foundation
import Lexicon
import Testing

@testable import LexiconHTTP

/// A loopback TCP server that answers each request with scripted raw bytes, for the answers a well-behaved test
/// server never gives: chunked bodies, HTTP/1.0 bodies ended by closing, a kept connection closed while idle.
final class ScriptedSocketServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var accepted = 0
    private var heads: [String] = []

    /// - Parameter reply: For the request head (through its blank line) and the connection's request count, the raw
    ///   bytes to write and whether to close the connection afterwards.
    init(reply: @escaping @Sendable (String, Int) -> (String, close: Bool)) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, size) == 0 && listen(listener, 8) == 0 && getsockname(listener, $0, &size) == 0
            }
        }
        try #require(bound)
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                lock.withLock { accepted += 1 }
                Thread.detachNewThread { [self] in
                    var served = 0
                    var pending: [UInt8] = []
                    var chunk = [UInt8](repeating: 0, count: 65_536)
                    while true {
                        let count = recv(connection, &chunk, chunk.count, 0)
                        guard count > 0 else { break }
                        pending += chunk.prefix(count)
                        guard let end = pending.firstRange(of: Array("\r\n\r\n".utf8)) else { continue }
                        let head = String(decoding: pending[..<end.upperBound], as: UTF8.self)
                        let length =
                            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                        guard pending.count >= end.upperBound + length else { continue }
                        pending.removeFirst(end.upperBound + length)
                        served += 1
                        lock.withLock { heads.append(head) }
                        let (text, close) = reply(head, served)
                        _ = text.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                        if close { break }
                    }
                    Glibc.close(connection)
                }
            }
        }
    }

    var connections: Int { lock.withLock { accepted } }
    var requestHeads: [String] { lock.withLock { heads } }
    var url: String { "http://127.0.0.1:\(port)" }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }
}

@Suite("plain http:// connections")
struct PlainHTTPConnectionTests {
    static func transport() -> CurlTransport {
        Engine.plain.configure(CurlTransport.Configuration(connectTimeout: 5, totalTimeout: 10)).transport
    }

    @Test func chunkedBodiesWithExtensionsAndTrailersAreDecoded() async throws {
        let server = try ScriptedSocketServer { _, _ in
            (
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"
                    + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n", false
            )
        }
        defer { server.stop() }
        let response = try await Self.transport().send(HTTPRequest(url: server.url + "/c"))
        #expect(response.status == 200 && response.text == "hello, world")
        #expect(response.headers["set-cookie"] == "a=1\nb=2")
    }

    @Test func anHTTP10BodyEndsWhenTheServerCloses() async throws {
        let server = try ScriptedSocketServer { _, _ in
            ("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", true)
        }
        defer { server.stop() }
        let client = Self.transport()
        #expect(try await client.send(HTTPRequest(url: server.url + "/a")).text == "all of it")
        #expect(try await client.send(HTTPRequest(url: server.url + "/b")).text == "all of it")
        #expect(server.connections == 2)
    }

    @Test func noContentAndHeadAnswersEndAtTheirHeaders() async throws {
        let server = try ScriptedSocketServer { head, _ in
            head.hasPrefix("HEAD")
                ? ("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", false)
                : ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", false)
        }
        defer { server.stop() }
        let client = Self.transport()
        #expect(try await client.send(HTTPRequest(method: "HEAD", url: server.url + "/h")).status == 200)
        #expect(try await client.send(HTTPRequest(method: "DELETE", url: server.url + "/d")).status == 204)
        #expect(server.connections == 1, "both on the kept connection")
    }

    @Test func aKeptConnectionTheServerClosedIsReplacedOnce() async throws {
        // The server answers one request per connection without saying so, as an idle timeout closes it.
        let server = try ScriptedSocketServer { _, _ in ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true) }
        defer { server.stop() }
        let client = Self.transport()
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(50))
            let response = try await client.send(HTTPRequest(method: "POST", url: server.url + "/p", body: [1]))
            #expect(response.text == "ok")
        }
        #expect(server.connections == 3)
        #expect(server.requestHeads.count == 3, "each request sent once")
    }

    @Test func requestsCarryLibcurlsDefaults() async throws {
        let server = try ScriptedSocketServer { _, _ in ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false) }
        defer { server.stop() }
        _ = try await Self.transport().send(
            HTTPRequest(method: "POST", url: server.url + "?q=1", headers: [HTTPHeader("Expect", "")], body: [1, 2]))
        let head = try #require(server.requestHeads.first)
        #expect(head.hasPrefix("POST /?q=1 HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n"))
        #expect(head.contains("Accept: */*\r\n"))
        #expect(head.contains("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2\r\n"))
        #expect(!head.contains("Expect"))
    }

    @Test func aReplyThatIsNotHTTPIsAWeirdServerReply() async throws {
        let server = try ScriptedSocketServer { _, _ in ("SSH-2.0-OpenSSH\r\n\r\n", true) }
        defer { server.stop() }
        do {
            _ = try await Self.transport().send(HTTPRequest(method: "POST", url: server.url + "/", body: [1]))
            Issue.record("a reply that is not HTTP was taken")
        } catch let error as LexiconError {
            #expect(error.message.contains("Weird server reply (curl 8)"), "\(error)")
        }
    }

    /// Answers from a broken or hostile server (HTTP-shaped fragments in random order, then the connection closed)
    /// are an answer or an error, never a crash or a hang.
    @Test func garbledAnswersAreAnAnswerOrAnError() async throws {
        let fragments = [
            "HTTP/1.1 ", "HTTP/1.0 ", "200", "204", "100", "999", "0", " OK", "\r\n", "\n", "\r\n\r\n", ":",
            "Content-Length: ", "Transfer-Encoding: chunked", "Connection: close", "5", "ffffffffffffffff", "-1",
            "99999999999999999999", ";x=y", "hello", " ", "\t", "Set-Cookie: a", "X:", "\u{7f}", "é",
        ]
        let script = Script(fragments: fragments)
        let server = try ScriptedSocketServer { _, _ in (script.next(), true) }
        defer { server.stop() }
        var configuration = Engine.plain.configure(CurlTransport.Configuration(connectTimeout: 5, totalTimeout: 5))
        configuration.retry = RetryPolicy(maximumAttempts: 1)
        let client = CurlTransport(configuration: configuration)
        var answers = 0
        var errors = 0
        for _ in 0..<300 {
            do {
                _ = try await client.send(HTTPRequest(url: server.url + "/g"))
                answers += 1
            } catch let error as LexiconError {
                #expect(error.code == .network, "\(error)")
                errors += 1
            }
        }
        #expect(answers + errors == 300)
        #expect(errors > 0)
    }

    @Test func onlyPlainURLsWithoutCredentialsOrProxiesGoThisWay() {
        let v6 = PlainHTTPConnection.target(of: "http://[::1]:8081/api/v1?x#frag")
        #expect(v6 == .init(host: "::1", port: 8081, authority: "[::1]:8081", path: "/api/v1?x"))
        #expect(PlainHTTPConnection.target(of: "HTTP://host")?.path == "/")
        #expect(PlainHTTPConnection.target(of: "http://host:80?q")?.path == "/?q")
        #expect(PlainHTTPConnection.target(of: "https://host/") == nil)
        #expect(PlainHTTPConnection.target(of: "http://user:pw@host/") == nil)
        #expect(PlainHTTPConnection.target(of: "http://host:99999/") == nil)
        #expect(PlainHTTPConnection.proxyConfigured(["http_proxy": "http://proxy:3128"]))
        #expect(PlainHTTPConnection.proxyConfigured(["ALL_PROXY": "socks5://p"]))
        #expect(!PlainHTTPConnection.proxyConfigured(["HTTP_PROXY": "http://p", "https_proxy": "http://p"]))
    }
}

/// Random answers made of fragments, the same sequence every run (a fixed seed).
final class Script: @unchecked Sendable {
    private let lock = NSLock()
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    private let fragments: [String]

    init(fragments: [String]) { self.fragments = fragments }

    func next() -> String {
        lock.withLock {
            var text = ""
            for _ in 0..<(random() % 12 + 1) { text += fragments[Int(random() % UInt64(fragments.count))] }
            return text
        }
    }

    /// xorshift64.
    private func random() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

extension CurlTransport.Configuration {
    fileprivate var transport: CurlTransport { CurlTransport(configuration: self) }
}
