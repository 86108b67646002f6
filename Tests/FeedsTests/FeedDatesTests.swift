import Foundation
import Testing
@testable import Feeds

@Suite("FeedDates")
struct FeedDatesTests {
    // Every input names the instant 2026-02-07 04:22:00 UTC; offsets worked by hand (EST = UTC-5, PDT = UTC-7,
    // military E = +5 and R = -5 per RFC 822 §5, corrected sign convention).
    @Test("RFC 822 variants and ISO 8601 forms resolve to the same UTC instant", arguments: [
        "Sat, 07 Feb 2026 04:22:00 GMT",
        "07 Feb 2026 04:22:00 +0000",
        "Sat, 07 Feb 2026 04:22 GMT",
        "Sat, 07 Feb 26 04:22:00 GMT",
        "Fri, 06 Feb 2026 23:22:00 EST",
        "Fri, 06 Feb 2026 21:22:00 PDT",
        "Sat, 07 Feb 2026 04:22:00 UT",
        "Sat, 07 Feb 2026 09:22:00 E",
        "Fri, 06 Feb 2026 23:22:00 R",
        "Sat, 07 Feb 2026 04:22:00",
        "Sat, 07 Feb 2026 06:22:00 +0200",
        "Sat,07 Feb 2026 04:22:00 GMT",
        "Saturday, 7 February 2026 04:22:00 Z",
        "Sat Feb  7 04:22:00 2026",
        "February 7, 2026 4:22 AM",
        "2026-02-07T04:22:00Z",
        "2026-02-07T04:22:00.250Z",
        "2026-02-07T05:22:00+01:00",
        "2026-02-06T23:22:00-0500",
        "2026-02-07T04:22Z",
        "2026-02-07 04:22:00",
        "20260207T042200Z",
    ])
    func sameInstant(_ text: String) {
        #expect(iso(FeedDates.parse(text)) == "2026-02-07T04:22:00Z")
    }

    @Test("date-only and month-only W3CDTF mean midnight UTC on the first missing unit", arguments: [
        ("2026-02-07", "2026-02-07T00:00:00Z"),
        ("2026-02", "2026-02-01T00:00:00Z"),
        ("07 Feb 2026", "2026-02-07T00:00:00Z"),
        ("Sun, 01 Jan 99 00:00:00 GMT", "1999-01-01T00:00:00Z"),
    ])
    func partialDates(_ text: String, _ expected: String) {
        #expect(iso(FeedDates.parse(text)) == expected)
    }

    @Test("unparseable text gives nil", arguments: ["", "not a date", "Sat, 32 Feb 2026 04:22:00 GMT", "2026-13-01", "yesterday"])
    func unparseable(_ text: String) {
        #expect(FeedDates.parse(text) == nil)
    }
}
