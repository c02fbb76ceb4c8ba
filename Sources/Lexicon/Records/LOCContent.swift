/// LOC content (RFC 1876): `d1 [m1 [s1]] N|S d2 [m2 [s2]] E|W alt[m] [size[m] [hp[m] [vp[m]]]]`, checked field by
/// field as BIND reads it.
enum LOCContent {
    static func check(_ text: String, tokens: [TXTPresentation.Token]) throws -> String {
        func wrong(_ what: String) -> LexiconError {
            LexiconError.invalidInput(
                "the LOC content \"\(text)\" \(what); the form is: 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m "
                    + "10000m 10m.")
        }
        guard tokens.allSatisfy({ !$0.quoted }) else { throw wrong("has a quoted field") }
        var words = tokens.map(\.string)[...]
        func decimal(_ word: String, _ range: ClosedRange<Double>, unit: Bool) -> Bool {
            var body = Substring(word)
            if unit && body.hasSuffix("m") { body = body.dropLast() }
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            let digits: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
            let whole = parts[0].hasPrefix("-") ? parts[0].dropFirst() : parts[0]
            guard parts.count <= 2, digits(whole), parts.count == 1 || digits(parts[1]),
                parts.count == 1 || parts[1].count <= 3,
                let value = Double(body), range.contains(value)
            else { return false }
            return true
        }
        func coordinate(_ maxDegrees: Double, _ hemispheres: Set<String>) throws {
            guard let degrees = words.popFirst(), !degrees.hasPrefix("-"), degrees.allSatisfy(\.isASCIIDigit),
                decimal(degrees, 0...maxDegrees, unit: false)
            else { throw wrong("has no degrees from 0 to \(Int(maxDegrees)) where they belong") }
            for (index, limit) in [59.0, 59.999].enumerated() {
                guard let word = words.first, !hemispheres.contains(word.uppercased()) else { break }
                let valid = index == 0 ? word.allSatisfy(\.isASCIIDigit) : !word.hasPrefix("-")
                guard valid, decimal(word, 0...limit, unit: false) else {
                    throw wrong("has \"\(word)\" where \(index == 0 ? "minutes" : "seconds") or a hemisphere belong")
                }
                words.removeFirst()
            }
            guard let hemisphere = words.popFirst(), hemispheres.contains(hemisphere.uppercased()) else {
                throw wrong("lacks the hemisphere (\(hemispheres.sorted().joined(separator: " or ")))")
            }
        }
        try coordinate(90, ["N", "S"])
        try coordinate(180, ["E", "W"])
        guard let altitude = words.popFirst(), decimal(altitude, -100_000...42_849_672.95, unit: true) else {
            throw wrong("lacks an altitude in metres from -100000 to 42849672.95")
        }
        guard words.count <= 3 else { throw wrong("has too many fields") }
        for word in words where word.hasPrefix("-") || !decimal(word, 0...90_000_000, unit: true) {
            throw wrong("has \"\(word)\" where a size or precision in metres (0 to 90000000) belongs")
        }
        return tokens.map(\.string).joined(separator: " ")
    }
}
