import Foundation
import Synchronization

/// Runs blocking store work (SQLite reads, report computation) off Swift's cooperative threads, at most `limit` at a
/// time; when `maxWaiting` requests already wait, further ones are refused (HTTP 503) instead of queueing without bound.
final class StoreWork: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Bool, Never>] = []
    }

    let limit: Int
    let maxWaiting: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "divergence.server.store-work", attributes: .concurrent)

    init(limit: Int, maxWaiting: Int) {
        self.limit = max(1, limit)
        self.maxWaiting = max(0, maxWaiting)
    }

    /// Runs `body` on a worker thread once a slot is free; throws 503 when too many requests wait already.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await acquire()
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { try body() }) }
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
