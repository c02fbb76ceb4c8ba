import Foundation
import Lexicon
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Free ports on 127.0.0.1 for servers the tests start.
public enum LoopbackPorts {
    /// Ports already handed out: servers such as named bind with SO_REUSEPORT, so two of them given the same port
    /// would both start and share the traffic.
    private static let handedOut = Mutex<Set<UInt16>>([])

    /// A port that is free for both TCP and UDP right now (DNS servers need both), never the same twice in one
    /// process, and below the kernel's ephemeral range: outgoing connections and port-0 sockets never take it, so
    /// a server restarted on its port finds it free.
    public static func free() -> UInt16 {
        let range = ephemeralStart > 12_000 ? 10_000..<ephemeralStart : 40_000..<60_000
        for _ in 0..<500 {
            let port = UInt16(Int.random(in: range))
            guard bindFree(type: Int32(SOCK_STREAM.rawValue), port: port) != nil,
                bindFree(type: Int32(SOCK_DGRAM.rawValue), port: port) != nil,
                handedOut.withLock({ $0.insert(port).inserted })
            else { continue }
            return port
        }
        return UInt16.random(in: 20_000...30_000)
    }

    /// The first port the kernel hands out for outgoing connections (`ip_local_port_range`).
    private static let ephemeralStart: Int = {
        guard let bytes = try? FileIO.read("/proc/sys/net/ipv4/ip_local_port_range"),
            let first = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" }).first,
            let value = Int(first)
        else { return 32_768 }
        return min(value, 65_535)
    }()

    private static func bindFree(type: Int32, port: UInt16) -> UInt16? {
        guard let (fd, bound) = bound(type: type, port: port) else { return nil }
        close(fd)
        return bound
    }

    /// A socket bound to 127.0.0.1 on a port (0: any free one), and the port; the caller owns the socket.
    public static func bound(type: Int32, port: UInt16) -> (fd: Int32, port: UInt16)? {
        let fd = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}
