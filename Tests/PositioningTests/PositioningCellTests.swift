import Market
import Testing
@testable import Positioning

@Suite("Positioning cells")
struct PositioningCellTests {
    @Test("flow tracker numbers: parentheses are negative, thousands separators and dashes are understood", arguments: [
        ("(1,234.5)", PositioningCells.Number.value(-1234.5)),
        ("1,234.5", .value(1234.5)),
        ("-12.3", .value(-12.3)),
        ("−12.3", .value(-12.3)),
        ("$45.0", .value(45)),
        ("0", .value(0)),
        ("-", .noData),
        ("—", .noData),
        ("–", .noData),
        ("n/a", .noData),
        ("", .noData),
        ("12.3abc", .unreadable),
        ("1e400", .unreadable),
    ])
    func numbers(text: String, expected: PositioningCells.Number) {
        #expect(PositioningCells.number(text) == expected)
    }

    @Test("report and flow dates in the layouts sources use", arguments: [
        ("2026-02-03", "2026-02-03"),
        ("2026-02-03T00:00:00.000", "2026-02-03"),
        ("03 Feb 2026", "2026-02-03"),
        ("3-Feb-26", "2026-02-03"),
        ("02/03/2026", "2026-02-03"),
        ("260203", "2026-02-03"),
    ])
    func days(text: String, iso: String) {
        #expect(PositioningCells.day(text)?.iso == iso)
    }

    @Test("impossible dates and totals rows are not days", arguments: ["Total", "2026-02-30", "13/01/2026", "Average", "261340"])
    func notDays(text: String) {
        #expect(PositioningCells.day(text) == nil)
    }
}
