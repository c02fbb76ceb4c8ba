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
    }

    struct ParserState {
        var origin: String
        var ttlDirective: Int?
        var lastTTL: Int?
        var lastOwner: String?
    }

    private mutating func parse(
        lines: [[UInt8]], file: String, state: inout ParserState, isMain: Bool, depth: Int
    ) throws(ZoneFileSyntaxError) {
        for logical in try ZoneFileLexer.logicalLines(lines, file: file) {
            let lineNumber = logical.firstLine + 1
            func fail(_ message: String) -> ZoneFileSyntaxError {
                ZoneFileSyntaxError(file: file, line: lineNumber, message: message)
            }
            var entry = Entry(logical: logical, origin: state.origin, ttlDirective: state.ttlDirective)
            defer {
                if isMain { entries.append(entry) }
            }
            guard let first = logical.tokens.first else { continue }
            if !logical.startsWithSpace && !first.quoted && first.bytes.first == UInt8(ascii: "$") {
                try directive(logical, file: file, state: &state, depth: depth, fail: fail)
                entry.origin = state.origin
                continue
            }
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
                    guard token.text.uppercased() == "IN" else {
                        throw fail("only class IN is supported, not \(token.text).")
                    }
                    tokens.removeFirst()
                }
            }
            guard let typeToken = tokens.first, !typeToken.quoted else { throw fail("the record has no type.") }
            tokens.removeFirst()
            guard let type = RecordType(token: typeToken.text), !ZoneFile.isClass(typeToken.text) else {
                throw fail("\"\(typeToken.text)\" is not a record type.")
            }
            let rdata = Array(tokens)
            guard !rdata.isEmpty else { throw fail("the \(type) record has no data.") }
            let converted = try ZoneFile.content(type: type, rdata: rdata, origin: state.origin, fail: fail)
            var effectiveTTL = ttl ?? state.ttlDirective ?? state.lastTTL
            if type == .soa {
                let fields = converted.content.split(separator: " ")
                let minimum = Int(fields[6]) ?? 3600
                effectiveTTL = effectiveTTL ?? minimum
                if isMain && serial == nil, let value = UInt32(fields[2]) { serial = (rdata[2], value) }
            }
            let finalTTL = effectiveTTL ?? 3600
            state.lastTTL = ttl ?? finalTTL
            state.lastOwner = owner
            let record = Record(
                type: type, name: owner, ttl: finalTTL, content: converted.content, priority: converted.priority)
            entry.recordIndex = records.count
            records.append(
                FileRecord(
                    record: record, file: file, entryIndex: isMain ? entries.count : nil, ownerExplicit: ownerExplicit,
                    ttlExplicit: ttl != nil))
        }
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
            if tokens.count == 3 { inner.origin = try ZoneFile.name(tokens[2], origin: state.origin, fail: fail) }
            let included = ZoneFileLexer.physicalLines(bytes).lines
            try parse(lines: included, file: includePath, state: &inner, isMain: false, depth: depth + 1)
        case "$GENERATE":
            throw fail("$GENERATE is not supported; expand it into records first.")
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
        let bytes = token.bytes == [UInt8(ascii: ".")] ? [] : token.bytes
        var index = 0
        var labelLength = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 2
                labelLength += 1
                continue
            }
            if bytes[index] == UInt8(ascii: ".") {
                guard labelLength > 0 else { throw fail("the name \"\(token.text)\" has an empty label.") }
                labelLength = 0
            } else {
                labelLength += 1
            }
            index += 1
        }
        return absolute(token.text, origin: origin)
    }

    /// An absolute, lower-case name without the trailing dot from a zone-file name.
    static func absolute(_ text: String, origin: String) -> String {
        let lower = text.lowercased()
        if lower == "@" { return origin }
        if lower.hasSuffix(".") { return String(lower.dropLast()) }
        return origin.isEmpty ? lower : lower + "." + origin
    }

    /// A name written relative to an origin where possible.
    static func relative(_ name: String, origin: String) -> String {
        if name == origin { return "@" }
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
