import Foundation
import Market
import Testing
@testable import Settings

@Suite("Config: production cost, miner fleet and cost crossings")
struct ProductionCostConfigTests {
    func parse(_ text: String) throws(ConfigError) -> DivergenceConfig {
        try ConfigLoader.parse(text, file: "divergence.toml", baseDirectory: URL(fileURLWithPath: "/srv/divergence"))
    }

    @Test("cohorts, a dated electricity distribution and the crossing rule are read into the cost model")
    func fleet() throws {
        let config = try parse("""
            [production_cost]
            crossing_band = 0.05
            crossing_confirm_closes = 4

            [[production_cost.cohort]]
            relative_efficiency = 0.7
            hashrate_share = 0.4

            [[production_cost.cohort]]
            relative_efficiency = 1.3
            hashrate_share = 0.6

            [[production_cost.electricity]]
            since = "2024-01-01"
            usd_per_kwh = [0.03, 0.05, 0.09]
            quantiles = [0, 0.5, 1]

            [[production_cost.electricity]]
            since = "2020-01-01"
            usd_per_kwh = [0.02, 0.04]
            quantiles = [0, 1]
            """)
        let model = config.productionCost
        #expect(model.crossingBand == 0.05)
        #expect(model.crossingConfirmCloses == 4)
        #expect(model.fleet.cohorts == [MinerCohort(relativeEfficiency: 0.7, hashrateShare: 0.4),
                                        MinerCohort(relativeEfficiency: 1.3, hashrateShare: 0.6)])
        #expect(model.fleet.electricity.map(\.since.iso) == ["2020-01-01", "2024-01-01"])
        #expect(model.fleet.electricity(on: UTCDay(year: 2025, month: 6, day: 1))?.usdPerKWh == [0.03, 0.05, 0.09])
        #expect(model.fleet.electricity(on: UTCDay(year: 2021, month: 6, day: 1))?.usdPerKWh == [0.02, 0.04])
    }

    @Test("a bad fleet names the key and the reason", arguments: [
        ("[[production_cost.cohort]]\nrelative_efficiency = 1\nhashrate_share = 0.5\n", "production_cost.cohort", "add up to 0.5, not 1"),
        ("[[production_cost.electricity]]\nsince = \"2020-01-01\"\nusd_per_kwh = [0.05, 0.03]\nquantiles = [0, 1]\n",
         "production_cost.electricity.usd_per_kwh", "ascending"),
        ("[[production_cost.electricity]]\nsince = \"2020-01-01\"\nusd_per_kwh = [0.03, 0.05]\nquantiles = [0, 0.9]\n",
         "production_cost.electricity.usd_per_kwh", "rise from 0 to 1"),
        ("[[production_cost.electricity]]\nsince = \"2020-01-01\"\nusd_per_kwh = [\"cheap\"]\nquantiles = [0]\n",
         "production_cost.electricity.usd_per_kwh", "an array of numbers"),
        ("[production_cost]\ncrossing_confirm_closes = 0\n", "production_cost.crossing_confirm_closes", "outside"),
    ])
    func badFleet(text: String, key: String, reason: String) {
        do {
            _ = try parse(text)
            Issue.record("expected an error for \(key)")
        } catch {
            #expect(error.key == key)
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }
}
