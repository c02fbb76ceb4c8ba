import Foundation
import Lexicon

/// Bounds how many servers of the testbed start at once, and waits for each to be ready.
///
/// A test run starts dozens of BIND and PowerDNS servers; started all together on a small busy machine, each takes
/// many times longer to come up than alone, and their readiness checks time out although every server would have
/// started. A few at a time, each comes up in about its own start time.
public actor ServerStarts {
    /// The limit for the whole test process: one more than the cores, at least three.
    public static let shared = ServerStarts(limit: max(3, ProcessInfo.processInfo.activeProcessorCount + 1))

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Creates a limit.
    /// - Parameter limit: How many starts may run at once.
    public init(limit: Int) {
        available = limit
    }

    /// Runs a start when fewer than the limit are running, and returns what it returns.
    /// - Parameter start: Starts a server and waits until it is ready.
    public static func run<T: Sendable>(_ start: () async throws -> T) async throws -> T {
        await shared.acquire()
        do {
            let value = try await start()
            await shared.release()
            return value
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Probes a starting server until one probe succeeds.
    ///
    /// Each probe has its own short timeout, so one lost probe costs little. The server gets `budget` seconds and at
    /// least `minimumProbes` probes: on a machine so busy that few probes ran within the budget, it gets more time
    /// instead of a false "did not start".
    /// - Parameters:
    ///   - process: The server; a server that exits ends the wait at once.
    ///   - budget: Seconds to wait at least.
    ///   - minimumProbes: Probes to make at least.
    ///   - probe: One probe: whether the server answered as a ready one does.
    /// - Returns: Whether the server became ready.
    public static func waitUntilReady(
        _ process: ServerProcess, budget: Double = 30, minimumProbes: Int = 20, probe: () async -> Bool
    ) async -> Bool {
        let started = MonotonicClock.now()
        var probes = 0
        while process.isRunning {
            if await probe() { return true }
            probes += 1
            if probes >= minimumProbes && MonotonicClock.now() - started > budget { return false }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        return false
    }
}
