import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// HTTP/1.1 over a plain TCP connection, for `http://` endpoints (a PowerDNS API on the local network): no libcurl to
/// load first, which costs several milliseconds of dynamic linking at every start. ``CurlTransport`` uses it when
/// the URL is `http://` without credentials in it, no proxy variable is set, no address is pinned and redirects are
/// its own to handle; everything else (TLS, proxies, HTTP/2) goes through libcurl. Failures carry libcurl's codes
/// and messages, so retries and errors read the same whichever carried the request.
///
/// One connection is kept for the next request to the same host and port, as libcurl keeps one; a kept connection
/// the server has closed meanwhile is replaced once, before anything of the request is known to have arrived.
final class PlainHTTPConnection {
    /// Where a request goes.
    struct Target: Equatable {
        var host: String
        var port: Int
        /// The `Host` header: the authority as the URL writes it.
        var authority: String
        /// Path and query.
        var path: String
    }

    /// The target of an `http://` URL; nil for other schemes, credentials in the URL, or a malformed authority.
    static func target(of url: String) -> Target? {
        guard url.utf8.count > 7, url.prefix(7).lowercased() == "http://" else { return nil }
        let rest = url.dropFirst(7)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var path = String(rest.dropFirst(authority.count).prefix { $0 != "#" })
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        var host = Substring(authority)
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else { return nil }
                port = number
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = number
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        return Target(host: String(host), port: port, authority: String(authority), path: path)
    }

    /// Whether libcurl would send an `http://` request through a proxy: it reads `http_proxy` (lower case only) and
    /// `all_proxy` in either case.
    static func proxyConfigured(_ environment: [String: String]) -> Bool {
        ["http_proxy", "all_proxy", "ALL_PROXY"].contains { !(environment[$0] ?? "").isEmpty }
    }

    private var socket: Int32 = -1
    private var connected: (host: String, port: Int)?

    deinit { close() }

    /// Closes the kept connection.
    func close() {
        if socket >= 0 { Glibc.close(socket) }
        socket = -1
        connected = nil
    }

    /// Sends one request and reads its response.
    func perform(
        _ request: HTTPRequest, to target: Target, userAgent: String, connectTimeout: Double, totalTimeout: Double,
        keep: Bool
    ) -> CurlTransport.Outcome {
        let deadline = MonotonicClock.now() + totalTimeout
        let bytes = Self.encode(request, to: target, userAgent: userAgent, keep: keep)
        var reused = socket >= 0 && connected?.host == target.host && connected?.port == target.port
        if !reused { close() }
        while true {
            if socket < 0 {
                if let failure = connect(target, deadline: min(deadline, MonotonicClock.now() + connectTimeout)) {
                    return failure
                }
            }
            let outcome = exchange(bytes, method: request.method, deadline: deadline)
            switch outcome {
            case .staleConnection where reused:
                // The server closed the kept connection before reading this request: a new one, once.
                close()
                reused = false
                continue
            case .staleConnection:
                close()
                return .failure(code: 52, message: "Server returned nothing (no headers, no data)", sent: true)
            case .failure(let code, let message):
                close()
                return .failure(code: code, message: message, sent: true)
            case .response(let response, let reusable):
                if !(reusable && keep) { close() }
                return .response(response)
            }
        }
    }

    // MARK: - Connecting

    private func connect(_ target: Target, deadline: Double) -> CurlTransport.Outcome? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(target.host, String(target.port), &hints, &list) == 0, let first = list else {
            return .failure(code: 6, message: "Couldn't resolve host name", sent: false)
        }
        defer { freeaddrinfo(list) }
        var timedOut = false
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let descriptor = Glibc.socket(
                address.pointee.ai_family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
                    | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard descriptor >= 0 else { continue }
            var connected = Glibc.connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0
            if !connected && errno == EINPROGRESS {
                switch wait(descriptor, for: Int16(POLLOUT), until: deadline) {
                case .ready:
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    connected =
                        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0
                case .timedOut:
                    timedOut = true
                case .failed:
                    break
                }
            }
            if connected {
                var one: Int32 = 1
                _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                socket = descriptor
                self.connected = (target.host, target.port)
                return nil
            }
            Glibc.close(descriptor)
            if timedOut { break }
        }
        return timedOut
            ? .failure(code: 28, message: "Timeout was reached", sent: true)
            : .failure(code: 7, message: "Couldn't connect to server", sent: false)
    }

    private enum Readiness { case ready, timedOut, failed }

    private func wait(_ descriptor: Int32, for events: Int16, until deadline: Double) -> Readiness {
        while true {
            let left = deadline - MonotonicClock.now()
            guard left > 0 else { return .timedOut }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let result = poll(&entry, 1, Int32(min(left * 1000, Double(Int32.max))) + 1)
            if result > 0 { return .ready }
            if result == 0 { continue }
            if errno == EINTR { continue }
            return .failed
        }
    }

    // MARK: - The exchange

    private enum Exchange {
        case response(HTTPResponse, reusable: Bool)
        /// Nothing came back on a connection: it was closed or reset before the response began.
        case staleConnection
        case failure(code: Int, message: String)
    }

    /// The request as sent: libcurl's defaults where the request leaves them out (`Accept: */*`, a form content type
    /// for a body without one); a header given an empty value is left out, as libcurl does with `Name:`.
    static func encode(_ request: HTTPRequest, to target: Target, userAgent: String, keep: Bool) -> [UInt8] {
        func has(_ name: String) -> Bool { request.headers.contains { $0.name.lowercased() == name } }
        var head = "\(request.method) \(target.path) HTTP/1.1\r\n"
        if !has("host") { head += "Host: \(target.authority)\r\n" }
        if !has("user-agent") { head += "User-Agent: \(userAgent)\r\n" }
        if !has("accept") { head += "Accept: */*\r\n" }
        if !keep { head += "Connection: close\r\n" }
        for header in request.headers where !header.value.isEmpty {
            head += "\(header.name): \(header.value)\r\n"
        }
        if let body = request.body {
            if !has("content-type") { head += "Content-Type: application/x-www-form-urlencoded\r\n" }
            if !has("content-length") { head += "Content-Length: \(body.count)\r\n" }
        }
        head += "\r\n"
        return Array(head.utf8) + (request.body ?? [])
    }

    private func exchange(_ bytes: [UInt8], method: String, deadline: Double) -> Exchange {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                switch wait(socket, for: Int16(POLLOUT), until: deadline) {
                case .ready: continue
                case .timedOut: return .failure(code: 28, message: "Timeout was reached")
                case .failed: return .failure(code: 55, message: "Failed sending data to the peer")
                }
            }
            return sent == 0 ? .staleConnection : .failure(code: 55, message: "Failed sending data to the peer")
        }
        var reader = Reader(socket: socket, deadline: deadline)
        return reader.response(method: method)
    }

    /// Reads a response from the socket, with the deadline.
    private struct Reader {
        let socket: Int32
        let deadline: Double
        var buffer: [UInt8] = []
        var position = 0
        var received = 0
        var ended = false

        init(socket: Int32, deadline: Double) {
            self.socket = socket
            self.deadline = deadline
        }

        enum ReadFailure: Error { case timedOut, ended, failed }

        /// More bytes into the buffer.
        mutating func fill() throws(ReadFailure) {
            if position > 65_536 && position == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                position = 0
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    buffer += chunk.prefix(count)
                    received += count
                    return
                }
                if count == 0 {
                    ended = true
                    throw .ended
                }
                guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { throw .failed }
                let left = deadline - MonotonicClock.now()
                guard left > 0 else { throw .timedOut }
                var entry = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                if poll(&entry, 1, Int32(min(left * 1000, Double(Int32.max))) + 1) < 0 && errno != EINTR {
                    throw .failed
                }
            }
        }

        /// One line ending in CRLF (or LF), without it.
        mutating func line() throws(ReadFailure) -> [UInt8] {
            while true {
                if let newline = buffer[position...].firstIndex(of: 10) {
                    var line = Array(buffer[position..<newline])
                    if line.last == 13 { line.removeLast() }
                    position = newline + 1
                    return line
                }
                if buffer.count - position > 1_048_576 { throw .failed }
                try fill()
            }
        }

        /// Exactly `count` bytes.
        mutating func bytes(_ count: Int) throws(ReadFailure) -> [UInt8] {
            while buffer.count - position < count { try fill() }
            defer { position += count }
            return Array(buffer[position..<(position + count)])
        }

        /// Everything until the server closes the connection.
        mutating func rest() throws(ReadFailure) -> [UInt8] {
            while true {
                do {
                    try fill()
                } catch .ended {
                    break
                }
            }
            defer { position = buffer.count }
            return Array(buffer[position...])
        }

        mutating func response(method: String) -> Exchange {
            do {
                while true {
                    let statusLine = String(decoding: try line(), as: UTF8.self)
                    let fields = statusLine.split(separator: " ", maxSplits: 2)
                    guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), let status = Int(fields[1]),
                        (100...999).contains(status)
                    else {
                        return .failure(code: 8, message: "Weird server reply")
                    }
                    var headers: [String: String] = [:]
                    while true {
                        let field = try line()
                        if field.isEmpty { break }
                        HTTPHeaderFields.add(Substring(String(decoding: field, as: UTF8.self)), to: &headers)
                    }
                    if status < 200 { continue }  // 100 Continue, 103 Early Hints: the response follows.
                    let close =
                        headers["connection"]?.lowercased().contains("close") == true
                        || fields[0] == "HTTP/1.0" && headers["connection"]?.lowercased() != "keep-alive"
                    if method == "HEAD" || status == 204 || status == 304 {
                        return .response(HTTPResponse(status: status, headers: headers), reusable: !close)
                    }
                    if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
                        var body: [UInt8] = []
                        while true {
                            let sizeLine = String(decoding: try line(), as: UTF8.self)
                            let digits = sizeLine.prefix { $0 != ";" }.trimmingCharacters()
                            guard let size = Int(digits, radix: 16), size >= 0 else {
                                return .failure(code: 56, message: "Failure when receiving data from the peer")
                            }
                            if size == 0 {
                                while !(try line()).isEmpty {}  // trailer fields
                                break
                            }
                            body += try bytes(size)
                            _ = try line()
                        }
                        return .response(HTTPResponse(status: status, headers: headers, body: body), reusable: !close)
                    }
                    if let length = headers["content-length"] {
                        guard let count = Int(length), count >= 0 else {
                            return .failure(code: 8, message: "Weird server reply")
                        }
                        let body = try bytes(count)
                        return .response(HTTPResponse(status: status, headers: headers, body: body), reusable: !close)
                    }
                    return .response(HTTPResponse(status: status, headers: headers, body: try rest()), reusable: false)
                }
            } catch .timedOut {
                return .failure(code: 28, message: "Timeout was reached")
            } catch {
                if received == 0 { return .staleConnection }
                return ended
                    ? .failure(code: 18, message: "Transferred a partial file")
                    : .failure(code: 56, message: "Failure when receiving data from the peer")
            }
        }
    }
}
