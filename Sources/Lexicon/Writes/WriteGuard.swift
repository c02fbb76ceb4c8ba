/// What guards the writes of a provider whose writes are a read, a merge and a write of a whole set or zone: the
/// zone lock (one writer at a time on this machine), and how often a write is tried again when its read-back shows
/// that another writer undid it.
struct WriteGuard: Sendable {
    /// The lock file of the zone at this provider and endpoint.
    var lockPath: String
    /// What the lock protects, for messages: `the zone example.com at powerdns`.
    var what: String
    /// Seconds to wait for the lock: long enough for a queue of writers, each bounded by the HTTP timeout.
    var lockTimeout: Double
    /// Writes in all, the first included, before a change that does not hold is reported as failed.
    var maximumWrites = 4

    /// The guard of a provider, or nil when its writes need none.
    /// - Throws: ``LexiconError`` `config` for a lock directory given but unusable.
    init?(descriptor: ProviderDescriptor, context: ProviderContext) throws {
        guard descriptor.writeShape.isReadMergeWrite else { return nil }
        var directory = context.config.resolve("lexicon:lock_dir") ?? ZoneLock.defaultDirectory
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        let endpoint = context.option(descriptor.endpointOption) ?? descriptor.defaultEndpoint ?? ""
        lockPath = ZoneLock.path(
            directory: directory, provider: descriptor.name, endpoint: endpoint, zone: context.zone)
        what = "the zone \(context.zone) at \(descriptor.name)"
        lockTimeout = max(60, 4 * context.httpTimeout)
    }

    /// A pause before writing again, so that writers on other machines fall out of step: 50 to 250 ms times the
    /// attempt.
    func pause(before attempt: Int) async {
        let seconds = Double.random(in: 0.05...0.25) * Double(attempt - 1)
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
    }
}
