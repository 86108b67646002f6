import Foundation
import Testing
@testable import Market

@Suite("UTCDay")
struct UTCDayTests {
    @Test("civil dates map to days since 1970-01-01 and back", arguments: [
        ("1970-01-01", 0, 4), ("1969-12-31", -1, 3), ("2000-02-29", 11_016, 2),
        ("2026-02-07", 20_491, 6), ("2026-02-08", 20_492, 7), ("2024-04-20", 19_833, 6),
    ])
    func roundTrip(iso: String, days: Int, weekday: Int) throws {
        // Day counts from the Unix epoch (86,400 s per day); weekdays from a calendar (1970-01-01 a Thursday).
        let day = try #require(UTCDay(iso: iso))
        #expect(day.daysSinceEpoch == days)
        #expect(day.iso == iso)
        #expect(day.description == iso)
        #expect(day.weekday == weekday)
        #expect(UTCDay(daysSinceEpoch: days) == day)
    }

    @Test("malformed or impossible ISO dates are rejected", arguments: [
        "2026-2-07", "2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "20260207", "2026-02-07T00:00",
        "abcd-ef-gh", "",
    ])
    func rejects(text: String) {
        #expect(UTCDay(iso: text) == nil)
    }

    @Test("an instant belongs to its UTC day; the day ends at the next midnight")
    func instants() {
        let day = UTCDay(year: 2026, month: 2, day: 7)
        #expect(UTCDay(containing: day.start) == day)
        #expect(UTCDay(containing: day.end.addingTimeInterval(-0.001)) == day)
        #expect(UTCDay(containing: day.end) == day.adding(days: 1))
        #expect(UTCDay(containing: Date(timeIntervalSince1970: -1)) == UTCDay(daysSinceEpoch: -1))
        #expect(day.end.timeIntervalSince(day.start) == 86_400)
        #expect(UTCDay.lastComplete(asOf: day.end) == day)
        #expect(UTCDay.lastComplete(asOf: day.end.addingTimeInterval(-1)) == day.adding(days: -1))
    }

    @Test("weeks are labelled by their Sunday")
    func weekEnding() {
        let monday = UTCDay(year: 2026, month: 2, day: 2)
        #expect(monday.weekday == 1)
        #expect(monday.weekEnding == UTCDay(year: 2026, month: 2, day: 8))
        #expect(UTCDay(year: 2026, month: 2, day: 8).weekEnding == UTCDay(year: 2026, month: 2, day: 8))
    }

    @Test("encodes and decodes as the ISO string")
    func codable() throws {
        let data = try JSONEncoder().encode([UTCDay(year: 2026, month: 2, day: 7)])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-02-07"]"#)
        #expect(try JSONDecoder().decode([UTCDay].self, from: data) == [UTCDay(year: 2026, month: 2, day: 7)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([UTCDay].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }
}
