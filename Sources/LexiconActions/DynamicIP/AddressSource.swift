import DNSWire
import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// Where this host's public address is learned: a web echo service, a DNS name that answers with the asker's
/// address, a local interface, the routing table (the source address toward the Internet), or a command.
public enum AddressSource: Sendable, Hashable, CustomStringConvertible {
    case web(String)
    case dns(name: String, server: String, type: String)
    case interface(String)
    case route
    case command(String)

    /// Parses `web:URL`, `dns:NAME@SERVER[:PORT]`, `iface:IFNAME`, `route` or `cmd:COMMAND`.
    /// - Throws: ``LexiconError`` `usage` naming the accepted forms.
    public init(parsing text: String) throws {
        let forms = "web:URL, dns:NAME@SERVER[:PORT], iface:IFNAME, route or cmd:COMMAND"
        if text == "route" || text.hasPrefix("route ") {
            self = .route
        } else if text.hasPrefix("web:") {
            self = .web(String(text.dropFirst(4)))
        } else if text.hasPrefix("iface:"), text.count > 6 {
            self = .interface(String(text.dropFirst(6)))
        } else if text.hasPrefix("cmd:"), text.count > 4 {
            self = .command(String(text.dropFirst(4)))
        } else if text.hasPrefix("dns:"), let at = text.lastIndex(of: "@") {
            let name = String(text[text.index(text.startIndex, offsetBy: 4)..<at])
            // Names that answer with a TXT record of the asker's address.
            var type = name.hasPrefix("o-o.myaddr") || name.hasPrefix("whoami.cloudflare") ? "TXT" : "A"
            var bare = name
            if let slash = name.firstIndex(of: "/") {
                type = String(name[name.index(after: slash)...]).uppercased()
                bare = String(name[..<slash])
            }
            self = .dns(name: bare, server: String(text[text.index(after: at)...]), type: type)
        } else {
            throw LexiconError(.usage, "--detect \"\(text)\" is not a source; use \(forms).")
        }
    }

    public var description: String {
        switch self {
        case .web(let url): return "web:\(url)"
        case .dns(let name, let server, _): return "dns:\(name)@\(server)"
        case .interface(let name): return "iface:\(name)"
        case .route: return "route"
        case .command(let command): return "cmd:\(command)"
        }
    }

    /// The default web echo services for a family (three, so two can outvote one that lies).
    public static func defaults(_ family: IPAddress.Family) -> [AddressSource] {
        family == .v4
            ? [.web("https://api.ipify.org"), .web("https://ipv4.icanhazip.com"), .web("https://ifconfig.co/ip")]
            : [.web("https://api6.ipify.org"), .web("https://ipv6.icanhazip.com"), .web("https://v6.ident.me")]
    }

    /// Asks the source once.
    /// - Returns: The address it reports for the family.
    /// - Throws: ``LexiconError`` saying what the source answered instead.
    func detect(_ family: IPAddress.Family, timeout: Double, logger: LexiconLogger) async throws -> IPAddress {
        switch self {
        case .web(let spec):
            // `web:URL re:PATTERN` takes the first capture (or the whole match) of PATTERN in the answer.
            let parts = spec.components(" re:")
            let url = parts[0]
            let transport = CurlTransport(
                configuration: .init(connectTimeout: timeout, totalTimeout: timeout, retry: .none), logger: logger)
            let response = try await transport.send(
                HTTPRequest(url: url, headers: [HTTPHeader("Accept", "text/plain, application/json")]))
            guard response.status == 200 else { throw LexiconError(.network, "HTTP \(response.status)") }
            var text = String(response.text.prefix(4096))
            if parts.count > 1 {
                guard let regex = try? Regex(parts[1]) else {
                    throw LexiconError(.usage, "the pattern \"\(parts[1])\" is not a regular expression")
                }
                guard let match = text.firstMatch(of: regex) else {
                    throw LexiconError(.network, "the answer does not match \"\(parts[1])\"")
                }
                text =
                    match.output.count > 1
                    ? match.output[1].substring.map(String.init) ?? "" : String(match.output[0].substring ?? "")
            }
            return try first(in: text, family)
        case .dns(let name, let server, let type):
            let address = try DNSServerAddress(parsing: server)
            let dnsType = DNSType(mnemonic: type) ?? family.recordType.dnsType
            var query = DNSMessage.query(try DNSName(name), dnsType)
            if name.hasSuffix("cloudflare") { query.questions[0].dnsClass = 3 }  // whoami.cloudflare is CH TXT.
            let answer = try await DNSClient(servers: [address], timeout: timeout, rounds: 1, logger: logger).exchange(
                query)
            return try first(in: answer.answers.map(\.rdataText).joined(separator: " "), family)
        case .interface(let name):
            return try first(
                in: Self.interfaceAddresses(name, family).map(\.description).joined(separator: " "), family)
        case .route:
            return try Self.routeSource(family)
        case .command(let command):
            return try first(in: try await Self.run(command), family)
        }
    }

    private func first(in text: String, _ family: IPAddress.Family) throws -> IPAddress {
        guard let address = IPAddress.all(in: text, family: family).first else {
            let shown = text.split(whereSeparator: \.isNewline).first.map { String($0.prefix(60)) } ?? ""
            throw LexiconError(.network, "no \(family.rawValue) address in the answer \"\(shown)\"")
        }
        return address
    }

    /// An interface's global addresses: IPv6 from /proc/net/if_inet6 so temporary and deprecated addresses
    /// (privacy extensions) can be skipped, IPv4 from getifaddrs.
    static func interfaceAddresses(_ name: String, _ family: IPAddress.Family) throws -> [IPAddress] {
        if family == .v6 {
            let text = String(decoding: (try? FileIO.read("/proc/net/if_inet6")) ?? [], as: UTF8.self)
            var stable: [IPAddress] = []
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count == 6, fields[5] == name, let flags = UInt32(fields[4], radix: 16), fields[3] == "00"
                else { continue }
                let hex = Array(fields[0])
                guard hex.count == 32 else { continue }
                let groups = stride(from: 0, to: 32, by: 4).map { String(hex[$0..<$0 + 4]) }.joined(separator: ":")
                // 0x01 temporary, 0x20 deprecated: never publish those.
                if flags & 0x21 == 0, let address = IPAddress(groups) { stable.append(address) }
            }
            return stable
        }
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { throw LexiconError(.network, "cannot read interfaces") }
        defer { freeifaddrs(first) }
        var found: [IPAddress] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            if String(cString: entry.pointee.ifa_name) == name, let socket = entry.pointee.ifa_addr,
                socket.pointee.sa_family == sa_family_t(AF_INET)
            {
                var address = socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                if let parsed = IPAddress(Self.text(&address)) { found.append(parsed) }
            }
            cursor = entry.pointee.ifa_next
        }
        if found.isEmpty { throw LexiconError(.network, "interface \(name) has no \(family.rawValue) address") }
        return found
    }

    private static func text(_ address: inout in_addr) -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        inet_ntop(AF_INET, &address, &buffer, 32)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The source address the kernel picks toward a public address (a UDP connect sends no packet).
    static func routeSource(_ family: IPAddress.Family) throws -> IPAddress {
        let target = family == .v4 ? "192.0.2.1" : "2001:db8::1"
        let fd = socket(family == .v4 ? AF_INET : AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw LexiconError(.network, "cannot open a socket") }
        defer { close(fd) }
        var storage = sockaddr_storage()
        var length: socklen_t
        if family == .v4 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(53).bigEndian
            inet_pton(AF_INET, target, &address.sin_addr)
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: withUnsafeBytes(of: &address) { $0 }) }
        } else {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(53).bigEndian
            inet_pton(AF_INET6, target, &address.sin6_addr)
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: withUnsafeBytes(of: &address) { $0 }) }
        }
        let connected = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        guard connected == 0 else { throw LexiconError(.network, "no route for \(family.rawValue)") }
        var local = sockaddr_storage()
        var localLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &localLength) }
        }
        var buffer = [CChar](repeating: 0, count: 64)
        withUnsafeMutableBytes(of: &local) { raw in
            if family == .v4 {
                _ = inet_ntop(AF_INET, raw.baseAddress! + 4, &buffer, 64)
            } else {
                _ = inet_ntop(AF_INET6, raw.baseAddress! + 8, &buffer, 64)
            }
        }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let address = IPAddress(text) else {
            throw LexiconError(.network, "no \(family.rawValue) source address")
        }
        return address
    }

    /// A stable global address on the interface of a temporary or deprecated one, from /proc/net/if_inet6.
    static func stableSibling(of address: IPAddress) -> IPAddress? {
        let text = String(decoding: (try? FileIO.read("/proc/net/if_inet6")) ?? [], as: UTF8.self)
        var interface: String?
        var entries: [(IPAddress, String, UInt32)] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 6, fields[3] == "00", let flags = UInt32(fields[4], radix: 16) else { continue }
            let hex = Array(fields[0])
            guard hex.count == 32,
                let parsed = IPAddress(
                    stride(from: 0, to: 32, by: 4).map { String(hex[$0..<$0 + 4]) }.joined(separator: ":"))
            else { continue }
            entries.append((parsed, String(fields[5]), flags))
            if parsed == address {
                if flags & 0x21 == 0 { return nil }
                interface = String(fields[5])
            }
        }
        return entries.first { $0.1 == interface && $0.2 & 0x21 == 0 }?.0
    }

    /// Runs a command with /bin/sh and returns its standard output (its standard error passes through). It runs
    /// on a thread of its own: blocking a thread of the cooperative pool would hold up the other sources.
    static func run(_ command: String) async throws -> String {
        let result = try await ShellCommand(command, timeout: 10, collectsStandardError: false).run()
        guard result.succeeded else {
            throw LexiconError(.network, "the command failed (\(result.failure(timeout: 10))).")
        }
        return result.output
    }
}

extension RecordType {
    /// The DNS wire type of this record type.
    var dnsType: DNSType { DNSType(mnemonic: rawValue) ?? .a }
}

extension String {
    /// The text split at a separator (at most once).
    fileprivate func components(_ separator: String) -> [String] {
        guard let range = firstRange(of: separator) else { return [self] }
        return [String(self[..<range.lowerBound]), String(self[range.upperBound...])]
    }
}
