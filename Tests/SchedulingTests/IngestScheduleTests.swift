import Foundation
@testable import Ingestion
import Storage
import Testing

@Suite("Which sources are due, and when the scheduler wakes")
struct IngestScheduleTests {
    let now = Date(timeIntervalSince1970: 1_770_465_600)

    func source(id: Int64, interval: Double = 3600, nextFetch: Date?, failures: Int = 0, disabled: Bool = false) -> StoredSource {
        StoredSource(id: id, location: "https://example.com/\(id).xml", name: "s\(id)", kind: .news, publisherType: .media, intervalSeconds: interval,
                     origin: "config", options: [:], active: true, etag: nil, lastModified: nil, lastStatus: nil, lastError: nil,
                     consecutiveFailures: failures, nextFetch: nextFetch, lastSuccess: nil, disabled: disabled)
    }

    @Test("jitter stays within 10% of the interval, capped at 5 minutes, and is fixed per source")
    func jitterBounds() {
        var values: Set<Double> = []
        for id in Int64(1)...500 {
            let jitter = IngestSchedule.jitter(sourceID: id, interval: 600)
            #expect(jitter >= 0 && jitter < 60)
            #expect(IngestSchedule.jitter(sourceID: id, interval: 600) == jitter)
            #expect(IngestSchedule.jitter(sourceID: id, interval: 86_400) < 300)
            values.insert((jitter / 6).rounded(.down))
        }
        // 500 sources over 10 buckets of 6 s: every bucket is used, so fetches spread out.
        #expect(values.count == 10)
    }

    @Test("never-fetched sources are due at once, disabled ones never, others after next fetch plus jitter")
    func dueSelection() {
        let sources = [
            source(id: 1, nextFetch: nil),
            source(id: 2, nextFetch: now.addingTimeInterval(-1)),
            source(id: 3, nextFetch: now.addingTimeInterval(600)),
            source(id: 4, nextFetch: nil, disabled: true),
            source(id: 5, nextFetch: now.addingTimeInterval(-400)),
        ]
        let due = IngestSchedule.due(sources, at: now).map(\.id)
        let jitter2 = IngestSchedule.jitter(sourceID: 2, interval: 3600)
        #expect(due.contains(1) && due.contains(5) && !due.contains(3) && !due.contains(4))
        #expect(due.contains(2) == (jitter2 <= 1))
        #expect(IngestSchedule.due(sources, at: now.addingTimeInterval(301)).map(\.id).contains(2), "jitter is at most 5 minutes")
        #expect(IngestSchedule.dueTime(of: sources[3]) == nil)
    }

    @Test("the scheduler wakes for the first due source, at most `every` and at least the minimum gap later")
    func nextWake() {
        let soon = source(id: 7, interval: 60, nextFetch: now.addingTimeInterval(120))
        let wake = IngestSchedule.nextWake([soon], after: now, every: 900)
        #expect(wake == now.addingTimeInterval(120 + IngestSchedule.jitter(sourceID: 7, interval: 60)))
        #expect(IngestSchedule.nextWake([source(id: 8, nextFetch: now.addingTimeInterval(7200))], after: now, every: 900) == now.addingTimeInterval(900))
        #expect(IngestSchedule.nextWake([source(id: 9, nextFetch: nil)], after: now, every: 900, minimumGap: 5) == now.addingTimeInterval(5))
        #expect(IngestSchedule.nextWake([], after: now, every: 900) == now.addingTimeInterval(900))
    }
}

@Suite("What a feed declares lengthens its interval")
struct DeclaredIntervalTests {
    @Test("the longest of config, max-age and ttl wins, capped at a day; a shorter declaration never speeds polling up", arguments: [
        (3600.0, nil, nil, 3600.0),
        (3600.0, 7200.0, nil, 7200.0),
        (3600.0, 60.0, nil, 3600.0),
        (900.0, nil, 30, 1800.0),
        (900.0, 1200.0, 30, 1800.0),
        (900.0, 604_800.0, nil, 86_400.0),
        (172_800.0, 60.0, 5, 172_800.0),
    ] as [(Double, Double?, Int?, Double)])
    func declared(_ configured: Double, _ maxAge: Double?, _ ttl: Int?, _ expected: Double) {
        #expect(IngestSchedule.interval(configured: configured, maxAge: maxAge, ttlMinutes: ttl) == expected)
    }
}
