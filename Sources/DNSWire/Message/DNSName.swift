import Lexicon

/// A domain name as labels of bytes. Equality and hashing ignore ASCII case, as DNS does.
public struct DNSName: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The labels, most specific first; the root has none.
    public let labels: [[UInt8]]

    /// The root name `.`.
    public static let root = DNSName(uncheckedLabels: [])

    init(uncheckedLabels labels: [[UInt8]]) {
        self.labels = labels
    }

    /// Creates a name from labels.
    /// - Throws: ``DNSWireError`` when a label is empty or longer than 63 bytes, or the name exceeds 255 bytes.
    public init(labels: [[UInt8]]) throws(DNSWireError) {
        for label in labels where label.isEmpty || label.count > 63 {
            throw DNSWireError(
                label.isEmpty ? "a name has an empty label" : "a label is longer than 63 bytes: \(label.count)")
        }
        guard labels.reduce(1, { $0 + $1.count + 1 }) <= 255 else {
            throw DNSWireError("a name is longer than 255 bytes")
        }
        self.labels = labels
    }

    /// Parses a name in presentation format (`www.example.com`, with or without the final dot; `.` is the root).
    /// `\.` and `\DDD` escapes are understood. Names are always taken as absolute.
    /// - Throws: ``DNSWireError`` for empty labels, bad escapes, or lengths over the limits.
    public init(_ text: String) throws(DNSWireError) {
        if text == "." || text.isEmpty {
            self = .root
            return
        }
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\\") {
                guard let escape = TXTPresentation.unescape(input, at: index) else {
                    throw DNSWireError("\"\(text)\" has a bad escape (a final backslash, or \\DDD above 255)")
                }
                current.append(escape.byte)
                index += escape.length
                continue
            }
            if byte == UInt8(ascii: ".") {
                guard !current.isEmpty else { throw DNSWireError("\"\(text)\" has an empty label") }
                labels.append(current)
                current = []
            } else {
                current.append(byte)
            }
            index += 1
        }
        if !current.isEmpty { labels.append(current) }
        try self.init(labels: labels)
    }

    /// Presentation format with the final dot; bytes outside printable ASCII and special characters are escaped.
    public var description: String {
        guard !labels.isEmpty else { return "." }
        var output: [UInt8] = []
        for label in labels {
            for byte in label {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: ";"), UInt8(ascii: "("),
                    UInt8(ascii: ")"), UInt8(ascii: "@"), UInt8(ascii: "$"):
                    output += [UInt8(ascii: "\\"), byte]
                case 33...126:
                    output.append(byte)
                default:
                    let digits = Array(String(byte).utf8)
                    output +=
                        [UInt8(ascii: "\\")] + Array(repeating: UInt8(ascii: "0"), count: 3 - digits.count) + digits
                }
            }
            output.append(UInt8(ascii: "."))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Lower case, without the final dot, as the record contract spells names (`.` for the root).
    public var bare: String {
        guard !labels.isEmpty else { return "." }
        return String(lowercased().description.dropLast())
    }

    /// The name with ASCII letters in lower case (the canonical form TSIG and comparisons use).
    public func lowercased() -> DNSName {
        DNSName(uncheckedLabels: labels.map { $0.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 } })
    }

    /// The name without its first label, or nil for the root.
    public var parent: DNSName? {
        labels.isEmpty ? nil : DNSName(uncheckedLabels: Array(labels.dropFirst()))
    }

    /// Whether this name is `other` or below it.
    public func isSubdomain(of other: DNSName) -> Bool {
        guard labels.count >= other.labels.count else { return false }
        return DNSName(uncheckedLabels: Array(labels.suffix(other.labels.count))) == other
    }

    /// The name's uncompressed wire form.
    public var wire: [UInt8] {
        var bytes: [UInt8] = []
        for label in labels { bytes += [UInt8(label.count)] + label }
        return bytes + [0]
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.labels.count == rhs.labels.count && lhs.lowercased().labels == rhs.lowercased().labels
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(lowercased().labels)
    }

    /// Canonical DNS order (RFC 4034 §6.1): by labels from the root, case-insensitively.
    public static func < (lhs: DNSName, rhs: DNSName) -> Bool {
        let left = lhs.lowercased().labels.reversed()
        let right = rhs.lowercased().labels.reversed()
        for (a, b) in zip(left, right) where a != b { return a.lexicographicallyPrecedes(b) }
        return left.count < right.count
    }
}
