/// A token of a zone file: a word or a quoted string, with where it sits in its physical line.
struct ZoneToken: Sendable, Hashable {
    /// The bytes with escapes decoded (quotes removed for quoted strings).
    var bytes: [UInt8]
    /// Whether it was a quoted string.
    var quoted: Bool
    /// The 0-based physical line.
    var line: Int
    /// The byte range of the raw token in its line, quotes included.
    var start: Int
    var end: Int

    /// The decoded text.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// One logical entry of a zone file: its tokens and the physical lines it covers (parentheses join lines).
struct ZoneLogicalLine: Sendable {
    var tokens: [ZoneToken]
    var firstLine: Int
    var lastLine: Int
    /// Whether the entry starts with blank space, so a record on it inherits the previous owner.
    var startsWithSpace: Bool
}

/// An error found while reading a zone file: the file, the 1-based line and what is wrong.
struct ZoneFileSyntaxError: Error, Sendable {
    var file: String
    var line: Int
    var message: String
}

/// Splits zone-file text into logical lines (RFC 1035 §5.1): blanks separate, `;` comments, `( )` join lines,
/// quoted strings and backslash escapes (`\X`, `\DDD`).
enum ZoneFileLexer {
    static func logicalLines(_ lines: [[UInt8]], file: String) throws(ZoneFileSyntaxError) -> [ZoneLogicalLine] {
        var result: [ZoneLogicalLine] = []
        var current: ZoneLogicalLine?
        var depth = 0
        var depthOpenedAt = 0
        for (index, line) in lines.enumerated() {
            if current == nil {
                let startsWithSpace = line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t")
                current = ZoneLogicalLine(
                    tokens: [], firstLine: index, lastLine: index, startsWithSpace: startsWithSpace)
            }
            current!.lastLine = index
            var position = 0
            while position < line.count {
                let byte = line[position]
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    position += 1
                case UInt8(ascii: ";"):
                    position = line.count
                case UInt8(ascii: "("):
                    if depth == 0 { depthOpenedAt = index }
                    depth += 1
                    position += 1
                case UInt8(ascii: ")"):
                    guard depth > 0 else {
                        throw ZoneFileSyntaxError(file: file, line: index + 1, message: "a \")\" closes nothing.")
                    }
                    depth -= 1
                    position += 1
                case UInt8(ascii: "\""):
                    let start = position
                    position += 1
                    var bytes: [UInt8] = []
                    var closed = false
                    while position < line.count {
                        let inner = line[position]
                        if inner == UInt8(ascii: "\"") {
                            closed = true
                            position += 1
                            break
                        }
                        if inner == UInt8(ascii: "\\") {
                            position = try decodeEscape(line, at: position, into: &bytes) { message in
                                ZoneFileSyntaxError(file: file, line: index + 1, message: message)
                            }
                        } else {
                            bytes.append(inner)
                            position += 1
                        }
                    }
                    guard closed else {
                        throw ZoneFileSyntaxError(
                            file: file, line: index + 1, message: "a quoted string is not closed on this line.")
                    }
                    current!.tokens.append(
                        ZoneToken(bytes: bytes, quoted: true, line: index, start: start, end: position))
                default:
                    let start = position
                    var bytes: [UInt8] = []
                    while position < line.count {
                        let inner = line[position]
                        if inner == UInt8(ascii: " ") || inner == UInt8(ascii: "\t") || inner == UInt8(ascii: "\r")
                            || inner == UInt8(ascii: ";") || inner == UInt8(ascii: "(") || inner == UInt8(ascii: ")")
                            || inner == UInt8(ascii: "\"")
                        {
                            break
                        }
                        if inner == UInt8(ascii: "\\") {
                            // Kept as written (names and most types decode their own escapes), but never a final
                            // backslash: it would escape whatever an edit writes after it.
                            guard position + 1 < line.count else {
                                throw ZoneFileSyntaxError(
                                    file: file, line: index + 1, message: "a backslash ends the line.")
                            }
                            bytes += [inner, line[position + 1]]
                            position += 2
                        } else {
                            bytes.append(inner)
                            position += 1
                        }
                    }
                    current!.tokens.append(
                        ZoneToken(bytes: bytes, quoted: false, line: index, start: start, end: position))
                }
            }
            if depth == 0 {
                result.append(current!)
                current = nil
            }
        }
        if depth > 0 {
            throw ZoneFileSyntaxError(
                file: file, line: depthOpenedAt + 1, message: "a \"(\" opened here is never closed.")
        }
        if let current { result.append(current) }
        return result
    }

    /// Decodes the escape at `position` (a backslash) as RFC 1035 §5.1 reads it, in quoted strings and unquoted TXT
    /// alike: `\DDD` (exactly three digits, at most 255) or `\X` (X itself).
    /// - Returns: The position after the escape.
    static func decodeEscape(
        _ bytes: [UInt8], at position: Int, into output: inout [UInt8], fail: (String) -> ZoneFileSyntaxError
    ) throws(ZoneFileSyntaxError) -> Int {
        let next = position + 1
        guard next < bytes.count else { throw fail("a backslash ends the line.") }
        if isDigit(bytes[next]) {
            guard next + 2 < bytes.count, isDigit(bytes[next + 1]), isDigit(bytes[next + 2]) else {
                throw fail("a \\DDD escape needs three digits.")
            }
            let value = Int(bytes[next] - 48) * 100 + Int(bytes[next + 1] - 48) * 10 + Int(bytes[next + 2] - 48)
            guard value <= 255 else { throw fail("the escape \\\(value) is above 255.") }
            output.append(UInt8(value))
            return next + 3
        }
        output.append(bytes[next])
        return next + 1
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// Splits file bytes into physical lines without their line feeds.
    static func physicalLines(_ bytes: [UInt8]) -> (lines: [[UInt8]], endsWithNewline: Bool) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        let endsWithNewline = bytes.last == UInt8(ascii: "\n")
        if endsWithNewline { lines.removeLast() }
        return (lines, endsWithNewline)
    }
}
