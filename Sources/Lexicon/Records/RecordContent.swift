#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Per-type validation and normalisation of record content, done before any I/O.
public enum RecordContent {
    /// The largest TXT content that fits one record's RDATA (65,535 bytes including one length byte per
    /// 255-byte string).
    public static let maximumTXTBytes = 65_535 / 256 * 255 + (65_535 % 256 - 1)

    /// Content in the form used to compare values (for propagation checks): normalised where it parses (addresses
    /// canonical, names lower case without the final dot, MX without its priority), as given otherwise.
    public static func comparable(_ content: String, type: RecordType) -> String {
        (try? normalize(type: type, content: content, requirePriority: false).content) ?? content
    }

    /// Validates and normalises the content of a record being written.
    /// - Parameters:
    ///   - type: The record type.
    ///   - content: The content as the user gave it.
    ///   - priority: The priority given separately (`--priority`), for MX.
    ///   - requirePriority: Whether an MX without any priority is an error (true for create and update).
    /// - Returns: The normalised content and priority.
    /// - Throws: ``LexiconError`` (`invalidInput` or `unsupported`) saying what is wrong.
    public static func normalize(
        type: RecordType, content: String, priority: Int? = nil, requirePriority: Bool = true
    ) throws -> (content: String, priority: Int?) {
        if type == .txt || type == "SPF" {
            let size = content.utf8.count
            if size > maximumTXTBytes {
                throw LexiconError.invalidInput(
                    "the \(type) content is \(size) bytes; at most \(maximumTXTBytes) fit in one record.")
            }
            return (content, nil)
        }
        let text = content.trimmingSpaces()
        if text.isEmpty { throw LexiconError.invalidInput("the \(type) content is empty; give --content.") }
        switch type {
        case .a:
            return (try ipv4(text), nil)
        case .aaaa:
            return (try ipv6(text), nil)
        case .cname, .ns, .ptr, "DNAME":
            return (try NameNormalizer.target(text, what: "\(type) target"), nil)
        case .mx:
            return try mx(text, priority: priority, requirePriority: requirePriority)
        case .srv:
            return (try srv(text), nil)
        case .caa:
            return (try caa(text), nil)
        case .soa:
            throw LexiconError(.unsupported, "SOA records are read-only; lexicon lists them but cannot change them.")
        default:
            // By scalar: a CR LF is one Character, equal to neither "\n" nor "\r".
            if text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
                throw LexiconError.invalidInput("the \(type) content contains a line break.")
            }
            return (try presentation(type, text), nil)
        }
    }

    /// Parses a TTL given by a user: a whole number of seconds from 0 (provider default) to 2,147,483,647.
    /// - Parameter text: The TTL text.
    /// - Returns: The TTL.
    /// - Throws: ``LexiconError`` (`invalidInput`).
    public static func ttl(_ text: String) throws -> Int {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), trimmed.count <= 10,
            let value = Int(trimmed), value <= Int(Int32.max)
        else {
            throw LexiconError.invalidInput(
                "the TTL \"\(text)\" is not a number of seconds from 0 to 2147483647; use e.g. --ttl 3600.")
        }
        return value
    }

    /// Parses a priority (MX, SRV): 0 to 65535.
    static func priority(_ text: String) throws -> Int {
        guard let value = Int(text), (0...65_535).contains(value), text.allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw LexiconError.invalidInput("the priority \"\(text)\" is not a number from 0 to 65535.")
        }
        return value
    }

    static func ipv4(_ text: String) throws -> String {
        var address = in_addr()
        guard text.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }),
            inet_pton(AF_INET, text, &address) == 1
        else {
            let hint = text.contains(":") ? " It looks like an IPv6 address: use type AAAA." : ""
            throw LexiconError.invalidInput("\"\(text)\" is not an IPv4 address (a.b.c.d).\(hint)")
        }
        return text
    }

    static func ipv6(_ text: String) throws -> String {
        var address = in6_addr()
        guard text.contains(":"), inet_pton(AF_INET6, text, &address) == 1 else {
            let hint = (try? ipv4(text)) != nil ? " It is an IPv4 address: use type A." : ""
            throw LexiconError.invalidInput("\"\(text)\" is not an IPv6 address.\(hint)")
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return text.lowercased() }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func mx(_ text: String, priority: Int?, requirePriority: Bool) throws -> (content: String, priority: Int?) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var contentPriority: Int?
        var target = text
        if fields.count == 2 {
            contentPriority = try self.priority(String(fields[0]))
            target = String(fields[1])
        } else if fields.count != 1 {
            throw LexiconError.invalidInput("the MX content \"\(text)\" should be a host name, e.g. mail.example.com.")
        }
        if let priority, let contentPriority, priority != contentPriority {
            throw LexiconError.invalidInput(
                "the MX priority is given twice (\(contentPriority) in the content, \(priority) in --priority).")
        }
        let finalPriority = priority ?? contentPriority
        if let finalPriority, !(0...65_535).contains(finalPriority) {
            throw LexiconError.invalidInput("the priority \(finalPriority) is not a number from 0 to 65535.")
        }
        if finalPriority == nil && requirePriority {
            throw LexiconError.invalidInput("an MX record needs a priority; add --priority 10 (lower is preferred).")
        }
        return (try NameNormalizer.target(target, what: "MX target"), finalPriority)
    }

    static func srv(_ text: String) throws -> String {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 4 else {
            throw LexiconError.invalidInput(
                "the SRV content \"\(text)\" should be \"priority weight port target\", e.g. \"10 5 5060 sip.example.com\"."
            )
        }
        let numbers = try fields[0..<3].map { field -> Int in
            guard let value = Int(field), (0...65_535).contains(value) else {
                throw LexiconError.invalidInput(
                    "the SRV content \"\(text)\" has \"\(field)\" where a number 0-65535 belongs.")
            }
            return value
        }
        let target = try NameNormalizer.target(fields[3], what: "SRV target")
        return "\(numbers[0]) \(numbers[1]) \(numbers[2]) \(target)"
    }

    static func caa(_ text: String) throws -> String {
        guard let firstSpace = text.firstIndex(of: " ") else {
            throw LexiconError.invalidInput("the CAA content \"\(text)\" should be like: 0 issue \"letsencrypt.org\".")
        }
        let flagsText = String(text[..<firstSpace])
        let rest = String(text[text.index(after: firstSpace)...]).trimmingSpaces()
        guard let flags = Int(flagsText), (0...255).contains(flags), let tagEnd = rest.firstIndex(of: " ") else {
            throw LexiconError.invalidInput("the CAA content \"\(text)\" should be like: 0 issue \"letsencrypt.org\".")
        }
        let tag = rest[..<tagEnd].lowercased()
        guard !tag.isEmpty, tag.count <= 15, tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw LexiconError.invalidInput("the CAA tag \"\(rest[..<tagEnd])\" should be issue, issuewild or iodef.")
        }
        var value = rest[rest.index(after: tagEnd)...].trimmingSpaces()
        if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast())
        }
        if value.unicodeScalars.contains(where: { $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            throw LexiconError.invalidInput("the CAA value \"\(value)\" cannot contain quotes or line breaks.")
        }
        return "\(flags) \(tag) \"\(value)\""
    }
}
