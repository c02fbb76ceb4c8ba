#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// An advisory lock that serialises the writers of one zone at one provider and endpoint on this machine: every
/// process and every library client that changes the zone takes it around its read, merge, write and read-back.
///
/// The lock is a `flock` on a file in a private directory (`lock_dir`, by default `/tmp/lexicon-<uid>`), so the
/// kernel releases it when its holder exits, however it exits; the small files themselves stay for the next writer.
/// The holder's process id is written into the file, for the message of a writer that waited too long.
public final class ZoneLock: Sendable {
    /// The lock file.
    public let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Releases the lock now (it is also released when the value is deinitialised or the process exits).
    public func release() { _ = flock(fd, LOCK_UN) }

    /// The default directory of lock files: `/tmp/lexicon-<uid>`, the same in every session of one user (a hook run
    /// by cron and a shell must meet at the same lock).
    public static var defaultDirectory: String { "/tmp/lexicon-\(geteuid())" }

    /// The lock file of a zone at a provider and endpoint, inside a directory.
    public static func path(directory: String, provider: String, endpoint: String, zone: String) -> String {
        var hash = FNV1a()
        hash.mix("\(provider)\n\(endpoint)\n\(zone)".utf8)
        return "\(directory)/\(provider)-\(zone)-\(hash.hex.prefix(8)).lock"
    }

    /// Takes the lock, waiting while another writer holds it.
    /// - Parameters:
    ///   - path: The lock file (see ``path(directory:provider:endpoint:zone:)``).
    ///   - timeout: Seconds to wait at most.
    ///   - what: What is locked, for messages (`the zone example.com at powerdns`).
    /// - Returns: The held lock; it is released when the value is deinitialised.
    /// - Throws: ``LexiconError`` `config` when the directory or file cannot be used safely, `network` when another
    ///   writer held the lock for the whole timeout.
    public static func acquire(path: String, timeout: Double, what: String) async throws -> ZoneLock {
        let directory = FileIO.parentDirectory(of: path)
        try preparePrivateDirectory(directory)
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LexiconError(
                .config,
                "cannot open the lock file \(path): \(String(cString: strerror(errno)).lowercased()); set lock_dir "
                    + "(LEXICON_LOCK_DIR) to a directory of your own.")
        }
        let started = MonotonicClock.now()
        var pause = 0.005
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(fd)
                throw LexiconError(.config, "cannot lock \(path): \(String(cString: strerror(errno)).lowercased()).")
            }
            let waited = MonotonicClock.now() - started
            guard waited < timeout else {
                let owner = holder(fd).map { "process \($0)" } ?? "another process"
                close(fd)
                throw LexiconError(
                    .network,
                    "waited \(Int(waited.rounded())) s for \(what): \(owner) still holds its lock (\(path)). If that "
                        + "process is stuck, stop it; the lock is released when it exits.")
            }
            try? await Task.sleep(nanoseconds: UInt64(min(pause, timeout - waited) * 1e9))
            pause = min(pause * 2, 0.1)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, text, text.count, 0)
        return ZoneLock(path: path, fd: fd)
    }

    /// The process id written by the current holder, if readable.
    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).prefix { $0.isNumber })
    }

    /// Creates the directory (mode 700) if needed, and refuses one that another user could have planted: a link, or
    /// a directory owned by someone else or writable by others.
    static func preparePrivateDirectory(_ directory: String) throws {
        if mkdir(directory, 0o700) != 0 && errno == ENOENT {
            try FileIO.makeDirectories(directory, mode: 0o700)
        }
        var info = stat()
        guard lstat(directory, &info) == 0 else {
            throw LexiconError(
                .config, "cannot use the lock directory \(directory): \(String(cString: strerror(errno)).lowercased())."
            )
        }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        guard isDirectory, info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else {
            throw LexiconError(
                .config,
                "the lock directory \(directory) is not a private directory of this user (a link, another owner, or "
                    + "writable by others); remove it, or set lock_dir (LEXICON_LOCK_DIR) to a directory of your own.")
        }
    }
}
