import Dispatch
import Foundation
import Synchronization

/// Ctrl-C while a scheduler runs: the first says what happens next, the second stops at once (exit 130).
///
/// The service group owns the graceful shutdown on SIGINT; this only speaks to the person at the terminal and
/// honours their second press, which the group alone would ignore until the grace period ends.
final class InterruptNotice {
    private let source: DispatchSourceSignal
    private let presses = Atomic<Int>(0)

    /// Starts listening for SIGINT; `say` prints a line for the person (through the log settings).
    init(say: @escaping @Sendable (String) -> Void) {
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let count = self?.presses.add(1, ordering: .relaxed).newValue else { return }
            if count == 1 {
                say("stopping after the current fetches (Ctrl-C again to stop now)")
            } else {
                say("stopping now")
                exit(130)
            }
        }
        source.resume()
    }

    deinit { source.cancel() }
}
