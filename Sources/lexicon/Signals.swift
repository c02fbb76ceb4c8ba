import Dispatch
import Lexicon
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Signals the loop watches: stop (SIGTERM, SIGINT) and reload (SIGHUP).
final class Signals: @unchecked Sendable {
    let stop = Mutex(false)
    let reload = Mutex(false)
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                if number == SIGHUP { reload.withLock { $0 = true } } else { stop.withLock { $0 = true } }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Sleeps until `deadline` (Unix seconds), a stop or a reload, checking five times a second.
    func sleep(until deadline: Double) async {
        while Double(time(nil)) < deadline && !stop.withLock({ $0 }) && !reload.withLock({ $0 }) {
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
    }
}
