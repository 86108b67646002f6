import Foundation
import Synchronization

/// Runs blocking store work (SQLite reads, report computation) on `limit` threads of its own, never on Swift's
/// cooperative threads or libdispatch's shared pool (which on Linux grows slowly when its threads block, so blocked
/// work there starves everything else). When `maxWaiting` requests already wait, further ones are refused (HTTP 503)
/// instead of queueing without bound.
final class StoreWork: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Bool, Never>] = []
    }

    let limit: Int
    let maxWaiting: Int
    private let state = Mutex(State())
    private let workers: WorkerThreads

    init(limit: Int, maxWaiting: Int) {
        self.limit = max(1, limit)
        self.maxWaiting = max(0, maxWaiting)
        workers = WorkerThreads(count: self.limit, name: "divergence-store")
    }

    /// Requests waiting for a slot now.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Runs `body` on a worker thread once a slot is free; throws 503 when too many requests wait already.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await acquire()
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            workers.submit { continuation.resume(returning: Result { try body() }) }
        }
        release()
        return try result.get()
    }

    private func acquire() async throws {
        let admitted = state.withLock { state in
            guard state.running < limit else { return false }
            state.running += 1
            return true
        }
        if admitted { return }
        let queued: Bool = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            enum Decision { case run, wait, refuse }
            let decision: Decision = state.withLock { state in
                // A slot may have been freed since the first look.
                if state.running < limit {
                    state.running += 1
                    return .run
                }
                guard state.waiting.count < maxWaiting else { return .refuse }
                state.waiting.append(continuation)
                return .wait
            }
            switch decision {
            case .run: continuation.resume(returning: true)
            case .refuse: continuation.resume(returning: false)
            case .wait: break
            }
        }
        guard queued else { throw APIError(status: 503, message: "the server is busy computing other requests; retry shortly") }
    }

    /// Hands the slot to the first waiter, or frees it.
    private func release() {
        let next: CheckedContinuation<Bool, Never>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume(returning: true)
    }
}

/// A fixed set of threads running submitted jobs in order; they finish their jobs and exit when this is released.
final class WorkerThreads: Sendable {
    /// The jobs and the stop flag, shared with the threads (which must not keep `WorkerThreads` alive).
    private final class Jobs: Sendable {
        struct Queue {
            var pending: [@Sendable () -> Void] = []
            var stopping = false
        }
        let queue = Mutex(Queue())
        let available = DispatchSemaphore(value: 0)

        func loop() {
            while true {
                available.wait()
                let (job, stop) = queue.withLock { state in (state.pending.isEmpty ? nil : state.pending.removeFirst(), state.stopping) }
                if let job { job() } else if stop { return }
            }
        }
    }

    private let jobs = Jobs()
    private let count: Int

    init(count: Int, name: String) {
        self.count = count
        for index in 0..<count {
            let thread = Thread { [jobs] in jobs.loop() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    deinit {
        jobs.queue.withLock { $0.stopping = true }
        for _ in 0..<count { jobs.available.signal() }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.queue.withLock { $0.pending.append(job) }
        jobs.available.signal()
    }
}
