import Foundation
import Market

extension PrometheusRendering {
    /// Readings that need a stretch of history (`HistoryNeed`): 1 while one is null for lack of it, 0 once it has it.
    static func historyFamilies(_ technicals: TechnicalsSnapshot?) -> [PrometheusFamily] {
        guard let technicals else { return [] }
        let missing = Set(technicals.unavailable.map(\.reading))
        return [PrometheusFamily(
            name: "market_reading_unavailable",
            help: "1 while a technical reading is null for lack of stored history (200-week average, weekly cloud, Mayer multiple, hash ribbon, hashprice percentile since 2016), else 0.",
            samples: HistoryNeed.all.map { PrometheusFamily.Sample(labels: [PrometheusFamily.Label("reading", $0.reading)], value: missing.contains($0.reading) ? 1 : 0) })]
    }
}
