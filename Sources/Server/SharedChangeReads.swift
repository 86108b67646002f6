import Foundation
import Storage
import Synchronization

/// The store's change counter, read once for every request that asks while a read is under way.
///
/// On PostgreSQL each read is a round trip to the server, and `/v1/divergence/latest` reads it on every request to
/// revalidate its cached report. A request arriving while a read is under way waits for the next read, which starts when
/// that one ends and answers every request that arrived meanwhile: each request still gets a value read after it arrived
/// (so it sees every commit made before it), while a replica under load makes one round trip per round of requests
/// rather than one per request. Reads run on a thread of their own, never on Swift's cooperative threads.
final class SharedChangeReads: Sendable {
    private typealias Waiter = CheckedContinuation<Result<Int64, StoreError>, Never>

    private struct State {
        var reading = false
        var waiting: [Waiter] = []
    }

    private let counter: StoreChangeCounter
    private let state = Mutex(State())
    private let reader = WorkerThreads(count: 1, name: "divergence-change-reads")

    init(_ counter: StoreChangeCounter) { self.counter = counter }

    /// A counter value read after this call began.
    func current() async throws(StoreError) -> Int64 {
        let result: Result<Int64, StoreError> = await withCheckedContinuation { (continuation: Waiter) in
            let starts = state.withLock { state in
                state.waiting.append(continuation)
                guard !state.reading else { return false }
                state.reading = true
                return true
            }
            if starts { reader.submit { [self] in readRounds() } }
        }
        return try result.get()
    }

    /// Reads for the requests waiting, round after round, until a round finds none.
    private func readRounds() {
        while true {
            let waiting = state.withLock { state in
                let waiting = state.waiting
                state.waiting = []
                if waiting.isEmpty { state.reading = false }
                return waiting
            }
            if waiting.isEmpty { return }
            let result = Result { () throws(StoreError) -> Int64 in try counter.current() }
            for waiter in waiting { waiter.resume(returning: result) }
        }
    }
}
