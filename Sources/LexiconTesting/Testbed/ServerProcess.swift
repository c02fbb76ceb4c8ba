import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A server process started by a test, stopped by ``stop()`` or, if the test process dies first, by a watchdog
/// shell that outlives it by at most half a second.
public final class ServerProcess: @unchecked Sendable {
    private let pid: pid_t
    private let lock = NSLock()
    private var exited = false
    private var reaped = false
    /// Where the server's output goes.
    public let logPath: String

    /// Starts a program in the background.
    /// - Parameters:
    ///   - executable: The program.
    ///   - arguments: Its arguments.
    ///   - logPath: The file that receives its standard output and error.
    ///   - grace: Tenths of a second the program gets after SIGTERM before SIGKILL; 0 kills at once (for servers
    ///     that ignore SIGTERM, such as pdns_server with guardian=no).
    public init(_ executable: String, _ arguments: [String], logPath: String, grace: Int = 20) throws {
        self.logPath = logPath
        let quoted = ([executable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let parent = ProcessInfo.processInfo.processIdentifier
        let script = """
            \(quoted.joined(separator: " ")) >'\(logPath)' 2>&1 &
            child=$!
            echo $child >'\(logPath).pid'
            finish() {
                kill $child 2>/dev/null
                i=0
                while [ $i -lt \(grace) ] && kill -0 $child 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
                kill -9 $child 2>/dev/null
                wait $child 2>/dev/null
                exit 0
            }
            trap finish TERM INT
            # A trap runs only once the foreground command ends; `wait` ends at once on the signal.
            while kill -0 \(parent) 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.2 & wait $!; done
            finish
            """
        pid = try Spawn.start(
            "/bin/sh", ["-c", script], environment: ProcessInfo.processInfo.environment, directory: nil,
            output: .file("/dev/null")
        ).pid
    }

    /// Whether the server (its watchdog) still runs. A watchdog that ended (its server exited) is reaped here: as an
    /// unreaped zombie it would still count as running.
    public var isRunning: Bool {
        lock.withLock {
            guard !exited && !reaped else { return false }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { reaped = true }
            return !reaped
        }
    }

    /// The server's output so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Stops the server and waits for it, on a thread of its own (see ``Blocking``).
    public func terminate() async {
        await Blocking.run { self.stop() }
    }

    /// Stops the server in the background and then runs `cleanup` (removing its directory): for the `defer` of a
    /// test, which must not block a thread of the cooperative pool while the server shuts down.
    public func stopInBackground(then cleanup: @escaping @Sendable () -> Void = {}) {
        Thread {
            self.stop()
            cleanup()
        }.start()
    }

    /// Stops the server and waits for it, blocking the calling thread.
    @available(*, noasync, message: "blocks a thread of the cooperative pool: use await terminate()")
    public func stop() {
        let (first, alreadyReaped) = lock.withLock {
            defer { exited = true }
            return (!exited, reaped)
        }
        // A reaped pid may belong to another process by now: never signal it.
        guard first && !alreadyReaped else { return }
        _ = Glibc.kill(pid, SIGTERM)
        _ = Spawn.wait(pid)
    }

    /// Kills the server at once with SIGKILL, as a crash would, without waiting for the watchdog.
    public func kill() {
        signal(SIGKILL)
    }

    /// Sends a signal to the server itself (not its watchdog), such as SIGHUP to reload.
    public func signal(_ number: Int32) {
        guard isRunning,
            let text = try? String(contentsOfFile: logPath + ".pid", encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        _ = Glibc.kill(pid, number)
    }

    deinit { stop() }
}
