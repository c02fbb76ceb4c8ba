/// What ``Client/plan(desired:options:)`` may change, and how much before it asks for `force`.
public struct PlanOptions: Sendable, Hashable {
    /// Delete sets the desired state does not have (`--prune`); without it they are left alone.
    public var prune: Bool
    /// Manage the apex NS set too; by default it is left as the provider has it. The SOA is never planned: the
    /// five operations cannot write it, and every provider keeps its own.
    public var manageApexNS: Bool
    /// Names left out of the plan (`--ignore`), relative to the zone or absolute: `_acme-challenge` matches that
    /// label at the start of any name (`_acme-challenge.www`); `*` matches any run of characters.
    public var ignore: [String]
    /// The largest fraction of the zone's sets that may be updated or deleted without `force` (octoDNS's safety
    /// threshold); 0.25 by default.
    public var threshold: Double
    /// Zones with fewer sets than this are not held to the threshold (as octoDNS does: in a zone of three sets one
    /// change is a third of it).
    public var thresholdMinimumSets: Int
    /// Apply a plan beyond the threshold.
    public var force: Bool

    /// Creates options.
    public init(
        prune: Bool = false, manageApexNS: Bool = false, ignore: [String] = [], threshold: Double = 0.25,
        thresholdMinimumSets: Int = 10, force: Bool = false
    ) {
        self.prune = prune
        self.manageApexNS = manageApexNS
        self.ignore = ignore
        self.threshold = threshold
        self.thresholdMinimumSets = thresholdMinimumSets
        self.force = force
    }

    /// Whether a set is outside what the plan manages: the SOA, the apex NS (unless asked), ignored names.
    /// - Parameters:
    ///   - key: The set's name and type.
    ///   - zone: The zone name.
    public func leavesAlone(_ key: ZoneRecordSet.Key, zone: String) -> Bool {
        if key.type == .soa { return true }
        if key.type == .ns && key.name == zone && !manageApexNS { return true }
        return isIgnored(key.name, zone: zone)
    }

    /// Whether a name matches one of the ignore patterns.
    /// - Parameters:
    ///   - name: A normalised absolute name.
    ///   - zone: The zone name.
    public func isIgnored(_ name: String, zone: String) -> Bool {
        guard !ignore.isEmpty else { return false }
        let relative = name == zone ? "@" : name.hasSuffix("." + zone) ? String(name.dropLast(zone.count + 1)) : name
        return ignore.contains { raw in
            var pattern = raw.lowercased()
            if pattern.hasSuffix(".") {
                pattern.removeLast()
                return Self.glob(pattern, matches: name)
            }
            if pattern.contains("*") {
                return Self.glob(pattern, matches: relative) || Self.glob(pattern, matches: name)
            }
            return relative == pattern || relative.hasPrefix(pattern + ".") || name == pattern
        }
    }

    /// Shell-style `*` matching of a whole name.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]), text.dropFirst(parts[0].count).hasSuffix(parts[parts.count - 1]) else {
            return false
        }
        var rest = Substring(text.dropFirst(parts[0].count).dropLast(parts[parts.count - 1].count))
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.firstRange(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return text.count >= parts[0].count + parts[parts.count - 1].count
    }
}
