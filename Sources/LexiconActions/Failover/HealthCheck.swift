import DNSWire
import Dispatch
import Lexicon
import LexiconHTTP

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
        let started = MonotonicClock.now()
        var result: Result
        switch kind {
        case .http, .https: result = await http(address)
        case .tcp: result = await tcp(address)
        case .exec: result = await exec(address)
        }
        result.latency = MonotonicClock.now() - started
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

    /// A connect to the port, closed at once.
    static func connect(_ address: IPAddress, port: Int, timeout: Double) -> Result {
        do throws(TCPProbe.Failure) {
            try TCPProbe.connect(host: address.description, port: UInt16(port), timeout: timeout)
            return Result(passed: true, latency: 0, detail: "connected")
        } catch {
            switch error {
            case .refused: return Result(passed: false, latency: 0, detail: "connection refused")
            case .timedOut:
                return Result(
                    passed: false, latency: 0, detail: "no connection within \(ShellCommand.Result.seconds(timeout)) s")
            case .other(let reason): return Result(passed: false, latency: 0, detail: reason)
            }
        }
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
