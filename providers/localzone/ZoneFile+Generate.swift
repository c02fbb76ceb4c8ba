import Lexicon

extension ZoneFile {
    /// Reads `$GENERATE range owner [ttl] [class] type data` as BIND does: one record for each number of
    /// `start-stop[/step]`, with `$` in the owner and data replaced by the number (`${offset,width,base}` with base
    /// d, o, x, X, n or N; `\$` for a dollar sign). The records are listed; edits keep the directive as written.
    mutating func generate(
        _ logical: ZoneLogicalLine, file: String, state: inout ParserState, fail: (String) -> ZoneFileSyntaxError
    ) throws(ZoneFileSyntaxError) {
        let tokens = logical.tokens
        guard tokens.count >= 4, !tokens[1].quoted else {
            throw fail("$GENERATE takes a range, an owner, an optional TTL and class, a type and data.")
        }
        let range = tokens[1].text.split(separator: "/", omittingEmptySubsequences: false)
        let bounds = range[0].split(separator: "-", omittingEmptySubsequences: false)
        guard range.count <= 2, bounds.count == 2, let start = Int(bounds[0]), let stop = Int(bounds[1]),
            let step = range.count == 2 ? Int(range[1]) : 1, start >= 0, start <= stop, step > 0,
            (stop - start) / step < 65_536
        else { throw fail("the $GENERATE range \"\(tokens[1].text)\" is not start-stop[/step].") }
        // BIND keeps the current owner and the values read for it: a record after the directive without an owner
        // takes the one before it, and values of its sets on both sides are still one run.
        let (owner, runOwner, runTTLs) = (state.lastOwner, state.runOwner, state.runTTLs)
        let template = tokens.dropFirst(2).map { token in
            token.quoted ? "\"" + TXTPresentation.escape(token.bytes) + "\"" : token.text
        }
        for value in stride(from: start, through: stop, by: step) {
            var text = ""
            for word in template {
                text += (text.isEmpty ? "" : " ") + (try Self.substitute(word, value: value, fail: fail))
            }
            let lines = try ZoneFileLexer.logicalLines([Array(text.utf8)], file: file)
            guard var line = lines.first, lines.count == 1 else { throw fail("a $GENERATE record does not parse.") }
            line.firstLine = logical.firstLine
            line.lastLine = logical.firstLine
            line.startsWithSpace = false
            _ = try record(
                line, file: file, line: logical.firstLine + 1, state: &state, isMain: false, entryIndex: nil,
                generated: true, fail: fail)
        }
        (state.lastOwner, state.runOwner, state.runTTLs) = (owner, runOwner, runTTLs)
    }

    /// A `$GENERATE` template with `$` and `${offset,width,base}` replaced by a number; `\$` stays escaped.
    static func substitute(
        _ template: String, value: Int, fail: (String) -> ZoneFileSyntaxError
    ) throws(ZoneFileSyntaxError) -> String {
        let bytes = Array(template.utf8)
        var output = ""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                output += String(decoding: bytes[index...(index + 1)], as: UTF8.self)
                index += 2
                continue
            }
            guard byte == UInt8(ascii: "$") else {
                output += String(decoding: [byte], as: UTF8.self)
                index += 1
                continue
            }
            index += 1
            var offset = 0
            var width = 0
            var base = "d"
            if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else {
                    throw fail("a ${ in $GENERATE is not closed.")
                }
                let fields = String(decoding: bytes[(index + 1)..<close], as: UTF8.self).split(
                    separator: ",", omittingEmptySubsequences: false)
                guard (1...3).contains(fields.count), let parsedOffset = Int(fields[0]),
                    fields.count < 2 || Int(fields[1]).map({ $0 >= 0 && $0 <= 255 }) == true,
                    fields.count < 3 || ["d", "o", "x", "X", "n", "N"].contains(String(fields[2]))
                else { throw fail("the $GENERATE modifier ${\(fields.joined(separator: ","))} does not parse.") }
                offset = parsedOffset
                if fields.count >= 2 { width = Int(fields[1])! }
                if fields.count == 3 { base = String(fields[2]) }
                index = close + 1
            }
            let number = value + offset
            guard number >= 0 else { throw fail("a $GENERATE number is below zero.") }
            output += format(number, width: width, base: base)
        }
        return output
    }

    /// A number in a `$GENERATE` base, padded with zeros to a width: decimal, octal, hexadecimal, or nibbles
    /// (`n`: reversed hexadecimal digits each followed by a dot, as reverse IPv6 names have them).
    static func format(_ number: Int, width: Int, base: String) -> String {
        switch base {
        case "n", "N":
            var digits = String(number, radix: 16, uppercase: base == "N")
            let nibbles = max(1, (width + 1) / 2)
            if digits.count < nibbles { digits = String(repeating: "0", count: nibbles - digits.count) + digits }
            let text = digits.reversed().map { "\($0)." }.joined()
            return width > 0 && text.count > width ? String(text.prefix(width)) : text
        default:
            let radix = base == "o" ? 8 : base == "d" ? 10 : 16
            let digits = String(number, radix: radix, uppercase: base == "X")
            return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
        }
    }
}
