import Foundation
import LexiconHTTP
import Synchronization

/// A pool of web servers for failover tests: small HTTP servers on distinct loopback addresses (127.0.0.2,
/// 127.0.0.3, …) sharing one port. Each can be stopped (its connections are then refused), started again on the
/// same address and port, slowed down, or made to answer with an error status.
public final class PoolBackends: @unchecked Sendable {
    /// How a backend answers.
    public enum Behaviour: Sendable, Equatable {
        /// `200 OK` with the body `OK`.
        case healthy
        /// This status, with the body `failing`.
        case status(Int)
        /// `200 OK`, after this many seconds.
        case slow(Double)
    }

    /// The port every backend listens on.
    public let port: UInt16
    /// The backends' addresses.
    public let addresses: [String]
    private let servers = Mutex<[String: LoopbackHTTPServer]>([:])
    private let shared = Shared()

    /// What the servers' handlers share: each backend's behaviour and request count.
    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var behaviours: [String: Behaviour] = [:]
        var counts: [String: Int] = [:]
    }

    /// Starts `count` healthy backends on 127.0.0.`first`, 127.0.0.`first + 1`, … and one free port.
    public init(count: Int, first: Int = 2) throws {
        addresses = (0..<count).map { "127.0.0.\(first + $0)" }
        for _ in 0..<50 {
            let candidate = LoopbackPorts.free()
            var started: [String: LoopbackHTTPServer] = [:]
            for address in addresses {
                guard let server = try? Self.server(address, candidate, shared) else { break }
                started[address] = server
            }
            if started.count == addresses.count {
                port = candidate
                servers.withLock { $0 = started }
                return
            }
            started.values.forEach { $0.stop() }
        }
        throw POSIXError(.EADDRINUSE)
    }

    deinit { stopAll() }

    private static func server(_ address: String, _ port: UInt16, _ shared: Shared) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer(host: address, port: port) { _ in
            let behaviour = shared.lock.withLock { () -> Behaviour in
                shared.counts[address, default: 0] += 1
                return shared.behaviours[address] ?? .healthy
            }
            switch behaviour {
            case .healthy: return .respond(HTTPResponse(status: 200, body: Array("OK\n".utf8)))
            case .status(let status): return .respond(HTTPResponse(status: status, body: Array("failing\n".utf8)))
            case .slow(let seconds):
                return .respond(HTTPResponse(status: 200, body: Array("OK\n".utf8)), delay: seconds)
            }
        }
    }

    /// Stops a backend: connections to it are refused until ``start(_:)``.
    public func stop(_ address: String) {
        servers.withLock { $0.removeValue(forKey: address) }?.stop()
    }

    /// Starts a stopped backend again on its address and port (waiting up to 2 s for the port to be free).
    public func start(_ address: String) async throws {
        for _ in 0..<40 {
            if let server = try? Self.server(address, port, shared) {
                servers.withLock { $0[address] = server }
                return
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw POSIXError(.EADDRINUSE)
    }

    /// Sets how a backend answers from now on.
    public func set(_ address: String, _ behaviour: Behaviour) {
        shared.lock.withLock { shared.behaviours[address] = behaviour }
    }

    /// Requests a backend has received.
    public func requests(_ address: String) -> Int {
        shared.lock.withLock { shared.counts[address] ?? 0 }
    }

    /// Stops every backend.
    public func stopAll() {
        for server in servers.withLock({ state in
            defer { state = [:] }
            return Array(state.values)
        }) {
            server.stop()
        }
    }
}
