import Lexicon

extension ProviderContext {
    /// The `api_endpoint` option, or the provider's default, without a trailing slash.
    func endpoint(default value: String) -> String {
        var base = option("api_endpoint") ?? value
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// The absolute name of a name an API gives relative to the zone, where `apex` (`@`, or empty) is the zone.
    func absoluteName(_ relative: String, apex: String = "@") -> String {
        relative == apex ? zone : (try? names.absolute(relative)) ?? relative
    }

    /// A name relative to the zone, as APIs want it; the zone itself is `apex` (`@`, or empty).
    func relativeName(_ name: String, apex: String = "@") -> String {
        name == zone ? apex : names.relative(name)
    }
}
