import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// RDATA in presentation format, both ways: A, AAAA, NS, CNAME, PTR, DNAME, MX, SOA, TXT, SPF, SRV and CAA by their
/// own syntax; every other type in RFC 3597's generic form (`\# 4 0a000001`), which is also accepted for any type.
public enum RDataText {
    /// Formats RDATA. Malformed RDATA of a known type falls back to the generic form rather than failing.
    public static func format(type: DNSType, rdata: [UInt8]) -> String {
        (try? formatKnown(type: type, rdata: rdata)) ?? generic(rdata)
    }

    /// The RFC 3597 form.
    public static func generic(_ rdata: [UInt8]) -> String { GenericRData.format(rdata) }

    private static func formatKnown(type: DNSType, rdata: [UInt8]) throws(DNSWireError) -> String? {
        var reader = WireReader(rdata)
        var text: String
        switch type {
        case .a:
            guard rdata.count == 4 else { return nil }
            text = rdata.map(String.init).joined(separator: ".")
            reader.offset = 4
        case .aaaa:
            guard rdata.count == 16 else { return nil }
            var buffer = [CChar](repeating: 0, count: 64)
            let ok = rdata.withUnsafeBytes { inet_ntop(AF_INET6, $0.baseAddress, &buffer, 64) != nil }
            guard ok else { return nil }
            text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            reader.offset = 16
        case .ns, .cname, .ptr, .dname:
            text = try reader.name().description
        case .mx:
            text = "\(try reader.u16()) \(try reader.name())"
        case .soa:
            let names = "\(try reader.name()) \(try reader.name())"
            text =
                names + " "
                + (try (0..<5).map { _ throws(DNSWireError) in String(try reader.u32()) }.joined(separator: " "))
        case .srv:
            text = "\(try reader.u16()) \(try reader.u16()) \(try reader.u16()) \(try reader.name())"
        case .txt, .spf:
            var strings: [String] = []
            while reader.remaining > 0 {
                let count = Int(try reader.u8())
                strings.append("\"" + TXTPresentation.escape(try reader.bytes(count), escapingNonASCII: true) + "\"")
            }
            guard !strings.isEmpty else { return nil }
            text = strings.joined(separator: " ")
        case .caa:
            let flags = try reader.u8()
            let tagLength = Int(try reader.u8())
            guard tagLength > 0 else { return nil }
            let tag = try reader.bytes(tagLength)
            text =
                "\(flags) \(String(decoding: tag, as: UTF8.self)) \"\(TXTPresentation.escape(try reader.bytes(reader.remaining), escapingNonASCII: true))\""
        default:
            return nil
        }
        return reader.remaining == 0 ? text : nil
    }

    /// Parses presentation-format RDATA into wire form.
    /// - Throws: ``DNSWireError`` naming the type and what is wrong.
    public static func parse(type: DNSType, text: String) throws(DNSWireError) -> [UInt8] {
        let tokens = try tokenize(text)
        if GenericRData.isGeneric(tokens) {
            do {
                return try GenericRData.bytes(tokens.dropFirst())
            } catch {
                throw DNSWireError("\(type) data \(error.message)")
            }
        }
        var writer = WireWriter()
        func count(_ expected: Int) throws(DNSWireError) {
            guard tokens.count == expected else {
                throw DNSWireError("\(type) data \"\(text)\" should have \(expected) fields, not \(tokens.count)")
            }
        }
        func number<T: FixedWidthInteger>(_ index: Int, _: T.Type) throws(DNSWireError) -> T {
            guard let value = T(String(decoding: tokens[index].bytes, as: UTF8.self)) else {
                throw DNSWireError(
                    "\(type) data \"\(text)\": \"\(tokens[index].string)\" is not a number up to \(T.max)")
            }
            return value
        }
        func name(_ index: Int) throws(DNSWireError) -> DNSName { try DNSName(tokens[index].string) }
        switch type {
        case .a:
            try count(1)
            var address = in_addr()
            guard inet_pton(AF_INET, tokens[0].string, &address) == 1 else {
                throw DNSWireError("\"\(tokens[0].string)\" is not an IPv4 address")
            }
            writer.append(withUnsafeBytes(of: &address) { Array($0) })
        case .aaaa:
            try count(1)
            var address = in6_addr()
            guard inet_pton(AF_INET6, tokens[0].string, &address) == 1 else {
                throw DNSWireError("\"\(tokens[0].string)\" is not an IPv6 address")
            }
            writer.append(withUnsafeBytes(of: &address) { Array($0) })
        case .ns, .cname, .ptr, .dname:
            try count(1)
            writer.name(try name(0), compress: false)
        case .mx:
            try count(2)
            writer.u16(try number(0, UInt16.self))
            writer.name(try name(1), compress: false)
        case .soa:
            try count(7)
            writer.name(try name(0), compress: false)
            writer.name(try name(1), compress: false)
            for index in 2..<7 { writer.u32(try number(index, UInt32.self)) }
        case .srv:
            try count(4)
            for index in 0..<3 { writer.u16(try number(index, UInt16.self)) }
            writer.name(try name(3), compress: false)
        case .txt, .spf:
            guard !tokens.isEmpty else { throw DNSWireError("TXT data is empty") }
            for token in tokens {
                guard token.bytes.count <= 255 else {
                    throw DNSWireError("a TXT string is longer than 255 bytes; split it into several quoted strings")
                }
                writer.u8(UInt8(token.bytes.count))
                writer.append(token.bytes)
            }
        case .caa:
            try count(3)
            writer.u8(try number(0, UInt8.self))
            let tag = tokens[1].bytes
            guard (1...15).contains(tag.count) else { throw DNSWireError("the CAA tag must be 1 to 15 characters") }
            writer.u8(UInt8(tag.count))
            writer.append(tag)
            writer.append(tokens[2].bytes)
        default:
            throw DNSWireError("\(type) data must be given in the generic form \\# LENGTH HEX (RFC 3597)")
        }
        guard writer.bytes.count <= 65_535 else { throw DNSWireError("\(type) data is longer than 65535 bytes") }
        return writer.bytes
    }

    typealias Token = TXTPresentation.Token

    /// Splits presentation text at blanks; quoted strings keep their blanks and have `\X` and `\DDD` decoded;
    /// unquoted words keep their escapes as written (``DNSName`` decodes its own).
    static func tokenize(_ text: String) throws(DNSWireError) -> [Token] {
        do {
            return try TXTPresentation.tokens(text, decodingUnquotedEscapes: false)
        } catch {
            switch error {
            case .badEscape: throw DNSWireError("\"\(text)\" has a bad escape (a final backslash, or \\DDD above 255)")
            case .unclosedQuote: throw DNSWireError("a quote is not closed in \"\(text)\"")
            }
        }
    }
}
