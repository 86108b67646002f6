import Foundation
import Market

extension PrometheusRendering {
    /// Miner economics: hashrate share under water (now, −10%, −15%; all-in and electricity only), the prices at which
    /// 25/50/75% is under water, hashprice with its percentile since 2016, and the miner loss per coin.
    static func minerFamilies(_ report: DivergenceReport) -> [PrometheusFamily] {
        typealias Sample = PrometheusFamily.Sample
        typealias Label = PrometheusFamily.Label
        guard let technicals = report.technicals else { return [] }
        var families: [PrometheusFamily] = []
        if let stress = technicals.stress {
            let shares: [(String, String, Double)] = [
                ("all_in", "0", stress.shareUnderWater), ("all_in", "10", stress.shareUnderWaterAfter10PercentDrop),
                ("all_in", "15", stress.shareUnderWaterAfter15PercentDrop),
                ("electricity_only", "0", stress.electricityOnlyShareUnderWater),
                ("electricity_only", "10", stress.electricityOnlyAfter10PercentDrop),
                ("electricity_only", "15", stress.electricityOnlyAfter15PercentDrop),
            ]
            families.append(PrometheusFamily(
                name: "miner_hashrate_share_under_water",
                help: "Share of hashrate (0..1) whose cost per BTC is above the close lowered by drop_percent, all-in or electricity only.",
                samples: shares.map { Sample(labels: [Label("cost", $0.0), Label("drop_percent", $0.1)], value: $0.2) }))
            families.append(PrometheusFamily(
                name: "miner_under_water_price_usd",
                help: "BTC price (USD) at which the given share of hashrate is under water, all-in or electricity only.",
                samples: stress.levels.flatMap { level in
                    [("all_in", level.allInUSD), ("electricity_only", level.electricityOnlyUSD)].compactMap { cost, value in
                        value.map { Sample(labels: [Label("cost", cost), Label("share", String(format: "%.2f", level.share))], value: $0) }
                    }
                }))
        }
        if let hashprice = technicals.hashprice {
            families.append(PrometheusFamily(name: "miner_hashprice_usd_per_ph_day", help: "Hashprice: USD earned per PH/s per day (subsidy + fees).",
                                             samples: [Sample(value: hashprice.usdPerPHPerDay)]))
            if let percentile = hashprice.percentileSince2016 {
                families.append(PrometheusFamily(name: "miner_hashprice_percentile_since_2016", help: "Share (0..1) of days since 2016-01-01 with hashprice at or below today's.",
                                                 samples: [Sample(value: percentile)]))
            }
        }
        if let loss = technicals.minerLossPerCoin {
            families.append(PrometheusFamily(name: "miner_loss_per_coin_usd", help: "All-in production cost minus the close, USD per BTC (negative when miners profit).",
                                             samples: [Sample(value: loss)]))
        }
        return families
    }
}
