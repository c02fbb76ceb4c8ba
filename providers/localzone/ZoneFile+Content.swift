import Lexicon

extension ZoneFile {
    /// Converts a record's RDATA tokens into contract content (and MX priority).
    static func content(
        type: RecordType, rdata: [ZoneToken], origin: String, fail: (String) -> ZoneFileSyntaxError
    ) throws(ZoneFileSyntaxError) -> (content: String, priority: Int?) {
        func count(_ expected: Int) throws(ZoneFileSyntaxError) {
            guard rdata.count == expected else {
                throw fail(
                    "\(Plural.article(type.rawValue)) record takes \(expected) field\(expected == 1 ? "" : "s"), found \(rdata.count)."
                )
            }
        }
        func number(_ token: ZoneToken, max: Int = 65_535) throws(ZoneFileSyntaxError) -> Int {
            guard let value = Int(token.text), (0...max).contains(value) else {
                throw fail("\"\(token.text)\" should be a number from 0 to \(max).")
            }
            return value
        }
        func name(_ token: ZoneToken) throws(ZoneFileSyntaxError) -> String {
            let absolute = try ZoneFile.name(token, origin: origin, fail: fail)
            return token.text == "." ? "." : absolute
        }
        switch type {
        case .txt, "SPF":
            var bytes: [UInt8] = []
            for token in rdata {
                let part = token.quoted ? token.bytes : try decodeEscapes(token.bytes, fail: fail)
                guard part.count <= 255 else {
                    throw fail("a TXT string is longer than 255 bytes; split it in quotes.")
                }
                bytes += part
            }
            return (String(decoding: bytes, as: UTF8.self), nil)
        case .a, .aaaa:
            try count(1)
            do {
                return (try RecordContent.normalize(type: type, content: rdata[0].text).content, nil)
            } catch {
                throw fail("\"\(rdata[0].text)\" is not a valid \(type) address.")
            }
        case .cname, .ns, .ptr, "DNAME":
            try count(1)
            return (try name(rdata[0]), nil)
        case .mx:
            try count(2)
            return (try name(rdata[1]), try number(rdata[0]))
        case .srv:
            try count(4)
            let numbers = try [number(rdata[0]), number(rdata[1]), number(rdata[2])]
            return ("\(numbers[0]) \(numbers[1]) \(numbers[2]) \(try name(rdata[3]))", nil)
        case .caa:
            try count(3)
            // The tag is letters and digits, the value any text but a quote or a line break, as lexicon writes them.
            let tag = rdata[1].text.lowercased()
            guard !rdata[1].quoted, (1...15).contains(tag.utf8.count),
                tag.utf8.allSatisfy({ (48...57).contains($0) || (97...122).contains($0) })
            else { throw fail("the CAA tag \"\(rdata[1].text)\" should be letters and digits, e.g. issue.") }
            let value = rdata[2].quoted ? rdata[2].bytes : try decodeEscapes(rdata[2].bytes, fail: fail)
            guard !value.contains(where: { $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
                throw fail("a CAA value cannot hold a quote or a line break.")
            }
            let text = String(decoding: value, as: UTF8.self)
            return ("\(try number(rdata[0], max: 255)) \(tag) \"\(text)\"", nil)
        case .soa:
            try count(7)
            var numbers: [String] = []
            for (offset, token) in rdata[2...].enumerated() {
                guard let value = (offset == 0 ? UInt32(token.text).map(Int.init) : ttlValue(token.text)) else {
                    throw fail("the SOA field \"\(token.text)\" is not a number.")
                }
                numbers.append(String(value))
            }
            return (([try name(rdata[0]), try name(rdata[1])] + numbers).joined(separator: " "), nil)
        default:
            var text = ""
            for (index, token) in rdata.enumerated() {
                // A quoted value right after `key=` (SVCB `alpn="h2,h3"`) belongs to that word.
                let joined =
                    index > 0 && token.quoted && !rdata[index - 1].quoted && rdata[index - 1].text.hasSuffix("=")
                if index > 0 && !joined { text += " " }
                text += token.quoted ? "\"" + TXTPresentation.escape(token.bytes) + "\"" : token.text
            }
            return (text, nil)
        }
    }

    /// Decodes the `\X` and `\DDD` escapes of an unquoted token, by the rule quoted strings follow.
    static func decodeEscapes(
        _ bytes: [UInt8], fail: (String) -> ZoneFileSyntaxError
    ) throws(ZoneFileSyntaxError) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                index = try ZoneFileLexer.decodeEscape(bytes, at: index, into: &output, fail: fail)
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
