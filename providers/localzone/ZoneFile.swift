import DNSWire
import Lexicon

/// A parsed BIND master zone file that remembers where every record sits, so edits change only the lines they
/// must and keep comments, directives, order and formatting.
struct ZoneFile: Sendable {
    /// A record found in the file, with its place.
    struct Entry: Sendable {
        /// The logical line.
        var logical: ZoneLogicalLine
        /// The `$ORIGIN` in effect for the entry.
        var origin: String
        /// The `$TTL` in effect, if any.
        var ttlDirective: Int?
        /// The last TTL given before the entry (what a record without TTL takes when there is no `$TTL`).
        var lastTTL: Int? = nil
        /// The records a directive made (`$INCLUDE`, `$GENERATE`), by index in ``ZoneFile/records``.
        var produced: Range<Int>? = nil
        /// The index in ``ZoneFile/records`` when the entry is a record.
        var recordIndex: Int?
    }

    /// A record in contract form and where it came from.
    struct FileRecord: Sendable {
        var record: Record
        /// The file holding it (the zone file or an `$INCLUDE`d one).
        var file: String
        /// The entry index in the zone file, nil for included records.
        var entryIndex: Int?
        var ownerExplicit: Bool
        var ttlExplicit: Bool
        /// The 1-based line in its file.
        var line: Int
        /// Whether a `$GENERATE` made it (edits keep the directive as written).
        var generated = false
        /// A TXT or SPF record's bytes when they are not UTF-8 (its content has them as `\DDD`), so edits keep them.
        var rawText: [UInt8]? = nil
    }

    /// The zone file's path.
    let path: String
    /// The zone name.
    let zone: String
    /// Physical lines of the zone file, without line feeds.
    var lines: [[UInt8]]
    var endsWithNewline: Bool
    /// Logical entries of the zone file (blank lines, comments and directives included).
    var entries: [Entry] = []
    /// All records, from the zone file and its includes.
    var records: [FileRecord] = []
    /// The SOA serial's token and value.
    var serial: (token: ZoneToken, value: UInt32)?
    /// The origin at the end of the file.
    var finalOrigin: String
    /// The zone the file names itself: its SOA owner when written absolute or under a `$ORIGIN`; nil when the SOA is
    /// relative to the zone it is loaded as (`@` without `$ORIGIN`), as in BIND, where named.conf names it.
    var declaredZone: String?
    /// What BIND warns about while loading the file (`file:line: message`), as it words it.
    var warnings: [String] = []
    /// Whether some set's values are written with different TTLs (BIND gives them one, with a warning), or a value is
    /// written twice: an edit of such a file may change which TTL BIND keeps, and is then refused by its check.
    var mixedSets = false
    /// The TTL of each set, from its values read last.
    private var setTTLs: [ZoneRecordSet.Key: Int] = [:]
    /// The values read, so a value given twice is listed once.
    private var valueKeys: Set<ValueKey> = []
    /// Why BIND would refuse to load the file (`file:line: message`): listing goes on, edits are refused.
    var problems: [String] = []

    /// Parses a zone file.
    /// - Parameters:
    ///   - path: The file's path (for errors and includes).
    ///   - bytes: Its content.
    ///   - zone: The zone name, the default origin.
    /// - Throws: ``LexiconError`` `config` naming the file and line.
    init(path: String, bytes: [UInt8], zone: String) throws {
        self.path = path
        self.zone = zone
        (lines, endsWithNewline) = ZoneFileLexer.physicalLines(bytes)
        finalOrigin = zone
        var state = ParserState(origin: zone)
        do {
            try parse(lines: lines, file: path, state: &state, isMain: true, depth: 0)
        } catch {
            throw LexiconError(.config, "\(error.file):\(error.line): \(error.message) Nothing was changed.")
        }
        finalOrigin = state.origin
        unifySetTTLs()
        checkAsBIND()
    }

    /// Gives every record set one TTL, that of its values read last, as BIND's database does when it merges them.
    private mutating func unifySetTTLs() {
        for index in records.indices {
            let record = records[index].record
            if let ttl = setTTLs[ZoneRecordSet.Key(name: record.name, type: record.type)], ttl != record.ttl {
                records[index].record.ttl = ttl
                mixedSets = true
            }
        }
    }

    /// The bytes of TXT or SPF data that are not UTF-8; nil for any other data.
    static func rawText(type: RecordType, rdata: [ZoneToken]) -> [UInt8]? {
        guard type == .txt || type == "SPF" else { return nil }
        let bytes = textBytes(rdata)
        return String(validating: bytes, as: UTF8.self) == nil ? bytes : nil
    }

    /// What makes two records one value: type, name, priority and content (not the TTL).
    struct ValueKey: Hashable {
        let type: RecordType
        let name: String
        let priority: Int?
        let content: String

        init(_ record: Record) {
            (type, name, priority, content) = (record.type, record.name, record.priority, record.content)
        }
    }

    struct ParserState {
        var origin: String
        var ttlDirective: Int?
        var lastTTL: Int?
        var lastOwner: String?
        /// Whether a `$ORIGIN` of the zone file has set the origin.
        var originDeclared = false
        /// The owner of the run of consecutive records being read, and the TTL of each type in it.
        var runOwner: String?
        var runTTLs: [RecordType: Int] = [:]
        /// Whether BIND's "using RFC1035 TTL semantics" warning has been given.
        var warnedRFC1035 = false

        /// A record's TTL by BIND's rules: its own; else `$TTL`; else the last TTL given (RFC 1035, with a warning
        /// once); else, for the SOA, its minimum, which then serves as `$TTL` (with a warning); else none, which BIND
        /// refuses (3600 is used for listing).
        mutating func ttl(
            explicit: Int?, soaMinimum: Int?, warn: (String) -> Void, fail: (String) -> Void
        ) -> Int {
            if let explicit {
                lastTTL = explicit
                return explicit
            }
            if let ttlDirective { return ttlDirective }
            if let lastTTL {
                if !warnedRFC1035 { warn("using RFC1035 TTL semantics") }
                warnedRFC1035 = true
                return lastTTL
            }
            if let soaMinimum {
                warn("no TTL specified; using SOA MINTTL instead")
                ttlDirective = soaMinimum
                lastTTL = soaMinimum
                return soaMinimum
            }
            fail("no TTL specified; zone rejected (give the record a TTL, or add $TTL)")
            return 3600
        }
    }

    private mutating func parse(
        lines: [[UInt8]], file: String, state: inout ParserState, isMain: Bool, depth: Int
    ) throws(ZoneFileSyntaxError) {
        for logical in try ZoneFileLexer.logicalLines(lines, file: file) {
            let lineNumber = logical.firstLine + 1
            func fail(_ message: String) -> ZoneFileSyntaxError {
                ZoneFileSyntaxError(file: file, line: lineNumber, message: message)
            }
            var entry = Entry(
                logical: logical, origin: state.origin, ttlDirective: state.ttlDirective, lastTTL: state.lastTTL)
            defer {
                if isMain { entries.append(entry) }
            }
            guard let first = logical.tokens.first else { continue }
            if !logical.startsWithSpace && !first.quoted && first.bytes.first == UInt8(ascii: "$") {
                let before = records.count
                try directive(logical, file: file, state: &state, depth: depth, fail: fail)
                entry.origin = state.origin
                entry.produced = before..<records.count
                continue
            }
            let index = records.count
            if try record(
                logical, file: file, line: lineNumber, state: &state, isMain: isMain,
                entryIndex: isMain ? entries.count : nil, fail: fail)
            {
                entry.recordIndex = index
            }
        }
    }

    /// Reads a record entry; false when it adds no record (out of the zone, or a value read before).
    mutating func record(
        _ logical: ZoneLogicalLine, file: String, line lineNumber: Int, state: inout ParserState, isMain: Bool,
        entryIndex: Int?, generated: Bool = false, fail: (String) -> ZoneFileSyntaxError
    ) throws(ZoneFileSyntaxError) -> Bool {
        var tokens = logical.tokens[...]
        let owner: String
        let ownerExplicit = !logical.startsWithSpace
        if ownerExplicit {
            owner = try ZoneFile.name(tokens.removeFirst(), origin: state.origin, fail: fail)
        } else {
            guard let last = state.lastOwner else {
                throw fail("this record has no owner name and none comes before it.")
            }
            owner = last
        }
        var ttl: Int?
        for _ in 0..<2 {
            guard let token = tokens.first, !token.quoted else { break }
            if ttl == nil, let value = ZoneFile.ttlValue(token.text) {
                ttl = value
                tokens.removeFirst()
            } else if ZoneFile.isClass(token.text) {
                guard ["IN", "CLASS1"].contains(token.text.uppercased()) else {
                    throw fail("only class IN is supported, not \(token.text).")
                }
                tokens.removeFirst()
            }
        }
        guard let typeToken = tokens.first, !typeToken.quoted else { throw fail("the record has no type.") }
        tokens.removeFirst()
        guard var type = RecordType(token: typeToken.text), !ZoneFile.isClass(typeToken.text) else {
            throw fail("\"\(typeToken.text)\" is not a record type.")
        }
        // `TYPE1` is A, as BIND reads it.
        guard let code = type.code else { throw fail("unknown RR type '\(typeToken.text)'.") }
        if let mnemonic = RecordType.mnemonics[code] { type = RecordType(rawValue: mnemonic) }
        guard !ZoneFile.metaTypes.contains(code) else {
            throw fail("\(type) is a meta or query type; no record in a zone file can have it.")
        }
        let rdata = try ZoneFile.presentationForm(type: type, rdata: Array(tokens), file: file, fail: fail)
        guard !rdata.isEmpty else { throw fail("the \(type) record has no data.") }
        let converted = try ZoneFile.content(type: type, rdata: rdata, origin: state.origin, fail: fail)
        if type == .soa {
            if isMain && records.allSatisfy({ $0.record.type != .soa }),
                state.originDeclared || (ownerExplicit && ZoneFile.isAbsolute(logical.tokens[0].bytes))
            {
                declaredZone = owner
            }
            let fields = converted.content.split(separator: " ")
            // A serial in generic data has no token of its own to rewrite.
            if isMain && serial == nil && tokens.first?.text != "\\#", let value = UInt32(fields[2]) {
                serial = (rdata[2], value)
            }
        }
        var finalTTL = state.ttl(
            explicit: ttl, soaMinimum: type == .soa ? Int(converted.content.split(separator: " ")[6]) : nil
        ) {
            warnings.append("\(file):\(lineNumber): \($0)")
        } fail: {
            problems.append("\(file):\(lineNumber): \($0)")
        }
        state.lastOwner = owner
        // As BIND: data outside the zone is ignored with a warning, never listed or edited.
        guard NameNormalizer.isName(owner, inside: zone) else {
            warnings.append("\(file):\(lineNumber): ignoring out-of-zone data (\(owner))")
            return false
        }
        // Values of a set on consecutive lines of one owner take the first one's TTL, which becomes the last TTL.
        if state.runOwner != owner {
            state.runOwner = owner
            state.runTTLs = [:]
        }
        if let prior = state.runTTLs[type], prior != finalTTL {
            warnings.append("\(file):\(lineNumber): TTL set to prior TTL (\(prior))")
            mixedSets = true
            finalTTL = prior
            state.lastTTL = prior
        }
        state.runTTLs[type] = finalTTL
        let record = Record(
            type: type, name: owner, ttl: finalTTL, content: converted.content, priority: converted.priority)
        // A set takes the TTL of its values read last, as BIND's database merges them; a value read twice is one.
        setTTLs[ZoneRecordSet.Key(name: owner, type: type)] = finalTTL
        guard valueKeys.insert(ValueKey(record)).inserted else {
            mixedSets = true
            return false
        }
        records.append(
            FileRecord(
                record: record, file: file, entryIndex: entryIndex, ownerExplicit: ownerExplicit,
                ttlExplicit: ttl != nil, line: lineNumber, generated: generated,
                rawText: Self.rawText(type: type, rdata: rdata)))
        return true
    }

    private mutating func directive(
        _ logical: ZoneLogicalLine, file: String, state: inout ParserState, depth: Int,
        fail: (String) -> ZoneFileSyntaxError
    ) throws(ZoneFileSyntaxError) {
        let tokens = logical.tokens
        let name = tokens[0].text.uppercased()
        switch name {
        case "$ORIGIN":
            guard tokens.count == 2 else { throw fail("$ORIGIN takes one domain name.") }
            state.origin = try ZoneFile.name(tokens[1], origin: state.origin, fail: fail)
            if depth == 0 { state.originDeclared = true }
        case "$TTL":
            guard tokens.count == 2, let value = ZoneFile.ttlValue(tokens[1].text) else {
                throw fail("$TTL takes one TTL (seconds, or units such as 1h30m).")
            }
            state.ttlDirective = value
        case "$INCLUDE":
            guard tokens.count == 2 || tokens.count == 3 else {
                throw fail("$INCLUDE takes a file and an optional origin.")
            }
            guard depth < 8 else { throw fail("$INCLUDE is nested more than 8 deep.") }
            var includePath = tokens[1].text
            if !includePath.hasPrefix("/") { includePath = FileIO.parentDirectory(of: path) + "/" + includePath }
            let bytes: [UInt8]
            do {
                bytes = try FileIO.read(includePath)
            } catch {
                throw fail("cannot read the included file \(includePath).")
            }
            // As in BIND, an included file starts without a current owner (its first record names one), and the
            // origin and owner come back after it.
            var inner = state
            inner.lastOwner = nil
            inner.runOwner = nil
            if tokens.count == 3 { inner.origin = try ZoneFile.name(tokens[2], origin: state.origin, fail: fail) }
            let included = ZoneFileLexer.physicalLines(bytes).lines
            try parse(lines: included, file: includePath, state: &inner, isMain: false, depth: depth + 1)
            // BIND restores the origin and owner after the include; TTLs set in it stay in force.
            inner.origin = state.origin
            inner.lastOwner = state.lastOwner
            inner.originDeclared = state.originDeclared
            inner.runOwner = nil
            state = inner
        case "$GENERATE":
            try generate(logical, file: file, state: &state, fail: fail)
        case "$DATE":
            // BIND's dump directive: the time the zone was written, which changes nothing read.
            break
        default:
            throw fail("unknown directive \(tokens[0].text).")
        }
    }

    /// The absolute name a name token stands for; a quoted string or a name with an empty label (`a..b`, `.a`)
    /// is an error, as BIND has it (neither could be written back as it was read).
    static func name(
        _ token: ZoneToken, origin: String, fail: (String) -> ZoneFileSyntaxError
    ) throws(ZoneFileSyntaxError) -> String {
        guard !token.quoted else { throw fail("a name cannot be a quoted string (\"\(token.text)\").") }
        let bytes = token.bytes
        if bytes == [UInt8(ascii: "@")] { return origin }
        if bytes == [UInt8(ascii: ".")] { return "." }
        if let plain = plainName(bytes) {
            return plain.isAbsolute || origin == "." ? plain.text : plain.text + "." + origin
        }
        var labels: [[UInt8]] = [[]]
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                var decoded: [UInt8] = []
                index = try ZoneFileLexer.decodeEscape(bytes, at: index, into: &decoded, fail: fail)
                labels[labels.count - 1] += decoded
                continue
            }
            if bytes[index] == UInt8(ascii: ".") {
                guard !labels[labels.count - 1].isEmpty else {
                    throw fail("the name \"\(token.text)\" has an empty label.")
                }
                labels.append([])
            } else {
                labels[labels.count - 1].append(bytes[index])
            }
            index += 1
        }
        let isAbsolute = labels.last?.isEmpty == true
        if isAbsolute { labels.removeLast() }
        guard !labels.contains(where: \.isEmpty) else { throw fail("the name \"\(token.text)\" has an empty label.") }
        // As BIND prints names, in lower case: `\X` for the characters zone files give a meaning, `\DDD` for blanks,
        // control bytes and bytes above 126 (so bytes that are not UTF-8 survive).
        guard let text = try? DNSName(labels: labels).bare else {
            throw fail("the name \"\(token.text)\" has a label longer than 63 bytes or is longer than 255.")
        }
        return isAbsolute || origin == "." ? text : text + "." + origin
    }

    /// A name of letters, digits, hyphens, underscores and stars in sound labels (most owner names), in lower case
    /// without the final dot: what the escaping path makes of it, without building labels; nil for any other name.
    private static func plainName(_ bytes: [UInt8]) -> (text: String, isAbsolute: Bool)? {
        let isAbsolute = bytes.last == UInt8(ascii: ".")
        let length = bytes.count - (isAbsolute ? 1 : 0)
        guard length > 0, length < 254 else { return nil }
        var lower = [UInt8](repeating: 0, count: length)
        var label = 0
        for index in 0..<length {
            var byte = bytes[index]
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                byte |= 0x20
                label += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"),
                UInt8(ascii: "_"), UInt8(ascii: "*"):
                label += 1
            case UInt8(ascii: "."):
                guard label > 0 else { return nil }
                label = 0
            default:
                return nil
            }
            guard label <= 63 else { return nil }
            lower[index] = byte
        }
        guard label > 0 else { return nil }
        return (String(decoding: lower, as: UTF8.self), isAbsolute)
    }

    /// An absolute, lower-case name without the trailing dot from a zone-file name.
    static func absolute(_ text: String, origin: String) -> String {
        let lower = text.lowercased()
        if lower == "@" { return origin }
        if lower == "." { return "." }
        if lower.hasSuffix(".") && !isEscaped(lower.utf8.count - 1, in: Array(lower.utf8)) {
            return String(lower.dropLast())
        }
        return origin == "." || origin.isEmpty ? lower : lower + "." + origin
    }

    /// Whether a name token is absolute: it ends with a dot that no backslash escapes.
    static func isAbsolute(_ bytes: [UInt8]) -> Bool {
        bytes.last == UInt8(ascii: ".") && !isEscaped(bytes.count - 1, in: bytes)
    }

    /// Whether the byte at an index is escaped by an odd run of backslashes before it.
    static func isEscaped(_ index: Int, in bytes: [UInt8]) -> Bool {
        bytes[..<index].reversed().prefix { $0 == UInt8(ascii: "\\") }.count % 2 == 1
    }

    /// A name written relative to an origin where possible.
    static func relative(_ name: String, origin: String) -> String {
        if name == origin { return "@" }
        if origin == "." { return name + "." }
        if name.hasSuffix("." + origin) {
            // Only at a label boundary: in `a\.example.com` the dot before `example` is part of a label.
            let head = name.dropLast(origin.count + 1)
            if head.reversed().prefix(while: { $0 == "\\" }).count % 2 == 0 { return String(head) }
        }
        return name + "."
    }

    /// A TTL in seconds or BIND units (`1h30m`, `2d`); nil when the text is not a TTL.
    static func ttlValue(_ text: String) -> Int? {
        guard let first = text.utf8.first, ZoneFileLexer.isDigit(first) else { return nil }
        var total = 0
        var number = 0
        var sawDigit = false
        for byte in text.lowercased().utf8 {
            if ZoneFileLexer.isDigit(byte) {
                number = number * 10 + Int(byte - 48)
                sawDigit = true
                if number > Int(Int32.max) { return nil }
                continue
            }
            guard sawDigit else { return nil }
            let unit: Int
            switch byte {
            case UInt8(ascii: "s"): unit = 1
            case UInt8(ascii: "m"): unit = 60
            case UInt8(ascii: "h"): unit = 3600
            case UInt8(ascii: "d"): unit = 86_400
            case UInt8(ascii: "w"): unit = 604_800
            default: return nil
            }
            total += number * unit
            number = 0
            sawDigit = false
        }
        total += number
        return total <= Int(Int32.max) ? total : nil
    }

    static func isClass(_ text: String) -> Bool {
        let upper = text.uppercased()
        return ["IN", "CH", "HS", "CS"].contains(upper) || (upper.hasPrefix("CLASS") && Int(upper.dropFirst(5)) != nil)
    }
}
