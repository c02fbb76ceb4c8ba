import DNSWire
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
            return (textContent(bytes), nil)
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
            let names = nameFields(type: type, rdata: rdata)
            var text = ""
            for (index, token) in rdata.enumerated() {
                if names.contains(index) {
                    text += (index > 0 ? " " : "") + RecordPresentation.fqdn(try name(token))
                    continue
                }
                // A quoted value right after `key=` (SVCB `alpn="h2,h3"`) belongs to that word.
                let joined =
                    index > 0 && token.quoted && !rdata[index - 1].quoted && rdata[index - 1].text.hasSuffix("=")
                if index > 0 && !joined { text += " " }
                text += token.quoted ? "\"" + TXTPresentation.escape(token.bytes) + "\"" : token.text
            }
            // The types the record contract checks keep the contract's form, so listed and written content agree; data
            // that does not parse is an error, as in BIND.
            let generic = rdata.first.map { !$0.quoted && $0.text == "\\#" } ?? false
            if RecordContent.presentationTypes.contains(type) && !generic {
                do {
                    return (try RecordContent.normalize(type: type, content: text, requirePriority: false).content, nil)
                } catch let error as LexiconError {
                    throw fail(error.message)
                } catch {
                    throw fail("the \(type) data \"\(text)\" does not parse.")
                }
            }
            if !generic, let reason = malformed(type: type, rdata: rdata) { throw fail(reason) }
            return (text, nil)
        }
    }

    /// Why the data of a type the record contract does not check is malformed, for the types whose syntax is simple
    /// enough to check here; nil when it is fine or not checked.
    static func malformed(type: RecordType, rdata: [ZoneToken]) -> String? {
        func hex(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy(\.isHexDigit) }
        let words = rdata.map(\.text)
        switch type.rawValue {
        case "EUI48", "EUI64":
            let groups = words.first?.split(separator: "-", omittingEmptySubsequences: false) ?? []
            let count = type == "EUI48" ? 6 : 8
            guard words.count == 1, groups.count == count, groups.allSatisfy({ $0.count == 2 && hex(String($0)) })
            else {
                return "the \(type) address \"\(words.joined(separator: " "))\" is not \(count) hexadecimal pairs "
                    + "joined by -."
            }
        case "NSAP":
            let digits = words.joined().lowercased()
            let body = digits.dropFirst(2).filter { $0 != "." }
            guard digits.hasPrefix("0x"), !body.isEmpty, body.count % 2 == 0, hex(String(body)) else {
                return "the NSAP address \"\(words.joined(separator: " "))\" is not 0x and an even number of "
                    + "hexadecimal digits."
            }
        case "NSEC3":
            let base32hex = Set("0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUV".utf8)
            guard words.count >= 5, words[0...2].allSatisfy({ UInt16($0) != nil }),
                words[3] == "-" || (words[3].count % 2 == 0 && hex(words[3])),
                words[4].utf8.allSatisfy(base32hex.contains)
            else { return "the NSEC3 data \"\(words.joined(separator: " "))\" does not parse." }
        default:
            break
        }
        return nil
    }

    /// Which RDATA fields of a type are domain names, made absolute with the origin as BIND does (RFC 3597 §4 and
    /// each type's RFC); none in the generic `\#` form.
    static func nameFields(type: RecordType, rdata: [ZoneToken]) -> Set<Int> {
        if rdata.first.map({ !$0.quoted && $0.text == "\\#" }) == true { return [] }
        let fields: Set<Int>
        switch type.rawValue {
        case "MB", "MG", "MR", "MD", "MF", "NSAP-PTR", "NSEC", "NXT": fields = [0]
        case "MINFO", "RP", "TALINK": fields = [0, 1]
        case "RT", "AFSDB", "KX", "LP", "SVCB", "HTTPS": fields = [1]
        case "PX": fields = [1, 2]
        case "NAPTR": fields = [5]
        case "RRSIG", "SIG": fields = [7]
        case "A6": fields = [2]
        case "IPSECKEY": fields = rdata.count > 3 && rdata[1].text == "3" ? [3] : []
        case "AMTRELAY": fields = rdata.count > 3 && rdata[2].text == "3" ? [3] : []
        case "HIP": fields = Set(3..<max(3, rdata.count))
        default: fields = []
        }
        return fields.filter { $0 < rdata.count && !rdata[$0].quoted }
    }

    /// TXT bytes as contract content: the text when the bytes are UTF-8; otherwise `\DDD` for every byte above 127
    /// and `\\` for a backslash, as presentation format has them, so no byte is lost to U+FFFD.
    static func textContent(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return TXTPresentation.escape(bytes, escapingNonASCII: true)
    }

    /// The TXT bytes of RDATA tokens (quoted strings as read, unquoted words with their escapes decoded).
    static func textBytes(_ rdata: [ZoneToken]) -> [UInt8] {
        rdata.flatMap { token in
            token.quoted
                ? token.bytes
                : (try? decodeEscapes(token.bytes) { ZoneFileSyntaxError(file: "", line: 0, message: $0) }) ?? []
        }
    }

    /// RDATA in RFC 3597's generic form (`\# 4 0A000001`) turned into the type's own presentation form where lexicon
    /// knows it (A, AAAA, NS, CNAME, PTR, DNAME, MX, SOA, TXT, SPF, SRV, CAA), as BIND reads it; other RDATA as it is.
    static func presentationForm(
        type: RecordType, rdata: [ZoneToken], file: String, fail: (String) -> ZoneFileSyntaxError
    ) throws(ZoneFileSyntaxError) -> [ZoneToken] {
        guard let first = rdata.first, !first.quoted, first.text == "\\#", let code = type.code else { return rdata }
        guard rdata.allSatisfy({ !$0.quoted }),
            let words = try? TXTPresentation.tokens(
                rdata.dropFirst().map(\.text).joined(separator: " "), decodingUnquotedEscapes: false)
        else { throw fail("the \(type) data in the generic form is \\# LENGTH HEX, without quotes.") }
        let bytes: [UInt8]
        do {
            bytes = try GenericRData.bytes(words)
        } catch {
            throw fail("the \(type) data \(error.message).")
        }
        // Unknown types keep the generic form, in lower case as lexicon writes it.
        let text = RDataText.format(type: DNSType(rawValue: code), rdata: bytes)
        if text.hasPrefix("\\#") && RecordContent.presentationTypes.contains(type) { return rdata }
        let line = first.line
        let tokens = try ZoneFileLexer.logicalLines([Array(text.utf8)], file: file).first?.tokens ?? []
        // The tokens stand where the generic data stood, for messages and edits.
        return tokens.map {
            ZoneToken(bytes: $0.bytes, quoted: $0.quoted, line: line, start: first.start, end: first.end)
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
