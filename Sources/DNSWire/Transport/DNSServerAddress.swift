import Lexicon

/// A DNS server to talk to: `HOST`, `HOST:PORT`, `[IPV6]:PORT` or a bare IPv6 address; port 53 by default.
public struct DNSServerAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address.
    public var host: String
    /// The port.
    public var port: UInt16

    /// Creates an address.
    public init(host: String, port: UInt16 = 53) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST`, `HOST:PORT`, `[V6]:PORT`, `[V6]` or a bare IPv6 address.
    /// - Throws: ``DNSWireError`` with the expected forms.
    public init(parsing text: String) throws(DNSWireError) {
        let usage = "give HOST, HOST:PORT or [IPV6]:PORT"
        let trimmed = text.trimmingBlanks()
        guard !trimmed.isEmpty else { throw DNSWireError("the DNS server is empty; \(usage)") }
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else {
                throw DNSWireError("\"\(text)\" has no closing ]; \(usage)")
            }
            host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            if rest.isEmpty {
                port = 53
            } else {
                guard rest.hasPrefix(":"), let value = UInt16(rest.dropFirst()), value > 0 else {
                    throw DNSWireError("\"\(text)\" has a bad port; \(usage)")
                }
                port = value
            }
        } else if trimmed.filter({ $0 == ":" }).count > 1 {
            host = trimmed
            port = 53
        } else if let colon = trimmed.firstIndex(of: ":") {
            host = String(trimmed[..<colon])
            guard let value = UInt16(trimmed[trimmed.index(after: colon)...]), value > 0 else {
                throw DNSWireError("\"\(text)\" has a bad port (1-65535); \(usage)")
            }
            port = value
        } else {
            host = trimmed
            port = 53
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }) else {
            throw DNSWireError("\"\(text)\" is not a server; \(usage)")
        }
    }

    /// Parses a comma-separated list of servers (`--ddns-server`, `--nameserver`, `LEXICON_PROPAGATION_NAMESERVERS`).
    /// - Parameters:
    ///   - text: `HOST[:PORT],[V6]:PORT,…`.
    ///   - code: The error category for a bad entry.
    ///   - setting: The flag or variable, for the message.
    /// - Throws: ``LexiconError`` naming the setting and the bad entry.
    public static func list(parsing text: String, code: LexiconError.Code, setting: String) throws -> [DNSServerAddress]
    {
        var servers: [DNSServerAddress] = []
        for part in text.split(separator: ",") {
            do {
                servers.append(try DNSServerAddress(parsing: String(part)))
            } catch {
                throw LexiconError(code, "\(setting): \(error.message).")
            }
        }
        if servers.isEmpty && !text.trimmingBlanks().isEmpty {
            throw LexiconError(code, "\(setting): no server in \"\(text)\"; give HOST, HOST:PORT or [IPV6]:PORT.")
        }
        return servers
    }

    public var description: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return port == 53 ? shown : "\(shown):\(port)"
    }
}

extension String {
    func trimmingBlanks() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
