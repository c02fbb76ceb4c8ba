/// Finds the zone of a domain offline: the registrable domain from the embedded public suffix list, or the
/// `--delegated` subzone.
public enum ZoneResolver {
    /// The zone for a domain.
    /// - Parameters:
    ///   - domain: The domain given by the user (a zone or any name inside it), any case, Unicode allowed.
    ///   - delegated: `sub` or `sub.example.com` when the zone is delegated below the registrable domain. The list is
    ///     only a guess: a zone named here is taken as it is, whatever the list says (a single label such as `lan`,
    ///     `home.arpa`, a reverse zone, or `.` for the root).
    /// - Returns: The zone, lower-case ASCII without the trailing dot (`.` for the root).
    /// - Throws: ``LexiconError`` `invalidInput` for a malformed domain, or a public suffix without `delegated`.
    public static func zone(for domain: String, delegated: String? = nil) throws -> String {
        let ascii = try NameNormalizer.zoneName(domain)
        let registrable = ascii == "." ? nil : PublicSuffixList.embedded.registrableDomain(of: ascii)
        if let delegated, !delegated.trimmingSpaces().isEmpty {
            let sub = try NameNormalizer.zoneName(delegated)
            // A zone that holds the domain is named in full; otherwise `sub` is a label below the registrable domain.
            if NameNormalizer.isName(ascii, inside: sub) { return sub }
            guard let registrable else { return sub + "." + ascii }
            if sub == registrable || sub.hasSuffix("." + registrable) { return sub }
            return sub + "." + registrable
        }
        guard let registrable else {
            throw LexiconError.invalidInput(
                "\(ascii) is a public suffix, not a domain someone can own; give your domain (e.g. example.\(ascii)), "
                    + "or pass --delegated \(ascii) if \(ascii) is your zone (a private zone such as lan or home.arpa)."
            )
        }
        return registrable
    }
}
