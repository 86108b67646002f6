import Foundation
import Ingestion
import Logging
import Market
import Positioning
import Reporting
import Scoring
import Settings
import Storage

/// Reads every positioning fixture layout, then scores revealed Bᵣ from the real flows and TFF rows in
/// `positioning/` beside the demo scenario's stated Bₛ over December 2025 – February 2026; true when all checks pass.
///
/// Checks: the flow component as of 2026-02-05 has the sign of the trailing 20-day flow sum (summed here from the CSV);
/// the positioning component reads the asset-manager net long / OI of the last report published by then (computed
/// here from the CSV); as of a Thursday the newest TFF row is the previous week's.
func validatePositioning(dataDirectory: URL, project: URL) async -> Bool {
    var passed = true
    func check(_ ok: Bool, _ text: String) {
        print("  [\(ok ? "ok" : "FAIL")] \(text)")
        if !ok { passed = false }
    }
    print("positioning: fixture layouts in feeds/demo/positioning")
    let fixtures = project.appendingPathComponent("feeds/demo/positioning")
    let layouts: [(String, String?)] = [("etf-flows-wide.csv", "wide-csv"), ("etf-flows-small-funds-long.csv", "long-csv"),
                                        ("etf-flows-tracker.html", "html-table"), ("cftc-tff-api.json", nil), ("cftc-tff-weekly-2026.txt", nil)]
    for (file, layout) in layouts {
        let bytes = Array(FileManager.default.contents(atPath: fixtures.appendingPathComponent(file).path) ?? Data())
        do {
            if file.hasPrefix("cftc") {
                let read = try TFFReader.read(bytes, source: file)
                check(!read.points.isEmpty && read.problems.isEmpty, "\(file): \(read.points.count) TFF report(s), \(read.problems.count) problem(s)")
            } else {
                let read = try ETFFlowReader.read(bytes, source: file, layout: layout)
                check(!read.points.isEmpty && read.problems.isEmpty, "\(file) (\(layout ?? "auto")): \(read.points.count) fund-day(s), \(read.problems.count) problem(s)")
            }
        } catch {
            check(false, "\(file): \(error)")
        }
    }

    let flowsFile = dataDirectory.appendingPathComponent("btc-etf-flows-daily.csv"), tffFile = dataDirectory.appendingPathComponent("cftc-tff-bitcoin-weekly.csv")
    guard let flowBytes = FileManager.default.contents(atPath: flowsFile.path), let tffBytes = FileManager.default.contents(atPath: tffFile.path) else {
        print("positioning: cannot read \(flowsFile.path) or \(tffFile.path)")
        return false
    }
    let flows: SeriesImport<ETFFlow>, reports: SeriesImport<TFFReport>
    do {
        flows = try ETFFlowReader.read(Array(flowBytes), source: flowsFile.lastPathComponent)
        reports = try TFFReader.read(Array(tffBytes), source: tffFile.lastPathComponent)
    } catch {
        print("positioning: \(error)")
        return false
    }
    print("positioning: \(flows.points.count) fund-days (\(flows.points.first?.day.iso ?? "-") … \(flows.points.last?.day.iso ?? "-")), \(reports.points.count) TFF reports (\(reports.points.first?.reportDate.iso ?? "-") … \(reports.points.last?.reportDate.iso ?? "-"))")
    check(flows.problems.isEmpty && reports.problems.isEmpty, "real files read without rejected rows (\(flows.problems.count) flow, \(reports.problems.count) TFF)")

    // Stated Bₛ from the demo scenario's stated evidence (its news, surveys, market data), revealed Bᵣ from the real files.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-validate-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let history: [HistoryPoint]
    let asOfCheck = UTCDay(year: 2026, month: 2, day: 5)
    let revealed: RevealedBullishness
    let storedReports: [TFFReport]
    do {
        var config = try ConfigLoader.load(path: project.appendingPathComponent("feeds/demo/divergence.toml").path)
        config.sources.removeAll { $0.kind == .etfFlows || $0.kind == .cftcTFF }
        // The demo weights Bᵣ 0 to keep its pinned B; here B is the default mix of the two.
        config.bullishnessMix = BullishnessMixWeights()
        let store = try Store(path: scratch.appendingPathComponent("validate.sqlite").path)
        _ = try await Ingestor(config: config, store: store, logger: Logger(label: "validate")).ingestAll(now: UTCDay(year: 2026, month: 2, day: 8).start)
        var batch = IngestBatch()
        batch.etfFlows = flows.points
        batch.tffReports = reports.points
        try store.commit(batch, sourceID: nil, fetchState: nil)
        history = try HistoryBuilder(config: config, store: store).history(from: UTCDay(year: 2025, month: 12, day: 1), to: UTCDay(year: 2026, month: 2, day: 28), step: .week)
        revealed = RevealedIndex.compute(flows: try store.etfFlowDays(asOf: asOfCheck.end), reports: try store.tffReports(asOf: asOfCheck.end),
                                         asOf: asOfCheck.end, parameters: config.revealed)
        storedReports = try store.tffReports(asOf: asOfCheck.end)
    } catch {
        print("positioning: \(error)")
        return false
    }
    print("  day           Bs      Br     gap       B")
    for point in history {
        func text(_ value: Double?) -> String { value.map { String(format: "%+7.1f", $0) } ?? "    n/a" }
        let gap = point.stated.flatMap { s in point.revealed.map { $0 - s } }
        print("  \(point.day.iso) \(text(point.stated)) \(text(point.revealed)) \(text(gap)) \(text(point.bullishness))")
    }

    // The trailing 20 trading days (days with any non-zero fund flow) ending on or before 2026-02-05, summed from the file.
    let byDay = Dictionary(grouping: flows.points.filter { $0.day <= asOfCheck }, by: \.day)
    let tradingDays = byDay.filter { $0.value.contains { $0.flowUSDMillions != 0 } }.keys.sorted().suffix(20)
    let sum20 = tradingDays.reduce(0.0) { total, day in total + (byDay[day] ?? []).reduce(0) { $0 + $1.flowUSDMillions } }
    let flow20 = revealed.components.first { $0.id == "etf_flow_20d" }
    check(flow20.map { ($0.value > 0) == (sum20 > 0) && $0.value != 0 } ?? false,
          "flow component as of \(asOfCheck.iso): \(flow20.map { String(format: "%+.1f", $0.value) } ?? "n/a"), trailing 20-day sum \(String(format: "%+.1f", sum20)) USD m (\(tradingDays.first?.iso ?? "-") … \(tradingDays.last?.iso ?? "-")): same sign")

    // The last report published (Friday after its Tuesday, end of day) by the end of 2026-02-05.
    let published = reports.points.filter { $0.reportDate.adding(days: 3) <= asOfCheck }.max { $0.reportDate < $1.reportDate }
    let expectedShare = published.map { ($0.assetManagerLong - $0.assetManagerShort) / $0.openInterest }
    let positioning = revealed.components.first { $0.id == "asset_manager_positioning" }
    let readShare = positioning?.evidence.first?.value
    check(expectedShare != nil && readShare == expectedShare,
          "positioning component reads the report of \(published?.reportDate.iso ?? "-"): asset-manager net long \(expectedShare.map { String(format: "%.4f", $0) } ?? "-") of OI, read \(readShare.map { String(format: "%.4f", $0) } ?? "-"); component \(positioning.map { String(format: "%+.1f", $0.value) } ?? "n/a")")
    check(asOfCheck.weekday == 4 && storedReports.last?.reportDate == asOfCheck.adding(days: -9),
          "as of Thursday \(asOfCheck.iso) the newest stored TFF row is \(storedReports.last?.reportDate.iso ?? "-") (the previous week's Tuesday, \(asOfCheck.adding(days: -9).iso))")
    if let lev = revealed.leveragedFunds {
        print("  beside Bᵣ: leveraged funds net \(String(format: "%+.1f", lev.netShare * 100))% of OI (COT index \(String(format: "%.0f", lev.cotIndex))), mostly basis-trade shorts")
    }
    return passed
}
