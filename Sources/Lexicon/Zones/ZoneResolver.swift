/// Finds the zone of a domain offline: the registrable domain from the embedded public suffix list, or the
/// `--delegated` subzone.
public enum ZoneResolver {
    /// The zone for a domain.
    /// - Parameters:
    ///   - domain: The domain given by the user (a zone or any name inside it), any case, Unicode allowed.
    ///   - delegated: `sub` or `sub.example.com` when the zone is delegated below the registrable domain.
    /// - Returns: The zone, lower-case ASCII without the trailing dot.
    /// - Throws: ``LexiconError`` `invalidInput` for a malformed domain or a public suffix.
    public static func zone(for domain: String, delegated: String? = nil) throws -> String {
        let ascii = try NameNormalizer.canonical(domain.trimmingSpaces(), what: "domain")
        guard !ascii.isEmpty else {
            throw LexiconError.invalidInput("the domain is empty; give one such as example.com.")
        }
        guard let registrable = PublicSuffixList.embedded.registrableDomain(of: ascii) else {
            throw LexiconError.invalidInput(
                "\(ascii) is a public suffix, not a domain someone can own; give your domain (e.g. example.\(ascii)).")
        }
        guard let delegated, !delegated.trimmingSpaces().isEmpty else { return registrable }
        let sub = try NameNormalizer.canonical(delegated.trimmingSpaces(), what: "delegated zone")
        if sub == registrable { return registrable }
        if sub.hasSuffix("." + registrable) { return sub }
        return sub + "." + registrable
    }
}
