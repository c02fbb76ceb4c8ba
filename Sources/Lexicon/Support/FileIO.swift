#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX file operations: whole-file reads, atomic replacement, and advisory locks.
///
/// Used for zone files and state files, where a crash must never leave a half-written file behind.
public enum FileIO {
    /// Creates a pipe whose two ends are close-on-exec from the start (`pipe2` with `O_CLOEXEC`).
    ///
    /// Set with `fcntl` after `pipe`, a program another thread spawns in between inherits the write end, and whoever
    /// reads the pipe waits for that program to exit before seeing the end of the output.
    /// - Returns: The read and write ends, or nil when no pipe could be made.
    public static func closeOnExecPipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [0, 0]
        #if os(Linux)
            // Glibc's module map leaves out pipe2 (a _GNU_SOURCE declaration); the C library has it.
            typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") {
                guard unsafeBitCast(symbol, to: Pipe2.self)(&fds, O_CLOEXEC) == 0 else { return nil }
                return (fds[0], fds[1])
            }
        #endif
        guard pipe(&fds) == 0 else { return nil }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    /// Reads a whole file.
    /// - Parameter path: The file.
    /// - Returns: Its bytes.
    /// - Throws: ``LexiconError`` `config` naming the file and the reason.
    public static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error("cannot read \(path)") }
        defer { close(fd) }
        return try readAll(fd, path: path)
    }

    /// Reads from an open descriptor until end of file.
    static func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
        var result: [UInt8] = []
        var info = stat()
        if fstat(fd, &info) == 0, info.st_size > 0 { result.reserveCapacity(Int(info.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw error("cannot read \(path)")
            }
            if count == 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    /// Whether a path exists and is a regular file.
    public static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// What identifies one version of a file: device, inode, size and modification time.
    public struct Stamp: Sendable, Hashable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let seconds: Int
        let nanoseconds: Int
    }

    /// The stamp of a file, or nil when it cannot be read.
    public static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
    }

    /// Whether a path exists and is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The permission bits of a file, or nil when it cannot be read.
    public static func permissions(_ path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode & 0o7777)
    }

    /// The names in a directory, sorted.
    public static func list(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw error("cannot read the directory \(directory)") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Replaces a file atomically: writes a temporary file beside it, syncs it, renames it over the original and
    /// syncs the directory. Readers see the old or the new file, never a mix.
    /// - Parameters:
    ///   - path: The file to replace or create.
    ///   - bytes: The new content.
    ///   - mode: Permission bits for a new file; an existing file keeps its own.
    /// - Throws: ``LexiconError`` `config`; the original is untouched when it fails.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32 = 0o644) throws {
        let directory = parentDirectory(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw error("cannot write in \(directory)") }
        let tempPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var done = false
        defer {
            if !done { unlink(tempPath) }
        }
        do {
            let existing = permissions(path)
            fchmod(fd, mode_t(existing ?? mode))
            // The replacement keeps the original's owner and group too (root editing a zone file owned by bind).
            var original = stat()
            if stat(path, &original) == 0 { _ = fchown(fd, original.st_uid, original.st_gid) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw error("cannot write \(path)")
                }
                offset += written
            }
            guard fsync(fd) == 0 else { throw error("cannot write \(path)") }
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        guard rename(tempPath, path) == 0 else { throw error("cannot replace \(path)") }
        done = true
        let dirfd = open(directory, O_RDONLY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    /// Runs a body while holding an exclusive lock on a file, serialising writers across processes.
    ///
    /// Because writers replace the file by renaming, the lock is taken on the file and re-taken if the path
    /// now names a newer file than the one locked.
    /// - Parameters:
    ///   - path: An existing file.
    ///   - body: The work to do under the lock.
    /// - Throws: ``LexiconError`` `config` when the file cannot be opened, or what the body throws.
    public static func withExclusiveLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        while true {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw error("cannot open \(path)") }
            defer { close(fd) }
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR { throw error("cannot lock \(path)") }
            }
            var locked = stat()
            var current = stat()
            fstat(fd, &locked)
            if stat(path, &current) == 0 && current.st_ino == locked.st_ino && current.st_dev == locked.st_dev {
                return try body()
            }
        }
    }

    /// The warning for a file holding secrets that group or others may read, with the `chmod` to run; nil when only
    /// its owner can read it (or it cannot be examined).
    /// - Parameters:
    ///   - path: The file.
    ///   - what: What it holds, for the message (`secrets`, `a TSIG key`).
    public static func secretPermissionWarning(_ path: String, holding what: String = "secrets") -> String? {
        guard let mode = permissions(path), mode & 0o044 != 0 else { return nil }
        return "\(path) holds \(what) and is readable by others; run: chmod 600 \(path)"
    }

    /// Creates a directory and its missing parents (`mkdir -p`).
    /// - Throws: ``LexiconError`` `config` when the directory does not exist afterwards.
    public static func makeDirectories(_ path: String, mode: UInt32 = 0o755) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            _ = mkdir(current, mode_t(mode))
        }
        guard isDirectory(path) else { throw error("cannot create the directory \(path)") }
    }

    /// Creates a directory for state and lock files (mode 700 when new) and refuses one that another user could use
    /// to redirect the writes: owned by someone other than this user or root, or writable by others without the
    /// sticky bit.
    /// - Throws: ``LexiconError`` `config` saying what is wrong and what to do.
    public static func makeOwnDirectory(_ path: String) throws {
        try makeDirectories(path, mode: 0o700)
        var info = stat()
        guard stat(path, &info) == 0 else { throw error("cannot use the directory \(path)") }
        let foreign = info.st_uid != geteuid() && info.st_uid != 0
        let openToOthers = info.st_mode & 0o002 != 0 && info.st_mode & mode_t(S_ISVTX) == 0
        guard !foreign && !openToOthers else {
            throw LexiconError(
                .config,
                "the directory \(path) belongs to another user or others may write to it; use a directory of your "
                    + "own for state and lock files.")
        }
    }

    /// Whether the current user may write to a file (and so replace it).
    public static func isWritable(_ path: String) -> Bool {
        access(path, W_OK) == 0 && access(parentDirectory(of: path), W_OK) == 0
    }

    /// What a symbolic link points to, as written in it; nil when the path is not a link.
    public static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The absolute path with every link, `.` and `..` resolved (`realpath`); nil when it does not exist.
    public static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Whether anything is at a path, a dangling link included.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Makes a symbolic link at `path` to `target`.
    /// - Throws: ``LexiconError`` `config` naming the link and the system's reason.
    public static func makeLink(_ path: String, to target: String) throws {
        guard symlink(target, path) == 0 else { throw error("cannot create \(path)") }
    }

    /// The directory part of a path (`.` when there is none).
    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    private static func error(_ what: String) -> LexiconError {
        let reason = String(cString: strerror(errno)).lowercased()
        return LexiconError(.config, "\(what): \(reason).")
    }
}
