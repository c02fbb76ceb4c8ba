import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on one pool, so that one monitor at a time changes its record set: a `flock` on
/// `failover-<pool key>.lock` in the state directory, holding the owner's process id. Released when the lock is
/// deinitialised or the process ends, however it ends.
public final class PoolLock: Sendable {
    private let fd: Int32
    /// The lock file.
    public let path: String

    /// Takes the lock, without waiting.
    /// - Parameters:
    ///   - directory: The state directory.
    ///   - pool: The pool.
    /// - Throws: ``LexiconError`` `config` naming the process that holds it.
    public init(directory: String, pool: FailoverPool) throws {
        try FileIO.makeOwnDirectory(directory)
        path = "\(directory)/failover-\(pool.key).lock"
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LexiconError(.config, "cannot open the lock \(path): \(String(cString: strerror(errno))).")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let owner =
                (try? FileIO.read(path)).map { String(decoding: $0, as: UTF8.self) }?
                .split(separator: "\n").first.map { " (process \($0))" } ?? ""
            close(fd)
            throw LexiconError(
                .config,
                "another lexicon failover\(owner) is monitoring \(pool.label); stop it first, or use --dry-run (lock: \(path))."
            )
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, text, text.count, 0)
    }

    deinit { close(fd) }
}
