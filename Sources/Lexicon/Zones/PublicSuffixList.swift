#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The public suffix list (ICANN and private sections): which names are suffixes under which anyone can register
/// a domain. The embedded copy is generated data; see `scripts/generate-public-suffix-list`.
///
/// The rules stay one text with a rule per line and are searched in place (`memmem`), so a lookup costs
/// microseconds and start-up costs nothing: no set of ten thousand strings is built for one command.
public struct PublicSuffixList: Sendable {
    /// `\n` + one rule per line + `\n`.
    private let rules: String

    /// The embedded list.
    public static let embedded = PublicSuffixList(normalizedRules: embeddedRules)

    /// Parses rules, one per line (`com`, `*.ck`, `!www.ck`), in ASCII form.
    /// - Parameter rules: The rules text; blank lines, `//` comments and anything after a rule's first blank are
    ///   ignored.
    public init(rules: String) {
        var lines: [Substring] = []
        for line in rules.split(separator: "\n") {
            let rule = line.drop { $0 == " " || $0 == "\t" }.prefix { $0 != " " && $0 != "\t" && $0 != "\r" }
            if !rule.isEmpty && !rule.hasPrefix("//") { lines.append(rule) }
        }
        self.init(normalizedRules: "\n" + lines.joined(separator: "\n").lowercased() + "\n")
    }

    private init(normalizedRules: String) {
        var text = normalizedRules
        text.makeContiguousUTF8()
        self.rules = text
    }

    /// The public suffix of a domain (`co.uk` for `www.example.co.uk`); an unlisted TLD is its own suffix.
    /// - Parameter domain: An ASCII domain, any case, optional trailing dot.
    /// - Returns: The suffix, lower-case, without the trailing dot.
    public func publicSuffix(of domain: String) -> String {
        let labels = Self.labels(domain)
        guard !labels.isEmpty else { return "" }
        return labels.suffix(suffixLabelCount(labels)).joined(separator: ".")
    }

    /// The registrable domain: the public suffix plus one label (`example.co.uk`).
    /// - Parameter domain: An ASCII domain, any case, optional trailing dot.
    /// - Returns: The registrable domain, or nil when the domain is empty or itself a public suffix.
    public func registrableDomain(of domain: String) -> String? {
        let labels = Self.labels(domain)
        let count = suffixLabelCount(labels)
        guard labels.count > count, !labels.contains(where: \.isEmpty) else { return nil }
        return labels.suffix(count + 1).joined(separator: ".")
    }

    private static func labels(_ domain: String) -> [Substring] {
        var text = Substring(domain.lowercased())
        if text.hasSuffix(".") { text = text.dropLast() }
        if text.isEmpty { return [] }
        return text.split(separator: ".", omittingEmptySubsequences: false)
    }

    /// Whether the list holds a rule line exactly: a scan with `memchr` for the rule's first byte, then `memcmp`.
    private func contains(_ rule: String) -> Bool {
        var haystack = rules
        var needle = "\n" + rule + "\n"
        return haystack.withUTF8 { text in
            needle.withUTF8 { pattern in
                guard pattern.count >= 3, let base = text.baseAddress, let wanted = pattern.baseAddress else {
                    return false
                }
                var offset = 1
                while offset + pattern.count - 1 <= text.count {
                    guard let hit = memchr(base + offset, Int32(wanted[1]), text.count - offset) else { return false }
                    let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if position + pattern.count - 1 > text.count { return false }
                    if memcmp(base + position - 1, wanted, pattern.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }

    /// The number of labels in the public suffix, by the list's algorithm: an exception rule wins, then the
    /// longest matching rule, then the default rule `*`.
    private func suffixLabelCount(_ labels: [Substring]) -> Int {
        var best = 1
        for count in stride(from: labels.count, through: 1, by: -1) {
            let candidate = labels.suffix(count).joined(separator: ".")
            if contains("!" + candidate) { return count - 1 }
            if best < count && contains(candidate) { best = count }
            if best < count && count >= 2 && contains("*." + labels.suffix(count - 1).joined(separator: ".")) {
                best = count
            }
        }
        return best
    }
}
