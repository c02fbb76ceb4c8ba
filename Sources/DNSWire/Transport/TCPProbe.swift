import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// Whether a port accepts TCP connections: a connect with a deadline, closed at once, on the DNS client's socket
/// code. Failover's `tcp` health checks use it.
public enum TCPProbe {
    /// Why no connection was made.
    public enum Failure: Error, Sendable, Equatable {
        /// The host answered with a reset: nothing listens there.
        case refused
        /// No answer before the deadline.
        case timedOut
        /// Anything else, in the system's words (lower-case).
        case other(String)
    }

    /// Connects to a host's port and closes the connection again. Blocks the calling thread up to `timeout`.
    /// - Throws: ``Failure`` saying why no connection was made.
    public static func connect(host: String, port: UInt16, timeout: Double) throws(Failure) {
        do throws(DNSSocket.Failure) {
            let deadline = MonotonicClock.now() + timeout
            guard let address = try DNSSocket.resolve(DNSServerAddress(host: host, port: port)).first else {
                throw .badAddress("cannot resolve \(host)")
            }
            let fd = try DNSSocket.open(address, type: Int32(SOCK_STREAM.rawValue))
            defer { close(fd) }
            try DNSSocket.connect(fd, address, until: deadline)
        } catch {
            switch error {
            case .connectionRefused: throw .refused
            case .timeout: throw .timedOut
            case .closed: throw .other("connection closed")
            case .system(let text), .badAddress(let text): throw .other(text.lowercased())
            }
        }
    }
}
