import Foundation

/// Runs blocking work (waiting for a process, reading its pipes, sleeping) on a thread of its own. Swift's
/// cooperative pool has one thread per core, shared by every test running at once: a test that blocks one of them
/// stalls all the others, readiness checks of servers included, for as long as it blocks.
public enum Blocking {
    /// Runs work on a new thread and waits for it without holding a thread of the cooperative pool.
    /// - Parameter work: The blocking work.
    /// - Returns: What the work returns.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    /// Runs throwing work on a new thread (see ``run(_:)``).
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
