/// The public suffix list (ICANN and private sections): which names are suffixes under which anyone can register
/// a domain. The embedded copy is generated data; see `scripts/generate-public-suffix-list`.
public struct PublicSuffixList: Sendable {
    private let exact: Set<Substring>
    private let wildcards: Set<Substring>
    private let exceptions: Set<Substring>

    /// The embedded list, parsed on first use.
    public static let embedded = PublicSuffixList(rules: embeddedRules)

    /// Parses rules, one per line (`com`, `*.ck`, `!www.ck`), in ASCII form.
    /// - Parameter rules: The rules text; blank lines and `//` comments are ignored.
    public init(rules: String) {
        var exact = Set<Substring>()
        var wildcards = Set<Substring>()
        var exceptions = Set<Substring>()
        exact.reserveCapacity(10_000)
        for line in rules.split(separator: "\n") {
            var rule = line.drop { $0 == " " }
            if rule.isEmpty || rule.hasPrefix("//") { continue }
            if let end = rule.firstIndex(of: " ") { rule = rule[..<end] }
            if rule.hasPrefix("!") {
                exceptions.insert(rule.dropFirst())
            } else if rule.hasPrefix("*.") {
                wildcards.insert(rule.dropFirst(2))
            } else {
                exact.insert(rule)
            }
        }
        self.exact = exact
        self.wildcards = wildcards
        self.exceptions = exceptions
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
        guard labels.count > count else { return nil }
        return labels.suffix(count + 1).joined(separator: ".")
    }

    private static func labels(_ domain: String) -> [Substring] {
        var text = Substring(domain.lowercased())
        if text.hasSuffix(".") { text = text.dropLast() }
        return text.split(separator: ".", omittingEmptySubsequences: false)
    }

    /// The number of labels in the public suffix, by the list's algorithm: exceptions win, then the longest
    /// matching rule, then the default rule `*`.
    private func suffixLabelCount(_ labels: [Substring]) -> Int {
        var best = 1
        for count in stride(from: labels.count, through: 1, by: -1) {
            let candidate = Substring(labels.suffix(count).joined(separator: "."))
            if exceptions.contains(candidate) { return count - 1 }
            if exact.contains(candidate) { best = max(best, count) }
            if count >= 2, wildcards.contains(Substring(labels.suffix(count - 1).joined(separator: "."))) {
                best = max(best, count)
            }
        }
        return best
    }
}
