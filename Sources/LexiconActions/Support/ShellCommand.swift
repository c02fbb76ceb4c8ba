import Dispatch
import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a command line with `/bin/sh -c` in a process group of its own, with extra environment variables, its
/// output collected (up to 64 KiB), and a deadline after which the whole group is killed. Used for `cmd:` address
/// sources, `exec` health checks and hooks.
public struct ShellCommand: Sendable {
    /// How a run ended.
    public struct Result: Sendable, Equatable {
        /// The exit status (128 + signal when killed by one); nil when the deadline passed.
        public var status: Int32?
        /// Standard output (and standard error, interleaved, unless it is passed through), at most 64 KiB.
        public var output: String

        /// Whether the command exited with status 0 in time.
        public var succeeded: Bool { status == 0 }

        /// Why it did not succeed, in words (`exit status 2`, `timed out after 5 s`), with its first output line.
        public func failure(timeout: Double) -> String {
            let what = status.map { "exit status \($0)" } ?? "timed out after \(Self.seconds(timeout)) s"
            let first = output.split(separator: "\n").first.map { ": " + $0.prefix(200) } ?? ""
            return what + first
        }

        static func seconds(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
    }

    /// The command line.
    public let command: String
    /// Variables added to (or replacing those of) the environment.
    public let environment: [String: String]
    /// Seconds before the command is killed.
    public let timeout: Double
    /// Whether standard error is collected with the output (true) or passed through to ours.
    public let collectsStandardError: Bool

    /// Creates a command.
    public init(
        _ command: String, environment: [String: String] = [:], timeout: Double = 30,
        collectsStandardError: Bool = true
    ) {
        self.command = command
        self.environment = environment
        self.timeout = timeout
        self.collectsStandardError = collectsStandardError
    }

    /// Runs the command on a thread of its own (never blocking the async executors) and waits for it.
    /// - Throws: ``LexiconError`` `config` when it cannot be started at all.
    public func run() async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "lexicon.command").async {
                continuation.resume(with: Swift.Result { try self.runBlocking() })
            }
        }
    }

    /// Runs the command as a hook: waits for it, and logs (never throws) when it cannot start or does not succeed.
    /// - Parameters:
    ///   - logger: Where a failure is logged, as a warning.
    ///   - context: What the log line starts with (`www.example.com A: `), or nothing.
    public func runAsHook(logger: LexiconLogger, context: String = "") async {
        do {
            let result = try await run()
            if !result.succeeded {
                logger.warning("\(context)the hook \(command) failed: \(result.failure(timeout: timeout))")
            }
        } catch {
            logger.warning("\(context)the hook \(command) did not start: \(error)")
        }
    }

    /// Runs the command on the calling thread.
    public func runBlocking() throws -> Result {
        // Not inherited by commands other threads start meanwhile; the spawn's dup2 clears the flag on 1 and 2.
        guard let pipe = FileIO.closeOnExecPipe() else {
            throw LexiconError(.config, "cannot run \(command): no pipe.")
        }
        let fds = [pipe.read, pipe.write]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        if collectsStandardError { posix_spawn_file_actions_adddup2(&actions, fds[1], 2) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        var variables = ProcessEnvironment.variables
        for (key, value) in environment { variables[key] = value }
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(fds[1])
        guard spawned == 0 else {
            close(fds[0])
            throw LexiconError(.config, "cannot run \(command): \(String(cString: strerror(spawned))).")
        }
        let deadline = MonotonicClock.now() + timeout
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var open = true
        var timedOut = false
        while open {
            let left = deadline - MonotonicClock.now()
            if left <= 0 {
                timedOut = true
                break
            }
            var entry = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, Int32(min(left * 1000, 1000).rounded(.up)))
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            let count = read(fds[0], &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                open = false
            } else if output.count < 65_536 {
                output += buffer[..<min(count, 65_536 - output.count)]
            }
        }
        close(fds[0])
        if timedOut {
            kill(-pid, SIGKILL)
        }
        // The output is closed; the shell may still be finishing (or, past the deadline, being killed).
        var status: Int32 = 0
        while true {
            let waited = waitpid(pid, &status, timedOut ? 0 : WNOHANG)
            if waited == pid { break }
            if waited < 0 && errno != EINTR { break }
            if waited == 0 {
                if MonotonicClock.now() >= deadline {
                    kill(-pid, SIGKILL)
                    timedOut = true
                } else {
                    usleep(5_000)
                }
            }
        }
        let text = String(decoding: output, as: UTF8.self)
        if timedOut { return Result(status: nil, output: text) }
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exit, output: text)
    }

}
