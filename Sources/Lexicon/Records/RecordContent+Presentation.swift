/// Content of the types beyond the common ones, checked field by field in their presentation syntax (the syntax a
/// zone file, PowerDNS and the hosted APIs take) and returned with single blanks, names as FQDNs with their dot,
/// strings quoted; a type without a syntax of its own takes RFC 3597's `\# LENGTH HEX`.
extension RecordContent {
    /// The types whose content is checked in their own presentation syntax; any other type's content must be in
    /// the generic form.
    public static let presentationTypes: Set<RecordType> = [
        .a, .aaaa, .cname, .mx, .ns, .soa, .txt, .srv, .caa, .ptr, .loc, "SPF", "DNAME", "NAPTR", "SSHFP", "TLSA",
        "SMIMEA", "DS", "CDS", "DNSKEY", "CDNSKEY", "OPENPGPKEY", "HTTPS", "SVCB", "URI", "HINFO", "RP", "AFSDB",
    ]

    /// Why lexicon writes no record of a type, or nil when it does: a type known by name whose syntax it does not
    /// check (DNS servers check the data of the types they know, so a wrong value would break the zone), or a type
    /// it knows no syntax for at a provider that cannot take generic data.
    /// - Parameter genericTypes: Whether the provider takes RFC 3597 generic data.
    public static func writeRefusal(_ type: RecordType, genericTypes: Bool = true) -> String? {
        if presentationTypes.contains(type) { return nil }
        if RecordType.codes[type.rawValue] != nil {
            return "lexicon does not write \(type) records: it cannot check their data, and servers refuse a wrong "
                + "one. It writes "
                + presentationTypes.filter { $0 != .soa }.map(\.rawValue).sorted().joined(separator: ", ")
                + ", and TYPEnnn of unnamed types with \\# LENGTH HEX."
        }
        if !genericTypes {
            return "cannot write \(type) records: it takes only the types its API names; RFC 3597 generic data "
                + "needs localzone, rfc2136 or powerdns."
        }
        return nil
    }

    /// The checked presentation form of content of a type other than the common ones.
    static func presentation(_ type: RecordType, _ text: String) throws -> String {
        if let refusal = writeRefusal(type) { throw LexiconError(.unsupported, refusal) }
        let tokens: [TXTPresentation.Token]
        do {
            tokens = try TXTPresentation.tokens(text, decodingUnquotedEscapes: false)
        } catch {
            throw LexiconError.invalidInput(
                "the \(type) content \"\(text)\" has an unclosed quote or a bad escape (a final \\, or \\DDD above 255)."
            )
        }
        if !presentationTypes.contains(type) || GenericRData.isGeneric(tokens) {
            guard GenericRData.isGeneric(tokens) else {
                throw LexiconError.invalidInput(
                    "\(type) content must be in RFC 3597's generic form \\# LENGTH HEX, e.g. --content '\\# 2 abcd'.")
            }
            guard presentationTypes.contains(type) == false else {
                throw LexiconError.invalidInput(
                    "give the \(type) content in its own syntax, not the generic \\# form (not every provider takes it)."
                )
            }
            do {
                return GenericRData.format(try GenericRData.bytes(tokens.dropFirst()))
            } catch {
                throw LexiconError.invalidInput("the \(type) data \(error.message), e.g. --content '\\# 2 abcd'.")
            }
        }
        var fields = PresentationFields(type: type, text: text, tokens: tokens)
        switch type {
        case .loc:
            return try LOCContent.check(text, tokens: tokens)
        case "NAPTR":
            let parts = [
                try fields.number(max: 65_535), try fields.number(max: 65_535), try fields.string(),
                try fields.string(),
                try fields.string(), try fields.name(),
            ]
            try fields.end(expecting: "order preference \"flags\" \"service\" \"regexp\" replacement")
            return parts.joined(separator: " ")
        case "SSHFP":
            let parts = [try fields.number(max: 255), try fields.number(max: 255)]
            return (parts + [try fields.hex(digest: parts[1], lengths: ["1": 20, "2": 32])]).joined(separator: " ")
        case "TLSA", "SMIMEA":
            let parts = [try fields.number(max: 255), try fields.number(max: 255), try fields.number(max: 255)]
            return (parts + [try fields.hex(digest: parts[2], lengths: ["1": 32, "2": 64])]).joined(separator: " ")
        case "DS", "CDS":
            let parts = [try fields.number(max: 65_535), try fields.number(max: 255), try fields.number(max: 255)]
            let digest = try fields.hex(digest: parts[2], lengths: ["1": 20, "2": 32, "3": 32, "4": 48])
            return (parts + [digest]).joined(separator: " ")
        case "DNSKEY", "CDNSKEY":
            return [
                try fields.number(max: 65_535), try fields.number(max: 255), try fields.number(max: 255),
                try fields.base64(),
            ].joined(separator: " ")
        case "OPENPGPKEY":
            return try fields.base64()
        case "URI":
            let parts = [try fields.number(max: 65_535), try fields.number(max: 65_535), try fields.string()]
            try fields.end(expecting: "priority weight \"target\"")
            guard parts[2] != "\"\"" else { throw fields.wrong("has an empty target") }
            return parts.joined(separator: " ")
        case "HINFO":
            let parts = [try fields.string(), try fields.string()]
            try fields.end(expecting: "\"cpu\" \"os\"")
            return parts.joined(separator: " ")
        case "RP":
            let parts = [try fields.name(), try fields.name()]
            try fields.end(expecting: "mailbox-name text-name")
            return parts.joined(separator: " ")
        case "AFSDB":
            let parts = [try fields.number(max: 65_535), try fields.name()]
            try fields.end(expecting: "subtype hostname")
            return parts.joined(separator: " ")
        default:  // HTTPS, SVCB
            let priority = try fields.number(max: 65_535)
            let target = try fields.name()
            let parameters = try fields.serviceParameters()
            if priority == "0" && !parameters.isEmpty {
                throw fields.wrong("has priority 0 (alias mode), which takes no parameters")
            }
            return ([priority, target] + parameters).joined(separator: " ")
        }
    }
}

/// The fields of presentation content, taken one at a time with a check each.
struct PresentationFields {
    let type: RecordType
    let text: String
    var tokens: ArraySlice<TXTPresentation.Token>

    init(type: RecordType, text: String, tokens: [TXTPresentation.Token]) {
        self.type = type
        self.text = text
        self.tokens = tokens[...]
    }

    func wrong(_ what: String) -> LexiconError {
        LexiconError.invalidInput("the \(type) content \"\(text)\" \(what).")
    }

    private mutating func next(_ what: String) throws -> TXTPresentation.Token {
        guard let token = tokens.popFirst() else { throw wrong("lacks its \(what)") }
        return token
    }

    mutating func number(max: Int) throws -> String {
        let token = try next("numbers")
        guard !token.quoted, token.bytes.count <= 10, token.bytes.allSatisfy({ (48...57).contains($0) }),
            let value = Int(token.string), value <= max
        else { throw wrong("has \"\(token.string)\" where a number from 0 to \(max) belongs") }
        return String(value)
    }

    mutating func string() throws -> String {
        let token = try next("text fields")
        guard token.bytes.count <= 255 else { throw wrong("has a text field longer than 255 bytes") }
        return "\"" + TXTPresentation.escape(token.bytes) + "\""
    }

    mutating func name() throws -> String {
        let token = try next("names")
        guard !token.quoted else { throw wrong("has a quoted name") }
        return RecordPresentation.fqdn(try NameNormalizer.target(token.string, what: "\(type) name"))
    }

    /// The remaining fields joined: hexadecimal, an even number of digits; as many bytes as the digest type
    /// (a number field before) makes, when it is one of `lengths`.
    mutating func hex(digest: String, lengths: [String: Int]) throws -> String {
        let digits = try rest("hexadecimal data").lowercased()
        guard digits.count % 2 == 0, digits.utf8.allSatisfy({ GenericRData.hexValue($0) != nil }) else {
            throw wrong("has data that is not an even number of hexadecimal digits")
        }
        if let bytes = lengths[digest], digits.count != bytes * 2 {
            throw wrong("has a digest of \(digits.count / 2) bytes; digest type \(digest) has \(bytes)")
        }
        return digits
    }

    /// The remaining fields joined: Base64 (RFC 4648, padded).
    mutating func base64() throws -> String {
        let data = try rest("Base64 data")
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let body = data.utf8.prefix { $0 != UInt8(ascii: "=") }
        let padding = data.utf8.count - body.count
        guard data.utf8.count % 4 == 0, padding <= 2, body.allSatisfy(alphabet.contains),
            data.utf8.suffix(padding).allSatisfy({ $0 == UInt8(ascii: "=") })
        else { throw wrong("has data that is not Base64") }
        return data
    }

    /// SVCB/HTTPS parameters: `key=value` or `key`, keys by name or `keyNNNNN`, each at most once; values hold no
    /// blank, quote, backslash, `;`, parenthesis or control character, and are written unquoted for named keys (`alpn="h2,h3"` is `alpn=h2,h3`) and
    /// quoted for numbered ones (`key65000="abc"`), as BIND and PowerDNS print them.
    mutating func serviceParameters() throws -> [String] {
        // The named keys, in the order of their numbers (key0 is mandatory, key3 is port, …).
        let named = ["mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint", "dohpath", "ohttp"]
        let names = Set(named)
        var seen: Set<String> = []
        var result: [String] = []
        while let token = tokens.popFirst() {
            let word = token.string
            let key = String(word.prefix { $0 != "=" }).lowercased()
            let numbered =
                key.hasPrefix("key") && key.count > 3 && key.dropFirst(3).allSatisfy(\.isASCIIDigit)
                && Int(key.dropFirst(3)).map { $0 <= 65_535 } == true
            guard !token.quoted, names.contains(key) || numbered else {
                throw wrong("has \"\(word)\" where a parameter (alpn=h2, port=443, ipv4hint=…) belongs")
            }
            if numbered, let number = Int(key.dropFirst(3)), number < named.count {
                throw wrong("names \(key) by number; write it as \(named[number])")
            }
            guard seen.insert(key).inserted else { throw wrong("gives the parameter \(key) twice") }
            guard word.contains("=") else {
                result.append(key)
                continue
            }
            var value = String(word.drop { $0 != "=" }.dropFirst())
            if value.isEmpty, let quoted = tokens.first, quoted.quoted {
                value = quoted.string
                tokens.removeFirst()
            } else if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            // Nor `;` or parentheses, which start a comment or join lines in a zone file where values go unquoted, nor
            // control characters, which a zone file holds only escaped.
            // By scalar: a quote followed by a combining mark is one Character, equal to no quote.
            let forbidden = " \t\"\\;()".unicodeScalars
            guard !value.isEmpty,
                !value.unicodeScalars.contains(where: { forbidden.contains($0) || $0.value < 32 || $0.value == 127 })
            else {
                throw wrong(
                    "has a value for \(key) that is empty or holds a blank, quote, backslash, ; or parenthesis, or a "
                        + "control character")
            }
            // Values of keys without a name are written quoted, as BIND and PowerDNS print them.
            result.append(key + "=" + (numbered ? "\"" + value + "\"" : value))
        }
        // In the order of the keys' numbers, as RFC 9460 §2.2 has them on the wire and BIND prints them.
        func number(_ parameter: String) -> Int {
            let key = String(parameter.prefix { $0 != "=" })
            return named.firstIndex(of: key) ?? Int(key.dropFirst(3)) ?? Int.max
        }
        return result.enumerated().sorted { (number($0.element), $0.offset) < (number($1.element), $1.offset) }.map(
            \.element)
    }

    mutating func end(expecting form: String) throws {
        guard tokens.isEmpty else { throw wrong("has too many fields; the form is: \(form)") }
    }

    private mutating func rest(_ what: String) throws -> String {
        guard !tokens.isEmpty, tokens.allSatisfy({ !$0.quoted }) else { throw wrong("lacks its \(what)") }
        defer { tokens = [] }
        return tokens.map(\.string).joined()
    }
}
