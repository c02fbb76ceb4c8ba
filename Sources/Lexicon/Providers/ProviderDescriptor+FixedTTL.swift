extension ProviderDescriptor {
    /// Fails before any request when a provider whose records all have one TTL is asked for another, rather than
    /// ignoring the TTL given.
    /// - Parameter ttl: The TTL asked for; nil or 0 (the provider's default) and the fixed TTL itself pass.
    /// - Throws: ``LexiconError`` `unsupported` (status 2) naming the fixed TTL.
    public func requireTTL(_ ttl: Int?) throws {
        guard let fixedTTL, let ttl, ttl != 0, ttl != fixedTTL else { return }
        throw LexiconError(
            .unsupported,
            "\(name) cannot set a TTL: its records always have \(fixedTTL) seconds, so --ttl \(ttl) cannot be kept.",
            provider: name, hint: "Leave --ttl out (or give 0 or \(fixedTTL)).")
    }
}
