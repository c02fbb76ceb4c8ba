import DNSWire
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A scriptable DNS server on a free loopback port (UDP and TCP) for fault tests: the handler sees each request
/// and returns the bytes to answer with, or nil to stay silent.
public final class FakeDNSServer: @unchecked Sendable {
    /// Builds the answer to a request: its bytes, and whether it came over TCP. Nil means no answer.
    public typealias Handler = @Sendable (_ request: [UInt8], _ overTCP: Bool) -> [UInt8]?

    /// The port on 127.0.0.1.
    public let port: UInt16
    private let udp: Int32
    private let tcp: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var requests: [(bytes: [UInt8], overTCP: Bool)] = []
    private var stopped = false

    /// The server's address.
    public var address: DNSServerAddress { DNSServerAddress(host: "127.0.0.1", port: port) }

    /// The requests received so far, and whether each came over TCP.
    public var received: [(bytes: [UInt8], overTCP: Bool)] { lock.withLock { requests } }

    /// Starts the server.
    public init(handler: @escaping Handler) throws {
        self.handler = handler
        var chosen: (UInt16, Int32, Int32)?
        for _ in 0..<20 {
            let port = LoopbackPorts.free()
            guard let udp = Self.bind(Int32(SOCK_DGRAM.rawValue), port) else { continue }
            guard let tcp = Self.bind(Int32(SOCK_STREAM.rawValue), port) else {
                close(udp)
                continue
            }
            chosen = (port, udp, tcp)
            break
        }
        guard let (port, udp, tcp) = chosen else { throw POSIXError(.EADDRINUSE) }
        self.port = port
        self.udp = udp
        self.tcp = tcp
        listen(tcp, 16)
        var wake = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, &wake, socklen_t(MemoryLayout<timeval>.size))
        Thread { [self] in udpLoop() }.start()
        Thread { [self] in tcpLoop() }.start()
    }

    /// Stops answering and closes the sockets.
    public func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        // The loops close their own sockets when they leave (the UDP loop wakes at least every 100 ms), so no
        // descriptor number is reused while a loop might still use it.
        shutdown(udp, Int32(SHUT_RDWR))
        shutdown(tcp, Int32(SHUT_RDWR))
    }

    deinit { stop() }

    /// An answer to a request: same id and question, QR set, the given code and records.
    public static func answer(
        to request: [UInt8], rcode: UInt8 = 0, answers: [DNSResourceRecord] = [], authoritative: Bool = true
    ) -> DNSMessage? {
        guard let query = try? DNSMessage(decoding: request) else { return nil }
        var message = DNSMessage(id: query.id, opcode: query.opcode)
        message.isResponse = true
        message.isAuthoritative = authoritative
        message.rcode = rcode
        message.questions = query.questions
        message.answers = answers
        return message
    }

    private static func bind(_ type: Int32, _ port: UInt16) -> Int32? {
        LoopbackPorts.bound(type: type, port: port)?.fd
    }

    private func record(_ bytes: [UInt8], _ overTCP: Bool) {
        lock.withLock { requests.append((bytes, overTCP)) }
    }

    private func udpLoop() {
        defer { close(udp) }
        var buffer = [UInt8](repeating: 0, count: 65_535)
        while !lock.withLock({ stopped }) {
            var peer = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(udp, &buffer, buffer.count, 0, $0, &length)
                }
            }
            if count <= 0 {
                if lock.withLock({ stopped }) { return }
                continue
            }
            let request = Array(buffer[..<count])
            record(request, false)
            guard let reply = handler(request, false) else { continue }
            _ = withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(udp, reply, reply.count, 0, $0, length) }
            }
        }
    }

    private func tcpLoop() {
        defer { close(tcp) }
        while true {
            let client = accept(tcp, nil, nil)
            // Not inherited by the servers and tools other tests start meanwhile.
            if client >= 0 { _ = fcntl(client, F_SETFD, FD_CLOEXEC) }
            if client >= 0, lock.withLock({ stopped }) {
                close(client)
                return
            }
            if client < 0 {
                if lock.withLock({ stopped }) { return }
                continue
            }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        while let header = read(client, 2), let request = read(client, Int(header[0]) << 8 | Int(header[1])) {
            record(request, true)
            guard let reply = handler(request, true) else { return }
            let framed = [UInt8(reply.count >> 8), UInt8(reply.count & 0xFF)] + reply
            guard send(client, framed, framed.count, Int32(MSG_NOSIGNAL)) == framed.count else { return }
        }
    }

    private func read(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes[got...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            got += n
        }
        return bytes
    }
}
