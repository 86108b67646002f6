import Foundation
import Testing

@testable import Fetching

@Suite("HTTP dates and Retry-After")
struct HTTPDateTests {
    // 1994-11-06 08:49:37 UTC = 784111777 s since 1970 (the RFC 9110 example; 8,991 days × 86,400 + 31,777).
    @Test("the three HTTP-date forms parse to the same instant", arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    ])
    func forms(text: String) {
        #expect(HTTPDate.parse(text) == Date(timeIntervalSince1970: 784_111_777))
    }

    @Test("a leap day after 2000 parses (2024-02-29 00:00:00 UTC = 1709164800)")
    func leapDay() {
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 00:00:00 GMT") == Date(timeIntervalSince1970: 1_709_164_800))
    }

    @Test("garbage is not a date", arguments: ["", "yesterday", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT", "06 Nov 1994"])
    func garbage(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test("Retry-After as seconds or as a date relative to the reference; past dates give 0", arguments: [
        ("120", 120.0), ("0", 0.0), (" 45 ", 45.0), ("Sun, 06 Nov 1994 08:51:37 GMT", 120.0),
        ("Sun, 06 Nov 1994 08:00:00 GMT", 0.0), ("-5", nil), ("soon", nil),
    ] as [(String, Double?)])
    func retryAfter(value: String, expected: Double?) {
        let reference = Date(timeIntervalSince1970: 784_111_777)
        #expect(HTTPDate.retryAfterSeconds(value, reference: reference) == expected)
    }
}
