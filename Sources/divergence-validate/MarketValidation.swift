import Foundation
import Market

/// Checks the market layer against real data in `dataDirectory` (e.g. `../shared/data/market`); true when all pass.
///
/// Prints every capitulation episode and weekly Kumo twist since 2018 and each check's measured value.
public func validateMarket(dataDirectory: URL) -> Bool {
    let history: MarketHistory
    do {
        history = try MarketHistory.load(directory: dataDirectory)
    } catch {
        print("market: cannot read data: \(error)")
        return false
    }
    var passed = true
    func check(_ ok: Bool, _ text: String) {
        print("  [\(ok ? "ok" : "FAIL")] \(text)")
        if !ok { passed = false }
    }
    let since2018 = UTCDay(year: 2018, month: 1, day: 1)
    print("market: \(history.prices.count) candles \(history.prices.first?.day.iso ?? "-")…"
          + "\(history.prices.last?.day.iso ?? "-"), \(history.hashrate.count) hashrate samples; "
          + "price gaps \(history.priceReport.gaps.count), duplicates \(history.priceReport.duplicates.count); "
          + "hashrate gaps \(history.hashrateReport.gaps.count), duplicates \(history.hashrateReport.duplicates.count)")

    let ribbon = HashRibbon(hashrate: history.hashrate, prices: history.prices)
    print("hash-ribbon capitulation episodes since 2018 (flickers ≤ 7 days merged):")
    for (index, episode) in ribbon.episodes.enumerated() where episode.start >= since2018 {
        let next = index + 1 < ribbon.episodes.count ? ribbon.episodes[index + 1].start : nil
        let buy = ribbon.buySignals.first { signal in
            episode.end.map { signal.day >= $0 && (next.map { signal.day < $0 } ?? true) } ?? false
        }
        print("  \(episode.start.iso) → \(episode.end?.iso ?? "ongoing")  \(episode.lengthDays) days, depth "
              + String(format: "%.1f%%", episode.depth * 100) + ", merged \(episode.mergedFlickers)"
              + (buy.map { ", buy \($0.day.iso) at $" + String(format: "%.0f", $0.price) } ?? ""))
    }
    let ichimoku = IchimokuWeekly(weeks: WeeklyCandle.weeks(from: history.prices))
    print("weekly Kumo twists since 2018 (dated at the un-shifted A−B sign change; 26-bar shift):")
    for twist in ichimoku.twists where twist.weekEnding >= since2018 {
        print("  week ending \(twist.weekEnding.iso)  \(twist.direction.rawValue)")
    }

    print("checks:")
    let expectedStart = UTCDay(year: 2022, month: 6, day: 9), expectedEnd = UTCDay(year: 2022, month: 8, day: 19)
    if let episode = ribbon.episodes.first(where: { abs($0.start.days(to: expectedStart)) <= 10 }) {
        let endDays = episode.end.map { abs($0.days(to: expectedEnd)) } ?? Int.max
        check(abs(episode.start.days(to: expectedStart)) <= 3 && endDays <= 3,
              "2022 capitulation \(episode.start.iso) → \(episode.end?.iso ?? "ongoing") (\(episode.lengthDays) days); "
                + "expected 2022-06-09 → 2022-08-19 (71 days) ± 3")
    } else {
        check(false, "2022 capitulation starting near 2022-06-09: none found")
    }

    let expected2019 = UTCDay(year: 2019, month: 1, day: 10)
    if let episode = ribbon.episodes.first(where: { $0.end.map { abs($0.days(to: expected2019)) <= 10 } ?? false }),
       let end = episode.end {
        let buy = ribbon.buySignals.first { $0.day >= end }
        let buyOK = buy.map { abs($0.price / 3_600 - 1) <= 0.10 && end.days(to: $0.day) <= 45 } ?? false
        check(abs(end.days(to: expected2019)) <= 5 && buyOK,
              "2018 capitulation \(episode.start.iso) → \(end.iso); buy \(buy?.day.iso ?? "none") at $"
                + String(format: "%.0f", buy?.price ?? .nan) + "; expected end ≈ 2019-01-10 ± 5, buy ≈ $3,600 ± 10%")
    } else {
        check(false, "2018 capitulation ending near 2019-01-10: none found")
    }

    let turnStart = UTCDay(year: 2025, month: 11, day: 1), turnEnd = UTCDay(year: 2026, month: 2, day: 28)
    let turnTwists = ichimoku.twists.filter { $0.weekEnding >= turnStart && $0.weekEnding <= turnEnd }
    check(turnTwists.contains { $0.direction == .bearish },
          "bearish weekly Kumo twist at the turn of 2025/2026: "
            + (turnTwists.map { "\($0.direction.rawValue) \($0.weekEnding.iso)" }.joined(separator: ", ").nonEmpty
               ?? "none between 2025-11-01 and 2026-02-28"))

    let trend = HashrateTrendDay.series(history.hashrate)
    let october = trend.filter { $0.day >= UTCDay(year: 2025, month: 10, day: 1) && $0.day <= UTCDay(year: 2025, month: 10, day: 31) }
    if let top = october.max(by: { $0.mean7 < $1.mean7 }) {
        check(top.mean7 > 1_100, "Oct 2025 7-day-mean hashrate peak " + String(format: "%.0f", top.mean7)
              + " EH/s on \(top.day.iso); expected > 1,100 EH/s")
    } else {
        check(false, "Oct 2025 7-day-mean hashrate: no samples")
    }

    let cost = ProductionCostModel.defaults.cost(on: UTCDay(year: 2026, month: 2, day: 7), hashrateEHs: 913)
    check(abs(cost.allInUSD / 87_000 - 1) <= 0.10,
          "production cost at 913 EH/s, \(cost.joulesPerTerahash) J/TH, $\(cost.electricityUSDPerKWh)/kWh: electricity $"
            + String(format: "%.0f", cost.electricityUSD) + ", all-in $" + String(format: "%.0f", cost.allInUSD)
            + "; expected all-in $87,000 ± 10%")

    MinerValidation(history: history, dataDirectory: dataDirectory, check: check).run()

    print("event study (forward 30/90/180-day close returns of independent occurrences — none within the horizon of "
          + "the previous — median / worst, beside the median of every day of the same years; events since 2015):")
    let events = MarketEvents.list(history).filter { $0.day >= UTCDay(year: 2015, month: 1, day: 1) }
    for study in EventStudy.study(EventStudy.outcomes(events, prices: history.prices), prices: history.prices) {
        let cells = study.horizons.map { row in
            "\(row.horizonDays)d n=\(row.count)/\(row.occurrences) " + (row.medianReturn.map { String(format: "%+.1f%%", $0 * 100) } ?? "-")
                + " / " + (row.worstReturn.map { String(format: "%+.1f%%", $0 * 100) } ?? "-")
                + " vs " + (row.baselineMedianReturn.map { String(format: "%+.1f%%", $0 * 100) } ?? "-")
        }
        print("  \(study.kind.rawValue): " + cells.joined(separator: "; "))
    }

    let seedDay = UTCDay(year: 2026, month: 2, day: 7)
    let assessment = TechnicalRegime.assess(history, asOf: seedDay.end, costModel: .defaults, weights: .defaults)
    print("regime as of \(seedDay.iso) end: R = " + String(format: "%.1f", assessment.score) + " (\(assessment.label))")
    for signal in assessment.signals {
        print("  \(signal.id): score " + String(format: "%+.2f", signal.score) + ", contribution "
              + String(format: "%+.1f", signal.contribution) + " — \(signal.explanation)")
    }
    for note in assessment.notes { print("  note: \(note)") }
    print("market validation: \(passed ? "passed" : "FAILED")")
    return passed
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
