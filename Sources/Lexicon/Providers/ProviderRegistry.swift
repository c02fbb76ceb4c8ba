/// The set of providers the program knows, looked up by name or alias.
public struct ProviderRegistry: Sendable {
    /// The descriptors, sorted by name.
    public let descriptors: [ProviderDescriptor]

    /// Creates a registry.
    /// - Parameter descriptors: The providers.
    public init(_ descriptors: [ProviderDescriptor]) {
        self.descriptors = descriptors.sorted { $0.name < $1.name }
    }

    /// The provider with a name or alias, case-insensitively.
    public func descriptor(named name: String) -> ProviderDescriptor? {
        let lower = name.lowercased()
        return descriptors.first { $0.name == lower || $0.aliases.contains(lower) }
    }

    /// The provider with a name, or an error listing what exists.
    /// - Throws: ``LexiconError`` `usage`.
    public func require(_ name: String) throws -> ProviderDescriptor {
        if let descriptor = descriptor(named: name) { return descriptor }
        throw LexiconError(.usage, unknownProviderMessage(name) + " Run `lexicon providers` to list them all.")
    }

    /// `unknown provider "cloudflar" (did you mean cloudflare?).`
    public func unknownProviderMessage(_ name: String) -> String {
        "unknown provider \"\(name)\"\(NearestName.hint(for: name, among: allNames.sorted()))."
    }

    /// Every accepted name and alias.
    public var allNames: Set<String> {
        Set(descriptors.flatMap { [$0.name] + $0.aliases })
    }
}
