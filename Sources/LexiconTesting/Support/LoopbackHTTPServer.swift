import Foundation
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests: keep-alive, Content-Length bodies, and scripted misbehaviour
/// (delays, dropped connections, slow bodies). Fake provider APIs are built on it.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// What the server does with a request.
    public enum Reply: Sendable {
        /// Answer, after an optional delay in seconds.
        case respond(HTTPResponse, delay: Double = 0)
        /// Close the connection without answering (a reset, from the client's side).
        case drop
        /// Answer with the body sent in pieces, pausing between them.
        case slowBody(HTTPResponse, pieces: Int, pause: Double)
    }

    /// Decides the reply to each request.
    public typealias Handler = @Sendable (HTTPRequest) -> Reply

    /// The port the server listens on.
    public let port: UInt16
    /// The loopback address the server listens on.
    public let host: String
    private let socket: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var received: [HTTPRequest] = []
    private var connections = 0
    private var stopped = false

    /// The base URL (`http://127.0.0.1:PORT`).
    public var url: String { "http://\(host):\(port)" }

    /// Starts a server on a loopback address and port.
    /// - Parameters:
    ///   - host: An address of 127.0.0.0/8 (Linux answers on all of them without configuration).
    ///   - port: The port; 0 picks a free one.
    ///   - handler: Decides each reply.
    public init(host: String = "127.0.0.1", port: UInt16 = 0, handler: @escaping Handler) throws {
        self.handler = handler
        self.host = host
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = port.bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        self.socket = fd
        self.port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// The requests received so far.
    public var requests: [HTTPRequest] { lock.withLock { received } }

    /// The connections accepted so far.
    public var connectionCount: Int { lock.withLock { connections } }

    /// Stops accepting connections.
    public func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        // Only wake the accept loop here; it closes the socket itself when it leaves. Closing it here would let
        // the number be reused by another test's socket while the loop might still call accept on it.
        if wasRunning { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        defer { close(socket) }
        while true {
            let client = accept(socket, nil, nil)
            if client >= 0, lock.withLock({ stopped }) {
                close(client)
                return
            }
            // Not inherited by the servers and tools other tests start meanwhile.
            if client >= 0 { _ = fcntl(client, F_SETFD, FD_CLOEXEC) }
            if client < 0 {
                if lock.withLock({ stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            lock.withLock { connections += 1 }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer: [UInt8] = []
        while true {
            guard let request = readRequest(client, &buffer) else { return }
            // A stopped server answers nothing more on connections a client keeps alive: the client's next request
            // to this port (after another test's server took it) must reach that server, not this one.
            if lock.withLock({ stopped }) { return }
            lock.withLock { received.append(request) }
            switch handler(request) {
            case .drop:
                return
            case .respond(let response, let delay):
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                guard send(client, head(response) + response.body) else { return }
            case .slowBody(let response, let pieces, let pause):
                guard send(client, head(response)) else { return }
                let size = max(1, (response.body.count + pieces - 1) / max(pieces, 1))
                var offset = 0
                while offset < response.body.count {
                    Thread.sleep(forTimeInterval: pause)
                    let end = min(offset + size, response.body.count)
                    guard send(client, Array(response.body[offset..<end])) else { return }
                    offset = end
                }
            }
        }
    }

    private func head(_ response: HTTPResponse) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        var headers = response.headers
        headers["content-length"] = String(response.body.count)
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    private static func reason(_ status: Int) -> String {
        [
            200: "OK", 201: "Created", 204: "No Content", 302: "Found", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 404: "Not Found", 409: "Conflict", 422: "Unprocessable Entity", 429: "Too Many Requests",
            500: "Internal Server Error", 503: "Service Unavailable",
        ][status] ?? "Status"
    }

    private func send(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(client, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    private func readRequest(_ client: Int32, _ buffer: inout [UInt8]) -> HTTPRequest? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while true {
            if let end = Self.find(separator, in: buffer) {
                headerEnd = end
                break
            }
            guard receive(client, &buffer) else { return nil }
        }
        guard let end = headerEnd else { return nil }
        let headText = String(decoding: buffer[..<end], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [HTTPHeader] = []
        var length = 0
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeader(name, value))
            if name.lowercased() == "content-length" { length = Int(value) ?? 0 }
        }
        let bodyStart = end + 4
        while buffer.count < bodyStart + length {
            guard receive(client, &buffer) else { return nil }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return HTTPRequest(
            method: String(requestLine[0]), url: url + String(requestLine[1]), headers: headers,
            body: length > 0 ? body : nil)
    }

    private func receive(_ client: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var count: Int
        // SIGCHLD from servers other tests start interrupts blocking calls: retry instead of dropping the client.
        repeat {
            count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
        } while count < 0 && errno == EINTR
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count)
        where haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}

extension HTTPRequest {
    /// The value of a header, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The path and query of the URL.
    public var path: String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
    }
}
