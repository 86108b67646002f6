import Foundation
import Market

/// Times the market layer on real data in `dataDirectory` and prints the figures (release build expected).
///
/// Measures (1) every indicator and signal over the full daily history at its last day (target ≤ 10 ms) and
/// (2) R point-in-time for every day since 2015-01-01 (target ≤ 1 s).
public func benchmarkMarket(dataDirectory: URL) {
    let history: MarketHistory
    do {
        history = try MarketHistory.load(directory: dataDirectory)
    } catch {
        print("market bench: cannot read data: \(error)")
        return
    }
    guard let last = history.prices.last?.day else {
        print("market bench: no candles")
        return
    }
    func milliseconds(_ runs: Int, _ body: () -> Void) -> (best: Double, median: Double) {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return (times[0], times[times.count / 2])
    }
    var snapshot: TechnicalsSnapshot?
    let all = milliseconds(20) {
        snapshot = TechnicalRegime.technicals(history, asOf: last.end, costModel: .defaults, weights: .defaults)
    }
    print("market bench: all signals over \(history.prices.count) candles + \(history.hashrate.count) hashrate "
          + "samples: best " + String(format: "%.2f", all.best) + " ms, median " + String(format: "%.2f", all.median)
          + " ms (target ≤ 10 ms); R = " + String(format: "%.1f", snapshot?.regime.score ?? .nan))
    let from = UTCDay(year: 2015, month: 1, day: 1)
    var count = 0
    let every = milliseconds(5) {
        count = TechnicalRegime.assessEveryDay(history, from: from, to: last, costModel: .defaults,
                                               weights: .defaults).count
    }
    print("market bench: R point-in-time for \(count) days \(from.iso)…\(last.iso): best "
          + String(format: "%.1f", every.best) + " ms, median " + String(format: "%.1f", every.median)
          + " ms (target ≤ 1000 ms)")
    let events = milliseconds(5) { _ = MarketEvents.list(history) }
    print("market bench: event listing best " + String(format: "%.2f", events.best) + " ms")
}
