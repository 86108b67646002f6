import Foundation
@testable import Server
import Storage
import StoreTestSupport
import Testing

/// Replicas on PostgreSQL share change-counter reads between concurrent requests without ever answering from before a
/// request arrived.
@Suite("Shared change-counter reads", .enabled(if: StoreBackendKind.available.contains(.postgresql), "PostgreSQL is not installed here (CI installs it)"))
struct SharedChangeReadsTests {
    @Test("concurrent requests each get a counter value read after they asked, so every commit before them is seen")
    func everyRequestSeesEarlierCommits() async throws {
        let store = try StoreBackendKind.postgresql.freshStore()
        let shared = SharedChangeReads(try StoreChangeCounter(store: store))
        let direct = try StoreChangeCounter(store: store)
        var previous = try direct.current()
        for round in 0..<15 {
            try store.commit(IngestBatch(), sourceID: nil, fetchState: nil)
            // The sequence only grows: the value after this commit, read directly, bounds every later read from below.
            let afterCommit = try direct.current()
            #expect(afterCommit > previous, "round \(round): a commit moves the counter")
            previous = afterCommit
            let values = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<24 { group.addTask { try await shared.current() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(values.count == 24 && values.allSatisfy { $0 >= afterCommit }, "round \(round): \(values) against \(afterCommit)")
        }
    }
}
