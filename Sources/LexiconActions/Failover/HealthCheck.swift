import Dispatch
import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// How a failover pool checks one address: an HTTP(S) request, a TCP connect, or a command's exit status.
public struct HealthCheck: Sendable, Equatable {
    /// The kinds of check.
    public enum Kind: String, Sendable, Equatable {
        case http, https, tcp, exec
    }

    /// What one check found.
    public struct Result: Sendable, Equatable {
        /// Whether the address passed.
        public var passed: Bool
        /// Seconds the check took.
        public var latency: Double
        /// What was seen: `HTTP 200`, `connected`, `exit status 0`, or why it failed.
        public var detail: String

        /// Creates a result.
        public init(passed: Bool, latency: Double, detail: String) {
            self.passed = passed
            self.latency = latency
            self.detail = detail
        }
    }

    /// The kind.
    public var kind: Kind
    /// The port (http 80 and https 443 by default).
    public var port: Int?
    /// http(s): path and query.
    public var path = "/"
    /// http(s): GET or HEAD.
    public var method = "GET"
    /// http(s): the Host header, SNI and certificate name; nil uses the address.
    public var host: String?
    /// http(s): statuses that pass; nil is 200–399.
    public var expect: [Int]?
    /// http(s): text the body must contain.
    public var body: String?
    /// https: whether the certificate is verified.
    public var verifyTLS = true
    /// https: CA certificates to verify against.
    public var caFile: String?
    /// exec: the command line (`LEXICON_FAILOVER_ADDRESS` and `LEXICON_FAILOVER_PORT` are set for it).
    public var command: String?
    /// Seconds for the whole check.
    public var timeout: Double = 5
    /// Seconds to connect.
    public var connectTimeout: Double = 5

    /// Creates a check of a kind with its defaults.
    public init(kind: Kind) {
        self.kind = kind
    }

    /// The port checked: the configured one, or the scheme's.
    public var effectivePort: Int? { port ?? (kind == .http ? 80 : kind == .https ? 443 : nil) }

    /// A short description for logs and status: `http :8080/health`, `tcp :22`, `exec check-db`.
    public var summary: String {
        switch kind {
        case .http, .https:
            return "\(kind.rawValue)://\(host ?? "ADDRESS"):\(effectivePort ?? 0)\(path)"
        case .tcp: return "tcp :\(effectivePort ?? 0)"
        case .exec: return "exec \(command ?? "")"
        }
    }

    /// Checks one address; never throws: every failure is a failed result saying why.
    public func probe(_ address: IPAddress) async -> Result {
        let started = ShellCommand.monotonic()
        var result: Result
        switch kind {
        case .http, .https: result = await http(address)
        case .tcp: result = await tcp(address)
        case .exec: result = await exec(address)
        }
        result.latency = ShellCommand.monotonic() - started
        return result
    }

    private func http(_ address: IPAddress) async -> Result {
        let port = effectivePort ?? 80
        let literal = address.family == .v6 ? "[\(address)]" : address.description
        var configuration = CurlTransport.Configuration(
            connectTimeout: connectTimeout, totalTimeout: timeout, retry: .none, userAgent: "lexicon-failover/0.1")
        configuration.followRedirects = false
        configuration.verifyTLS = verifyTLS
        configuration.caFile = caFile
        configuration.reuseConnections = false
        let authority: String
        if let host {
            configuration.resolve = ["\(host):\(port):\(literal)"]
            authority = host
        } else {
            authority = literal
        }
        let transport = CurlTransport(configuration: configuration)
        let request = HTTPRequest(method: method, url: "\(kind.rawValue)://\(authority):\(port)\(path)")
        do {
            let response = try await transport.send(request)
            let passing = expect.map { $0.contains(response.status) } ?? (200...399).contains(response.status)
            guard passing else { return Result(passed: false, latency: 0, detail: "HTTP \(response.status)") }
            if let body, response.text.firstRange(of: body) == nil {
                return Result(
                    passed: false, latency: 0, detail: "HTTP \(response.status) without \"\(body)\" in the body")
            }
            return Result(passed: true, latency: 0, detail: "HTTP \(response.status)")
        } catch let error as LexiconError {
            return Result(passed: false, latency: 0, detail: Self.curlReason(error.message))
        } catch {
            return Result(passed: false, latency: 0, detail: "\(error)")
        }
    }

    /// `GET to 127.0.0.2:8080 failed: Couldn't connect to server (curl 7).` -> `Couldn't connect to server`.
    static func curlReason(_ message: String) -> String {
        var text = Substring(message)
        if let colon = text.firstRange(of: " failed: ") { text = text[colon.upperBound...] }
        if let code = text.firstRange(of: " (curl ") { text = text[..<code.lowerBound] }
        return String(text)
    }

    private func tcp(_ address: IPAddress) async -> Result {
        let port = effectivePort ?? 0
        let timeout = connectTimeout
        return await withCheckedContinuation { continuation in
            DispatchQueue(label: "lexicon.failover.tcp").async {
                continuation.resume(returning: Self.connect(address, port: port, timeout: timeout))
            }
        }
    }

    /// A non-blocking connect with a deadline.
    static func connect(_ address: IPAddress, port: Int, timeout: Double) -> Result {
        var storage = sockaddr_storage()
        var length: socklen_t
        if address.family == .v4 {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &v4.sin_addr) { $0.copyBytes(from: address.bytes) }
            withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: withUnsafeBytes(of: v4) { Array($0) }) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &v6.sin6_addr) { $0.copyBytes(from: address.bytes) }
            withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: withUnsafeBytes(of: v6) { Array($0) }) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        let fd = socket(
            address.family == .v4 ? AF_INET : AF_INET6,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return Result(passed: false, latency: 0, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        let started = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        if started != 0 && errno != EINPROGRESS {
            return Result(passed: false, latency: 0, detail: String(cString: strerror(errno)).lowercased())
        }
        if started != 0 {
            let deadline = ShellCommand.monotonic() + timeout
            while true {
                let left = deadline - ShellCommand.monotonic()
                guard left > 0 else {
                    return Result(
                        passed: false, latency: 0,
                        detail: "no connection within \(ShellCommand.Result.seconds(timeout)) s")
                }
                var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&entry, 1, Int32((left * 1000).rounded(.up)))
                if ready > 0 { break }
                if ready < 0 && errno != EINTR {
                    return Result(passed: false, latency: 0, detail: String(cString: strerror(errno)).lowercased())
                }
            }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            if error != 0 {
                return Result(passed: false, latency: 0, detail: String(cString: strerror(error)).lowercased())
            }
        }
        return Result(passed: true, latency: 0, detail: "connected")
    }

    private func exec(_ address: IPAddress) async -> Result {
        var environment = ["LEXICON_FAILOVER_ADDRESS": address.description]
        if let port { environment["LEXICON_FAILOVER_PORT"] = String(port) }
        do {
            let result = try await ShellCommand(command ?? "false", environment: environment, timeout: timeout).run()
            if result.succeeded { return Result(passed: true, latency: 0, detail: "exit status 0") }
            return Result(passed: false, latency: 0, detail: result.failure(timeout: timeout))
        } catch let error as LexiconError {
            return Result(passed: false, latency: 0, detail: error.message)
        } catch {
            return Result(passed: false, latency: 0, detail: "\(error)")
        }
    }
}
