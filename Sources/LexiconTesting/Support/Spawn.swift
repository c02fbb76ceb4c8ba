import Foundation
import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// Starts programs with posix_spawn: every descriptor the child gets is opened with close-on-exec and dup2'ed by
/// the spawn itself, and each is closed exactly once by its owner. (Foundation's Process closed descriptors that
/// other test threads had meanwhile reopened, which dropped their connections at random.)
enum Spawn {
    /// A started child: its pid, and the parent's ends of its output pipes (or -1).
    struct Child {
        var pid: pid_t
        var stdout: Int32
        var stderr: Int32
    }

    /// Where a child's standard output and error go.
    enum Output {
        case pipes
        case file(String)
    }

    /// Starts a program.
    static func start(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String?,
        output: Output
    ) throws -> Child {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var parentEnds: [Int32] = [-1, -1]
        var childEnds: [Int32] = []
        switch output {
        case .pipes:
            for (index, target) in [Int32(1), 2].enumerated() {
                // Close-on-exec from the start: set afterwards, a server another thread spawns meanwhile would
                // inherit the write end, and reading this child's output would wait for that server to exit.
                guard let pipe = FileIO.closeOnExecPipe() else { throw POSIXError(.EMFILE) }
                let fds = [pipe.read, pipe.write]
                parentEnds[index] = fds[0]
                childEnds.append(fds[1])
                posix_spawn_file_actions_adddup2(&actions, fds[1], target)
            }
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var executable = executable
        var arguments = arguments
        if let directory {
            // posix_spawn has no portable chdir action: let a shell change directory and exec the program.
            arguments = ["-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
            executable = "/bin/sh"
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // A child inherits the signal mask of the spawning thread, and the threads of Dispatch and the cooperative
        // pool block nearly every signal: a server would never see SIGTERM, and a shell's `wait` never SIGCHLD.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        for fd in childEnds { close(fd) }
        guard status == 0 else {
            for fd in parentEnds where fd >= 0 { close(fd) }
            throw POSIXError(POSIXErrorCode(rawValue: status) ?? .ENOENT)
        }
        return Child(pid: pid, stdout: parentEnds[0], stderr: parentEnds[1])
    }

    /// Reads both pipes to their end (together, so a full pipe never blocks the child), closes them, and waits.
    static func finish(_ child: Child) -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        var outputs: [[UInt8]] = [[], []]
        var open = [child.stdout, child.stderr]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while open.contains(where: { $0 >= 0 }) {
            var polls = open.filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&polls, nfds_t(polls.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in polls where entry.revents != 0 {
                let index = open.firstIndex(of: entry.fd)!
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    outputs[index] += buffer[..<count]
                } else if count == 0 || errno != EINTR {
                    close(entry.fd)
                    open[index] = -1
                }
            }
        }
        return (wait(child.pid), outputs[0], outputs[1])
    }

    /// Waits for a child and returns its exit status (128 + signal when killed).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
