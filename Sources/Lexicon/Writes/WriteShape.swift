/// How a provider's writes change the zone; it decides what guards them against other writers.
public enum WriteShape: Sendable, Hashable {
    /// One record per value: the server adds and removes each value on its own (Cloudflare, DigitalOcean, …), so
    /// concurrent writers of different values cannot undo each other.
    case perValue
    /// Whole record sets are written: adding or removing one value is a read, a merge and a write of the set
    /// (PowerDNS, Gandi, GoDaddy, Route 53, Hetzner). ``Client`` serialises such writes per zone with a
    /// ``ZoneLock`` and reads every write back.
    case recordSets
    /// The whole zone is written at once (Namecheap's `setHosts`): guarded as ``recordSets``.
    case wholeZone
    /// The provider guards its own writes (a zone file under `flock`, RFC 2136 prerequisites) or only updates.
    case selfGuarded

    /// Whether writes are a read-merge-write that ``Client`` must lock and read back.
    public var isReadMergeWrite: Bool { self == .recordSets || self == .wholeZone }
}
