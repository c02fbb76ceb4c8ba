import Lexicon

/// The changes one round makes to a pool's record set, from the addresses' health and the set as read: add the up
/// addresses it lacks, remove the down ones it has — within the safety rules. Never touches values outside the pool.
///
/// - When every address is down — each has failed its latest checks, or the pool was already failing open — the
///   plan fails open: the whole pool is published (nothing is removed) until an address is up again. While no
///   address is up but some pass checks on their way up (a pool seen for the first time), nothing changes.
/// - Removals stop at `min_healthy` pool values left in the set and at `max_removals_per_round`; the addresses
///   held back are listed with the reason, and come up again next round.
/// - Down addresses go in the order they went down (longest first).
public struct FailoverPlan: Sendable, Equatable {
    /// A down address that stays in the set this round, and why.
    public struct Held: Sendable, Equatable {
        public var address: IPAddress
        public var reason: String
    }

    /// Addresses to add.
    public var additions: [IPAddress] = []
    /// Addresses to remove (each is checked once more just before).
    public var removals: [IPAddress] = []
    /// Down addresses kept.
    public var held: [Held] = []
    /// Whether every address is down, so the whole pool is published.
    public var failOpen = false

    /// Whether the plan changes nothing.
    public var isEmpty: Bool { additions.isEmpty && removals.isEmpty }

    /// Plans a round.
    /// - Parameters:
    ///   - pool: The pool.
    ///   - health: Each address's health, by its text; an address without health counts as down.
    ///   - records: The record set's values as read.
    ///   - failingOpen: Whether the pool was failing open before this round.
    public init(pool: FailoverPool, health: [String: AddressHealth], records: [String], failingOpen: Bool) {
        let published = Set(records.compactMap(IPAddress.init))
        let inSet = pool.addresses.filter { published.contains($0) }
        let up = pool.addresses.filter { health[$0.description]?.state == .up }
        if up.isEmpty {
            let rising = pool.addresses.contains { (health[$0.description]?.successes ?? 0) > 0 }
            guard failingOpen || !rising else { return }
            failOpen = true
            additions = pool.addresses.filter { !published.contains($0) }
            return
        }
        additions = up.filter { !published.contains($0) }
        let down = inSet.filter { health[$0.description]?.state != .up }
            .enumerated().sorted {
                let left = health[$0.element.description]?.since ?? 0
                let right = health[$1.element.description]?.since ?? 0
                return left != right ? left < right : $0.offset < $1.offset
            }
            .map(\.element)
        var remaining = inSet.count + additions.count
        for address in down {
            if removals.count >= pool.maxRemovalsPerRound {
                held.append(Held(address: address, reason: "at most \(pool.maxRemovalsPerRound) removal(s) per round"))
            } else if remaining - 1 < pool.minHealthy {
                held.append(Held(address: address, reason: "min_healthy \(pool.minHealthy) keeps it published"))
            } else {
                removals.append(address)
                remaining -= 1
            }
        }
    }
}
