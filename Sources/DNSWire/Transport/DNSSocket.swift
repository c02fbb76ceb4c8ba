import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// Blocking socket exchanges with deadlines, run off the async executors by ``DNSClient``.
enum DNSSocket {
    /// Why an exchange failed.
    enum Failure: Error, Sendable {
        case timeout
        case connectionRefused
        case closed
        case system(String)
        case badAddress(String)
    }

    /// A resolved socket address.
    struct Address: @unchecked Sendable {
        var storage = sockaddr_storage()
        var length: socklen_t = 0
        var family: Int32 { Int32(storage.ss_family) }
    }

    /// Resolves a server to socket addresses (numeric addresses need no lookup).
    static func resolve(_ server: DNSServerAddress) throws(Failure) -> [Address] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(server.host, String(server.port), &hints, &result)
        guard status == 0, let first = result else {
            throw .badAddress("cannot resolve \(server.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var addresses: [Address] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            var address = Address()
            address.length = entry.pointee.ai_addrlen
            withUnsafeMutableBytes(of: &address.storage) { storage in
                storage.copyMemory(
                    from: UnsafeRawBufferPointer(start: entry.pointee.ai_addr, count: Int(entry.pointee.ai_addrlen)))
            }
            addresses.append(address)
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    /// Waits until the socket is ready for `events` or the deadline passes.
    static func wait(_ fd: Int32, _ events: Int16, until deadline: Double) throws(Failure) {
        while true {
            let left = deadline - MonotonicClock.now()
            guard left > 0 else { throw .timeout }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let result = poll(&entry, 1, Int32(min(left * 1000, 3_600_000).rounded(.up)))
            if result > 0 { return }
            if result == 0 { throw .timeout }
            if errno != EINTR { throw .system(String(cString: strerror(errno))) }
        }
    }

    static func open(_ address: Address, type: Int32) throws(Failure) -> Int32 {
        let fd = socket(address.family, type | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .system(String(cString: strerror(errno))) }
        return fd
    }

    static func connect(_ fd: Int32, _ address: Address, until deadline: Double) throws(Failure) {
        var storage = address.storage
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if result == 0 { return }
        guard errno == EINPROGRESS else {
            throw errno == ECONNREFUSED ? .connectionRefused : .system(String(cString: strerror(errno)))
        }
        try wait(fd, Int16(POLLOUT), until: deadline)
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if error == ECONNREFUSED { throw .connectionRefused }
        if error != 0 { throw .system(String(cString: strerror(error))) }
    }

    /// Sends a datagram and returns the first answer `accept` takes (others, such as strays, are ignored).
    static func udpExchange(
        _ request: [UInt8], to address: Address, timeout: Double, accept: ([UInt8]) -> Bool
    ) throws(Failure) -> [UInt8] {
        let deadline = MonotonicClock.now() + timeout
        let fd = try open(address, type: Int32(SOCK_DGRAM.rawValue))
        defer { close(fd) }
        try connect(fd, address, until: deadline)
        guard send(fd, request, request.count, 0) == request.count else {
            throw errno == ECONNREFUSED ? .connectionRefused : .system(String(cString: strerror(errno)))
        }
        var buffer = [UInt8](repeating: 0, count: 65_535)
        while true {
            try wait(fd, Int16(POLLIN), until: deadline)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw errno == ECONNREFUSED ? .connectionRefused : .system(String(cString: strerror(errno)))
            }
            let answer = Array(buffer[..<count])
            if accept(answer) { return answer }
        }
    }

    /// A TCP connection carrying length-prefixed DNS messages.
    final class TCPConnection {
        let fd: Int32
        let deadline: Double

        init(to address: Address, timeout: Double) throws(Failure) {
            deadline = MonotonicClock.now() + timeout
            fd = try DNSSocket.open(address, type: Int32(SOCK_STREAM.rawValue))
            // Every stored property is set, so a throw from here on runs deinit, which closes the socket: closing
            // it here too would close whatever descriptor reused its number meanwhile.
            try DNSSocket.connect(fd, address, until: deadline)
        }

        deinit { close(fd) }

        func send(_ message: [UInt8]) throws(Failure) {
            let framed = [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
            var sent = 0
            while sent < framed.count {
                try DNSSocket.wait(fd, Int16(POLLOUT), until: deadline)
                let count = framed[sent...].withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if count < 0 {
                    if errno == EAGAIN || errno == EINTR { continue }
                    throw .system(String(cString: strerror(errno)))
                }
                sent += count
            }
        }

        func receive() throws(Failure) -> [UInt8] {
            let header = try read(2)
            return try read(Int(header[0]) << 8 | Int(header[1]))
        }

        private func read(_ wanted: Int) throws(Failure) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: wanted)
            var got = 0
            while got < wanted {
                try DNSSocket.wait(fd, Int16(POLLIN), until: deadline)
                let count = bytes[got...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count == 0 { throw .closed }
                if count < 0 {
                    if errno == EAGAIN || errno == EINTR { continue }
                    throw errno == ECONNRESET ? .closed : .system(String(cString: strerror(errno)))
                }
                got += count
            }
            return bytes
        }
    }
}
