/// The one place where names given by users and servers become record-contract names.
///
/// Accepts relative (`www`), full (`www.example.com`), FQDN (`www.example.com.`) and `@`, in any case and in
/// Unicode; returns lower-case ASCII (IDNA) FQDNs without the trailing dot. Zone membership is decided on label
/// boundaries: `www.myexample.com` is not inside `example.com`.
public struct NameNormalizer: Sendable, Hashable {
    /// The zone, lower-case ASCII without the trailing dot.
    public let zone: String

    /// The zone's public suffix (`com`, `co.uk`); a non-FQDN name ending in it is taken as a full name.
    public let zoneSuffix: String

    /// Creates a normaliser for a zone.
    /// - Parameter zone: The zone name in any accepted form.
    /// - Throws: ``LexiconError`` (`invalidInput`) when the zone is not a valid domain name.
    public init(zone: String) throws {
        let ascii = try NameNormalizer.zoneName(zone)
        self.zone = ascii
        if ascii == "." {
            self.zoneSuffix = "."
            return
        }
        let suffix = PublicSuffixList.embedded.publicSuffix(of: ascii)
        self.zoneSuffix = suffix == ascii ? (ascii.split(separator: ".").last.map(String.init) ?? ascii) : suffix
    }

    /// Normalises a name given relative to the zone, or absolute.
    /// - Parameter name: `@`, relative, full or FQDN, any case, Unicode allowed.
    /// - Returns: The lower-case ASCII FQDN without the trailing dot.
    /// - Throws: ``LexiconError`` (`invalidInput`) for a malformed name or a name outside the zone.
    public func absolute(_ name: String) throws -> String {
        let trimmed = name.trimmingSpaces()
        if trimmed.isEmpty || trimmed == "@" || trimmed == "@." { return zone }
        let isFQDN = trimmed.hasSuffix(".")
        let ascii = try NameNormalizer.canonical(trimmed, what: "name")
        // In the root zone every name is inside and already absolute.
        if zone == "." { return ascii.isEmpty ? "." : ascii }
        if contains(ascii) { return ascii }
        if isFQDN || ascii.hasSuffix("." + zoneSuffix) || ascii == zoneSuffix {
            throw LexiconError.invalidInput(
                "the name \"\(name)\" is outside the zone \(zone). Give a name inside it, relative (www) or full "
                    + "(www.\(zone)).")
        }
        let full = ascii + "." + zone
        try NameNormalizer.validateLength(full, original: name)
        return full
    }

    /// Whether an absolute, normalised name is the zone or inside it (on a label boundary).
    public func contains(_ absoluteName: String) -> Bool {
        NameNormalizer.isName(absoluteName, inside: zone)
    }

    /// The name relative to the zone (`@` for the apex), for zone files and APIs that want relative names.
    /// - Parameter absoluteName: A normalised name inside the zone.
    public func relative(_ absoluteName: String) -> String {
        if absoluteName == zone { return "@" }
        if zone != ".", absoluteName.hasSuffix("." + zone) { return String(absoluteName.dropLast(zone.count + 1)) }
        return absoluteName + "."
    }

    /// Normalises a domain name used as content (CNAME, NS, PTR, MX and SRV targets): always absolute.
    /// - Parameters:
    ///   - name: The target, with or without the trailing dot.
    ///   - what: What the name is, for the error message.
    /// - Returns: The lower-case ASCII name without the trailing dot; `.` (the root) stays `.`.
    /// - Throws: ``LexiconError`` (`invalidInput`) when it is not a valid host name.
    public static func target(_ name: String, what: String = "target") throws -> String {
        let trimmed = name.trimmingSpaces()
        if trimmed == "." { return "." }
        let ascii = try canonical(trimmed, what: what)
        guard !ascii.isEmpty else { throw LexiconError.invalidInput("the \(what) is empty; give a host name.") }
        return ascii
    }

    /// A zone name as the record contract has it: lower-case ASCII without the trailing dot, and `.` for the root.
    /// - Parameter text: The zone in any accepted form (`.` names the root).
    /// - Throws: ``LexiconError`` (`invalidInput`) when it is empty or not a valid domain name.
    public static func zoneName(_ text: String) throws -> String {
        let trimmed = text.trimmingSpaces()
        if trimmed == "." { return "." }
        let ascii = try canonical(trimmed, what: "domain")
        guard !ascii.isEmpty else {
            throw LexiconError.invalidInput(
                "the domain is empty; give a domain such as example.com (or . for the root).")
        }
        return ascii
    }

    /// Whether a normalised name is a zone or inside it, on a label boundary; every name is inside the root (`.`).
    public static func isName(_ name: String, inside zone: String) -> Bool {
        if zone == "." || name == zone { return true }
        // On bytes: normalised names are ASCII, and this runs for every record of a zone.
        let nameBytes = name.utf8
        let zoneBytes = zone.utf8
        guard nameBytes.count > zoneBytes.count else { return false }
        let start = nameBytes.index(nameBytes.endIndex, offsetBy: -zoneBytes.count)
        return nameBytes[nameBytes.index(before: start)] == UInt8(ascii: ".")
            && nameBytes[start...].elementsEqual(zoneBytes)
    }

    /// Lower-cases, converts to IDNA, strips one trailing dot, and validates label syntax.
    public static func canonical(_ text: String, what: String) throws -> String {
        if let plain = plainCanonical(text) { return plain }
        if text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            throw LexiconError.invalidInput("the \(what) \"\(text)\" contains whitespace; a DNS name cannot.")
        }
        var body = text
        if body.hasSuffix(".") { body.removeLast() }
        let ascii: String
        do {
            ascii = try IDNA.toASCII(body)
        } catch {
            throw LexiconError.invalidInput(
                "the \(what) \"\(text)\" is not a valid international name: \(error.message)")
        }
        if ascii.isEmpty { return ascii }
        let labels = ascii.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            if label.isEmpty {
                throw LexiconError.invalidInput("the \(what) \"\(text)\" has an empty label (two dots in a row).")
            }
            if label.utf8.count > 63 {
                throw LexiconError.invalidInput("the \(what) \"\(text)\" has a label longer than 63 characters.")
            }
            if label == "*" {
                if index != 0 {
                    throw LexiconError.invalidInput(
                        "the \(what) \"\(text)\" has a wildcard that is not the first label.")
                }
                continue
            }
            for byte in label.utf8 where !isLabelByte(byte) {
                throw LexiconError.invalidInput(
                    "the \(what) \"\(text)\" contains \"\(Character(Unicode.Scalar(byte)))\"; names use letters, digits, "
                        + "hyphens and underscores.")
            }
        }
        try validateLength(ascii, original: text)
        return ascii
    }

    /// The canonical form of a name already in it (lower-case letters, digits, hyphens and underscores in labels of
    /// 1 to 63 bytes, at most 253 bytes, an optional final dot): the full path's result without its string work, as
    /// most names of a zone are; nil for every other name, which the full path checks.
    private static func plainCanonical(_ text: String) -> String? {
        let bytes = text.utf8
        let hasDot = bytes.last == UInt8(ascii: ".")
        let length = bytes.count - (hasDot ? 1 : 0)
        guard length > 0, length <= 253 else { return nil }
        var label = 0
        for byte in bytes.prefix(length) {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"),
                UInt8(ascii: "_"):
                label += 1
                if label > 63 { return nil }
            case UInt8(ascii: "."):
                if label == 0 { return nil }
                label = 0
            default:
                return nil
            }
        }
        guard label > 0 else { return nil }
        return hasDot ? String(text.dropLast()) : text
    }

    static func validateLength(_ ascii: String, original: String) throws {
        if ascii.utf8.count > 253 {
            throw LexiconError.invalidInput("the name \"\(original)\" is longer than 253 characters.")
        }
    }

    private static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "_"): true
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        default: false
        }
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingSpaces() -> String {
        func isSpaceByte(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        // Most strings have nothing to trim.
        let whole = String(self)
        if !whole.isEmpty, !isSpaceByte(whole.utf8.first), !isSpaceByte(whole.utf8.last) { return whole }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
