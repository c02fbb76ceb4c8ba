import Lexicon

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A change to a zone file: entries removed or replaced, records inserted.
struct ZoneEdit: Sendable {
    /// Entry indices to remove.
    var removed: Set<Int> = []
    /// Entry index -> the record that replaces it.
    var replaced: [Int: Record] = [:]
    /// Records to insert after an entry (nil: at the end of the file).
    var inserted: [(after: Int?, record: Record)] = []

    var isEmpty: Bool { removed.isEmpty && replaced.isEmpty && inserted.isEmpty }
}

extension ZoneFile {
    /// The zone-file line for a record, with explicit owner, TTL and class.
    static func line(_ record: Record, origin: String) -> String {
        "\(relative(record.name, origin: origin))\t\(record.ttl)\tIN\t\(record.type)\t\(rdata(of: record))"
    }

    /// The zone-file line for a record read from the file, or its replacement: TXT bytes that are not UTF-8 are
    /// written back exactly, as `\DDD`, while the content stays the same.
    func line(_ record: Record, keeping original: FileRecord?, origin: String) -> String {
        guard let original, let raw = original.rawText, original.record.content == record.content else {
            return Self.line(record, origin: origin)
        }
        let strings = stride(from: 0, to: max(raw.count, 1), by: 255).map {
            "\"" + TXTPresentation.escape(Array(raw[$0..<min($0 + 255, raw.count)]), escapingNonASCII: true) + "\""
        }
        return "\(Self.relative(record.name, origin: origin))\t\(record.ttl)\tIN\t\(record.type)\t"
            + strings.joined(separator: " ")
    }

    /// A record's data as the zone file holds it: presentation format, with a CAA value's backslashes escaped (the
    /// contract's CAA value is `flags tag "text"`, the text unescaped).
    static func rdata(of record: Record) -> String {
        let fields = record.content.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard record.type == .caa, fields.count == 3, fields[2].count >= 2, fields[2].hasPrefix("\""),
            fields[2].hasSuffix("\"")
        else { return RecordPresentation.rdata(of: record) }
        let value = Array(fields[2].dropFirst().dropLast().utf8)
        return "\(fields[0]) \(fields[1]) \"\(TXTPresentation.escape(value))\""
    }

    /// An edit in which every set that gets a value gets that value's TTL on all its values, as a set has one TTL
    /// (BIND keeps one when it loads several).
    /// - Throws: ``LexiconError`` `unsupported` when a value to change lives in an included file.
    func aligningSetTTLs(_ edit: ZoneEdit) throws -> ZoneEdit {
        var aligned = edit
        let written = Array(edit.replaced.values) + edit.inserted.map(\.record)
        for record in written {
            for fileRecord in records {
                let other = fileRecord.record
                guard other.type == record.type, other.name == record.name, other.ttl != record.ttl else { continue }
                guard let entry = fileRecord.entryIndex else {
                    throw LexiconError(
                        .unsupported,
                        "the \(other.type) set \(other.name) has a value in the included file \(fileRecord.file), and a "
                            + "set has one TTL; give the TTL \(other.ttl), or edit that file.")
                }
                guard !edit.removed.contains(entry), edit.replaced[entry] == nil else { continue }
                var changed = other
                changed.ttl = record.ttl
                aligned.replaced[entry] = changed
            }
        }
        return aligned
    }

    /// Where a new record for a name goes: after the last record of that name in the zone file, or at the end.
    func insertionPoint(for name: String) -> Int? {
        records.last { $0.entryIndex != nil && $0.record.name == name }?.entryIndex
    }

    /// The file's bytes after an edit, with the SOA serial replaced when given. Untouched lines stay byte for byte;
    /// a record that inherited its owner (or TTL) from an edited neighbour gets it written out.
    func apply(_ edit: ZoneEdit, serial newSerial: UInt32?) -> [UInt8] {
        var output: [[UInt8]] = []
        var insertions: [Int: [Record]] = [:]
        var atEnd: [Record] = []
        for insertion in edit.inserted {
            if let after = insertion.after {
                insertions[after, default: []].append(insertion.record)
            } else {
                atEnd.append(insertion.record)
            }
        }
        var broken = false
        for (index, entry) in entries.enumerated() {
            if edit.removed.contains(index) {
                broken = true
            } else if let record = edit.replaced[index] {
                output.append(
                    Array(line(record, keeping: entry.recordIndex.map { records[$0] }, origin: entry.origin).utf8))
                broken = true
            } else {
                var entryLines = Array(lines[entry.logical.firstLine...entry.logical.lastLine])
                // The records of an included file or a $GENERATE may take the TTL of the record before it (RFC 1035);
                // once that record is edited, a $TTL keeps the TTL they had.
                if broken, entry.ttlDirective == nil, let ttl = entry.lastTTL, let produced = entry.produced,
                    let first = produced.first, !records[first].ttlExplicit
                {
                    output.append(Array("$TTL \(ttl)".utf8))
                }
                // Bytes written into one of the entry's lines (an owner or TTL taken from an edited neighbour), which
                // move the serial when it comes after them on that line.
                var written: (line: Int, position: Int, count: Int)?
                if let recordIndex = entry.recordIndex {
                    let fileRecord = records[recordIndex]
                    let inheritsTTL = !fileRecord.ttlExplicit && entry.ttlDirective == nil
                    if broken && inheritsTTL && fileRecord.record.type != .soa {
                        entryLines = [Array(line(fileRecord.record, keeping: fileRecord, origin: entry.origin).utf8)]
                    } else if broken && (!fileRecord.ownerExplicit || inheritsTTL) {
                        // The SOA keeps its lines and its serial's place: what it inherited goes before its type.
                        let ttl = inheritsTTL ? Array(" \(fileRecord.record.ttl)".utf8) : []
                        if fileRecord.ownerExplicit, let owner = entry.logical.tokens.first {
                            let offset = owner.line - entry.logical.firstLine
                            entryLines[offset].insert(contentsOf: ttl, at: owner.end)
                            written = (offset, owner.end, ttl.count)
                        } else {
                            let owner = Array(Self.relative(fileRecord.record.name, origin: entry.origin).utf8) + ttl
                            entryLines[0] = owner + entryLines[0]
                            written = (0, 0, owner.count)
                        }
                    }
                    broken = false
                }
                if let newSerial, let token = serial?.token,
                    (entry.logical.firstLine...entry.logical.lastLine).contains(token.line)
                {
                    let offset = token.line - entry.logical.firstLine
                    let moved = written.map { $0.line == offset && $0.position <= token.start ? $0.count : 0 } ?? 0
                    entryLines[offset].replaceSubrange(
                        token.start + moved..<token.end + moved, with: Array(String(newSerial).utf8))
                }
                output += entryLines
            }
            for record in insertions[index] ?? [] {
                output.append(Array(Self.line(record, origin: entry.origin).utf8))
                broken = true
            }
        }
        for record in atEnd {
            output.append(Array(Self.line(record, origin: finalOrigin).utf8))
        }
        var bytes = Array(output.joined(separator: [UInt8(ascii: "\n")]))
        if endsWithNewline || !atEnd.isEmpty || entries.isEmpty { bytes.append(UInt8(ascii: "\n")) }
        return bytes
    }

    /// The next SOA serial: date-based `YYYYMMDDnn` when the serial looks like one, otherwise one more (RFC 1982).
    static func nextSerial(_ old: UInt32, today: Int = ZoneFile.today()) -> UInt32 {
        let text = String(old)
        if text.count == 10, let year = Int(text.prefix(4)), (1990...2100).contains(year),
            let month = Int(text.dropFirst(4).prefix(2)), (1...12).contains(month),
            let day = Int(text.dropFirst(6).prefix(2)), (1...31).contains(day)
        {
            let base = UInt32(today) * 100
            return max(base, old &+ 1)
        }
        return old == UInt32.max ? 1 : old + 1
    }

    /// Today's local date as YYYYMMDD.
    static func today() -> Int {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return Int(parts.tm_year + 1900) * 10_000 + Int(parts.tm_mon + 1) * 100 + Int(parts.tm_mday)
    }

    /// Re-reads edited bytes and checks they hold exactly the expected records, so a bug can never write a
    /// damaged zone.
    func verify(_ bytes: [UInt8], edit: ZoneEdit, serial newSerial: UInt32?) throws {
        let reread = try ZoneFile(path: path, bytes: bytes, zone: zone)
        if let problem = reread.problems.first {
            throw LexiconError(
                .config, "the edit would leave a zone file BIND refuses to load (\(problem)). Nothing was changed.")
        }
        // TXT bytes that are not UTF-8 count as bytes: a rewrite that changed them would show.
        func key(_ record: Record, raw: [UInt8]? = nil) -> String {
            record.type == .soa
                ? "SOA"
                : "\(record.type)|\(record.name)|\(record.ttl)|\(record.priority ?? -1)|\(record.content)|\(raw ?? [])"
        }
        var expected: [String: Int] = [:]
        for (index, fileRecord) in records.enumerated() {
            if let entry = fileRecord.entryIndex, edit.removed.contains(entry) { continue }
            if let entry = fileRecord.entryIndex, let replacement = edit.replaced[entry] {
                let kept = replacement.content == fileRecord.record.content ? fileRecord.rawText : nil
                expected[key(replacement, raw: kept), default: 0] += 1
            } else {
                _ = index
                expected[key(fileRecord.record, raw: fileRecord.rawText), default: 0] += 1
            }
        }
        for insertion in edit.inserted { expected[key(insertion.record), default: 0] += 1 }
        var actual: [String: Int] = [:]
        for fileRecord in reread.records { actual[key(fileRecord.record, raw: fileRecord.rawText), default: 0] += 1 }
        let serialOK = newSerial == nil || reread.serial?.value == newSerial
        guard actual == expected, serialOK else {
            throw LexiconError(
                .provider,
                "internal check failed: the edited zone file would not hold the expected records. Nothing was "
                    + "changed; please report this with the zone file.")
        }
    }
}
