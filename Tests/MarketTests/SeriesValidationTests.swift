import Foundation
import Testing
@testable import Market

/// What `series import` and the market adapters accept: a bad field rejects its row, nothing is invented.
@Suite("Series validation where numbers enter")
struct SeriesValidationTests {
    /// 2026-02-08 00:00 UTC: tomorrow is 2026-02-09.
    static let now = Date(timeIntervalSince1970: 1_770_508_800)
    static let validation = SeriesValidation(now: now)

    static func prices(_ text: String, allowOutliers: Bool = false) throws -> SeriesImport<PriceCandle> {
        try SeriesCSV.prices(Array(text.utf8), source: "p.csv", validation: SeriesValidation(now: now, allowOutliers: allowOutliers))
    }

    @Test("the issue's row `nan,inf,-1,1e308` is rejected for its first bad field, not stored as 1e308")
    func issueRow() throws {
        let imported = try Self.prices("date,open,high,low,close,volume\n2026-01-01,100,110,90,105,5\n2026-01-02,nan,inf,-1,1e308\n")
        #expect(imported.points.map(\.close) == [105])
        #expect(imported.problems == [SeriesProblem(source: "p.csv", line: 3, reason: "open nan is not finite")])
    }

    @Test("each bad field rejects its row with line and reason", arguments: [
        ("2026-01-02,abc,110,90,105,5", "open 'abc' is not a number"),
        ("2026-01-02,\"1,2\",110,90,105,5", "open '1,2' is not a number"),
        ("2026-01-02,0x10,110,90,105,5", "open '0x10' is not a number"),
        ("2026-01-02,100,inf,90,105,5", "high inf is not finite"),
        ("2026-01-02,100,110,-1,105,5", "low -1.0 is not positive"),
        ("2026-01-02,100,110,0,105,5", "low 0.0 is not positive"),
        ("2026-01-02,100,110,101,105,5", "low 101.0 is above the open or close"),
        ("2026-01-02,100,104,90,105,5", "high 104.0 is below the open or close"),
        ("2026-01-02,100,110,90,105,-5", "volume -5.0 is not a finite non-negative number"),
        ("2026-01-02,100,110,90,,5", "missing close"),
        ("2026-01-02,,110,90,105,5", "missing open"),
        ("1000-01-02,100,110,90,105,5", "day 1000-01-02 is before the genesis block (2009-01-03)"),
        ("2009-01-02,100,110,90,105,5", "day 2009-01-02 is before the genesis block (2009-01-03)"),
        ("2026-02-10,100,110,90,105,5", "day 2026-02-10 is in the future"),
        ("2026-01-02,100,2e9,90,105,5", "high 2000000000.0 is above the plausible $1000000000 per BTC (--allow-outliers keeps it)"),
    ])
    func badField(row: String, reason: String) throws {
        let imported = try Self.prices("date,open,high,low,close,volume\n2026-01-01,100,110,90,105,5\n\(row)\n2026-01-03,100,110,90,105,5\n")
        #expect(imported.points.map(\.day.iso) == ["2026-01-01", "2026-01-03"])
        #expect(imported.problems == [SeriesProblem(source: "p.csv", line: 3, reason: reason)])
        #expect(imported.rowsRead == imported.points.count + imported.superseded + imported.problems.count)
    }

    @Test("tomorrow (UTC) is still accepted; the day after is not")
    func tomorrow() throws {
        let imported = try Self.prices("date,close\n2026-02-09,100\n2026-02-10,100\n")
        #expect(imported.points.map(\.day.iso) == ["2026-02-09"])
    }

    @Test("a missing volume is stored as missing, not 0")
    func missingVolume() throws {
        let imported = try Self.prices("date,open,high,low,close,volume\n2026-01-01,100,110,90,105,\n2026-01-02,100,110,90,105,7\n")
        #expect(imported.points.map(\.volume) == [nil, 7])
        #expect(imported.problems.isEmpty)
    }

    @Test("a close-only file still means open = high = low = close (no column to replace)")
    func closeOnly() throws {
        let imported = try Self.prices("date,close\n2026-01-01,105\n")
        #expect(imported.points == [PriceCandle(day: UTCDay(year: 2026, month: 1, day: 1), open: 105, high: 105, low: 105, close: 105)])
    }

    @Test("an out-of-order row is reported with its line, and the rows are stored sorted")
    func outOfOrder() throws {
        let imported = try Self.prices("date,close\n2026-01-01,100\n2026-01-03,101\n2026-01-02,102\n")
        #expect(imported.points.map(\.close) == [100, 102, 101])
        #expect(imported.warnings.contains(SeriesProblem(source: "p.csv", line: 4, reason: "2026-01-02 comes after 2026-01-03 in the file (out of order; sorted)")))
    }

    @Test("counts add up: stored + superseded duplicates + rejected = rows read")
    func countsAddUp() throws {
        let imported = try Self.prices("date,open,high,low,close\n2026-01-01,100,110,90,105\n2026-01-01,100,110,90,106\n2026-01-02,abc,110,90,105\n"
            + "2026-01-03,100,110,90,105\n2026-01-04,1,1,1,nan\n")
        #expect(imported.rowsRead == 5)
        #expect(imported.points.count == 2)
        #expect(imported.superseded == 1)
        #expect(imported.problems.count == 2)
    }

    @Test("an unclosed quote on the last line costs that line only")
    func brokenLastLine() throws {
        let imported = try Self.prices("date,close\n2026-01-01,100\n2026-01-02,101\n2026-01-03,\"102\n")
        #expect(imported.points.map(\.close) == [100, 101])
        #expect(imported.problems == [SeriesProblem(source: "p.csv", line: 4, reason: "quoted field never closes; row skipped")])
        #expect(imported.rowsRead == 3)
    }

    @Test("a close beyond 10× or under 0.1× the median of its neighbours is rejected unless outliers are allowed")
    func outliers() throws {
        // Neighbours of 2026-01-03 (up to three each side): 100, 101, 103, 104, 9 → median 101; 2,000 / 101 ≈ 19.8 > 10.
        let text = "date,close\n2026-01-01,100\n2026-01-02,101\n2026-01-03,2000\n2026-01-04,103\n2026-01-05,104\n2026-01-06,9\n2026-01-07,105\n"
        let strict = try Self.prices(text)
        #expect(strict.points.map(\.close) == [100, 101, 103, 104, 105])
        #expect(strict.problems.map(\.line) == [4, 7])
        #expect(strict.problems[0].reason.hasPrefix("close 2000.0 is more than 10× the median close 101.0 of its neighbours"))
        // 9 against 2,000, 103, 104 and 105: median 104.5 → 9 / 104.5 < 0.1.
        #expect(strict.problems[1].reason.hasPrefix("close 9.0 is less than 0.1× the median close"))
        #expect(try Self.prices(text, allowOutliers: true).points.count == 7)
    }

    @Test("hashrate rows: negative, non-finite, year 1000 and implausible values are rejected")
    func hashrate() throws {
        let text = "date,hashrate_ehs\n2026-01-01,900\n1000-01-01,900\n2026-01-02,-1\n2026-01-03,inf\n2026-01-04,2e9\n2026-01-05,\n"
        let imported = try SeriesCSV.hashrate(Array(text.utf8), source: "h.csv", validation: Self.validation)
        #expect(imported.points.map(\.exahashesPerSecond) == [900])
        #expect(imported.problems.map(\.line) == [3, 4, 5, 6, 7])
        #expect(imported.problems[0].reason == "day 1000-01-01 is before the genesis block (2009-01-03)")
    }

    @Test("Kraken rows are checked the same way: a high below the close is rejected, not stored")
    func kraken() throws {
        let body = #"{"error":[],"result":{"XXBTZUSD":[[1767225600,"100","110","90","105","100","2",1],[1767312000,"100","104","90","105","100","2",1]],"last":0}}"#
        let imported = try KrakenOHLC.candles(Array(body.utf8), source: "k", now: Self.now)
        #expect(imported.points.map(\.day.iso) == ["2026-01-01"])
        #expect(imported.problems.map(\.reason) == ["row 1: high 104.0 is below the open or close"])
    }

    @Test("formatting is total: 1e308, -1e308, nan, infinity and negatives print without a trap", arguments: [
        (1e308, "$1.00e+308"), (-1e308, "-$1.00e+308"), (Double.nan, "$—"), (Double.infinity, "$—"), (-1234.4, "-$1,234"),
        (64_478, "$64,478"), (999_999_999_999_999, "$999,999,999,999,999"), (1e15, "$1.00e+15"), (5e-324, "$0"),
    ])
    func usd(value: Double, text: String) {
        #expect(Format.usd(value) == text)
    }

    @Test("fixed and percent never trap either", arguments: [
        (1e308, 2, "1.00e+308"), (-0.7234, 2, "-0.72"), (Double.nan, 1, "—"), (9.3e18, 0, "9.30e+18"), (0.004, 2, "0.00"),
    ])
    func fixed(value: Double, decimals: Int, text: String) {
        #expect(Format.fixed(value, decimals) == text)
        _ = Format.percent(value)
    }
}
