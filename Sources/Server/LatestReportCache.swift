import Foundation
import Hummingbird
import Reporting
import Synchronization

/// The report "as of now" and its JSON, reused while the store is unchanged and the entry is younger than `ttl`.
///
/// The key is the store's change counter (`PRAGMA data_version` on a connection of our own), read before computing:
/// a commit by any connection or process during or after a computation makes the next request recompute. The TTL
/// bounds how stale "now" gets, because B's age decay moves even when nothing is committed: past it, the entry is
/// still served while one refresh runs in the background. Concurrent misses for the same store version share one
/// computation.
final class LatestReportCache: Sendable {
    struct Entry: Sendable {
        var version: Int64
        var computedAt: ContinuousClock.Instant
        var report: DivergenceReport
        var json: ByteBuffer
    }

    private struct State {
        var entry: Entry?
        var inFlight: (version: Int64, task: Task<Entry, any Error>)?
        var hits = 0
        var computations = 0
    }

    let ttl: Duration
    private let state = Mutex(State())

    init(ttl: Duration) {
        self.ttl = ttl
    }

    /// Requests answered from the cache, and computations started.
    var counts: (hits: Int, computations: Int) { state.withLock { ($0.hits, $0.computations) } }

    /// The cached entry for `version` when fresh, else the result of `compute` (shared with concurrent callers).
    ///
    /// An entry that is only too old (same store version) is still served while one refresh runs in the background,
    /// so the TTL never makes a request wait; an entry of another store version is never served.
    func entry(version: Int64, compute: @escaping @Sendable () async throws -> Entry) async throws -> Entry {
        enum Lookup { case hit(Entry), wait(Task<Entry, any Error>) }
        let now = ContinuousClock.now
        let lookup: Lookup = state.withLock { state in
            let refreshing = state.inFlight?.version == version
            if let entry = state.entry, entry.version == version {
                state.hits += 1
                if now - entry.computedAt >= ttl && !refreshing { start(version: version, compute: compute, state: &state) }
                return .hit(entry)
            }
            if refreshing, let inFlight = state.inFlight { return .wait(inFlight.task) }
            return .wait(start(version: version, compute: compute, state: &state))
        }
        switch lookup {
        case .hit(let entry): return entry
        case .wait(let task): return try await task.value
        }
    }

    /// Starts a computation that stores its entry (unless a newer one arrived first) and clears itself when done.
    @discardableResult
    private func start(version: Int64, compute: @escaping @Sendable () async throws -> Entry, state: inout State) -> Task<Entry, any Error> {
        state.computations += 1
        let task = Task {
            do {
                let entry = try await compute()
                self.state.withLock { state in
                    if state.entry.map({ $0.computedAt < entry.computedAt }) ?? true { state.entry = entry }
                    if state.inFlight?.version == version { state.inFlight = nil }
                }
                return entry
            } catch {
                self.state.withLock { state in if state.inFlight?.version == version { state.inFlight = nil } }
                throw error
            }
        }
        state.inFlight = (version, task)
        return task
    }
}
