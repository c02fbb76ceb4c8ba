import Foundation
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
    /// process.
    public static func free() -> UInt16 {
        for _ in 0..<200 {
            guard let port = bindFree(type: Int32(SOCK_STREAM.rawValue), port: 0),
                bindFree(type: Int32(SOCK_DGRAM.rawValue), port: port) != nil,
                handedOut.withLock({ $0.insert(port).inserted })
            else { continue }
            return port
        }
        return UInt16.random(in: 20_000...60_000)
    }

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
