import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Free ports on 127.0.0.1 for servers the tests start.
public enum LoopbackPorts {
    /// A port that is free for both TCP and UDP right now (DNS servers need both).
    public static func free() -> UInt16 {
        for _ in 0..<50 {
            guard let port = bindFree(type: Int32(SOCK_STREAM.rawValue), port: 0) else { continue }
            if bindFree(type: Int32(SOCK_DGRAM.rawValue), port: port) != nil { return port }
        }
        return UInt16.random(in: 20_000...60_000)
    }

    private static func bindFree(type: Int32, port: UInt16) -> UInt16? {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
