/// LOC content (RFC 1876): `d1 [m1 [s1]] N|S d2 [m2 [s2]] E|W alt[m] [size[m] [hp[m] [vp[m]]]]`, checked field by
/// field and written in the one form BIND and PowerDNS print (`52 22 23.000 N 4 53 32.000 E -2.00m 1.00m
/// 10000.00m 10.00m`, the sizes defaulting to 1 m, 10 km and 10 m), so a value reads back as it was written.
enum LOCContent {
    static func check(_ text: String, tokens: [TXTPresentation.Token]) throws -> String {
        func wrong(_ what: String) -> LexiconError {
            LexiconError.invalidInput(
                "the LOC content \"\(text)\" \(what); the form is: 52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m.")
        }
        guard tokens.allSatisfy({ !$0.quoted }) else { throw wrong("has a quoted field") }
        var words = tokens.map(\.string)[...]
        var fields: [String] = []
        for (maxDegrees, hemispheres) in [(90, ["N", "S"]), (180, ["E", "W"])] {
            guard let degrees = words.popFirst(), let value = whole(degrees), value <= maxDegrees else {
                throw wrong("has no degrees from 0 to \(maxDegrees) where they belong")
            }
            var minutes = 0
            var seconds = "0.000"
            if let word = words.first, !hemispheres.contains(word.uppercased()) {
                guard let value = whole(word), value <= 59 else { throw wrong("has \"\(word)\" where minutes belong") }
                minutes = value
                words.removeFirst()
                if let word = words.first, !hemispheres.contains(word.uppercased()) {
                    guard let value = fixed(word, decimals: 3), !value.negative, value.whole <= 59 else {
                        throw wrong("has \"\(word)\" where seconds (0 to 59.999) belong")
                    }
                    seconds = value.text
                    words.removeFirst()
                }
            }
            guard let hemisphere = words.popFirst()?.uppercased(), hemispheres.contains(hemisphere) else {
                throw wrong("lacks the hemisphere (\(hemispheres.joined(separator: " or ")))")
            }
            if (minutes > 0 || seconds != "0.000") && value == maxDegrees {
                throw wrong("goes past \(maxDegrees) degrees")
            }
            fields += ["\(value)", "\(minutes)", seconds, hemisphere]
        }
        guard let altitudeWord = words.popFirst(), let altitude = fixed(metres(altitudeWord), decimals: 2),
            altitude.centimetres >= -10_000_000, altitude.centimetres <= 4_284_967_295
        else { throw wrong("lacks an altitude in metres from -100000 to 42849672.95") }
        fields.append(altitude.text + "m")
        guard words.count <= 3 else { throw wrong("has too many fields") }
        let defaults = ["1.00m", "10000.00m", "10.00m"]
        for word in words {
            // Sizes travel as one digit times a power of ten (in centimetres).
            guard let size = fixed(metres(word), decimals: 2), !size.negative, size.centimetres <= 9_000_000_000,
                String(size.centimetres).dropFirst().allSatisfy({ $0 == "0" })
            else {
                throw wrong(
                    "has \"\(word)\" where a size or precision belongs: 0, or one digit times a power of ten "
                        + "(0.01m to 90000000m)")
            }
            fields.append(size.text + "m")
        }
        fields += defaults.suffix(3 - words.count)
        return fields.joined(separator: " ")
    }

    /// A whole number of ASCII digits (at most 9).
    private static func whole(_ word: String) -> Int? {
        guard !word.isEmpty, word.count <= 9, word.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(word)
    }

    private static func metres(_ word: String) -> String { word.hasSuffix("m") ? String(word.dropLast()) : word }

    /// A decimal number with at most `decimals` digits after the point, written with exactly that many.
    private static func fixed(_ word: String, decimals: Int) -> (
        text: String, whole: Int, negative: Bool, centimetres: Int
    )? {
        let negative = word.hasPrefix("-")
        let body = negative ? word.dropFirst() : Substring(word)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = whole(String(parts[0])) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= decimals, fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty
        else { return nil }
        let padded = fraction + String(repeating: "0", count: decimals - fraction.count)
        let scaled = whole * 100 + (decimals == 2 ? Int(padded)! : 0)
        let text = (negative ? "-" : "") + "\(whole)." + padded
        return (text, whole, negative, negative ? -scaled : scaled)
    }
}
