import Market

/// Reads `[production_cost]`: the point cost model, its dated efficiency schedule, the stress-test fleet and the
/// confirmation rule for price-vs-cost crossings.
enum ProductionCostReader {
    static func read(_ cost: TableReader, into defaults: ProductionCostModel) throws(ConfigError) -> ProductionCostModel {
        var model = defaults
        try cost.allow(["electricity_usd_per_kwh", "all_in_multiplier", "fees_per_block_btc", "efficiency", "cohort", "electricity",
                        "crossing_band", "crossing_confirm_closes"])
        if let value = try cost.number("electricity_usd_per_kwh", in: 0...2) { model.electricityUSDPerKWh = value }
        if let value = try cost.number("all_in_multiplier", in: 0.5...5) { model.allInMultiplier = value }
        if let value = try cost.number("fees_per_block_btc", in: 0...50) { model.feesPerBlockBTC = value }
        if let value = try cost.number("crossing_band", in: 0...0.5) { model.crossingBand = value }
        if let value = try cost.integer("crossing_confirm_closes", in: 1...60) { model.crossingConfirmCloses = value }
        if let steps = try cost.tables("efficiency") {
            var schedule: [EfficiencyStep] = []
            for step in steps {
                try step.allow(["since", "j_per_th"])
                guard let since = try step.day("since") else { throw step.missing("since") }
                guard let joules = try step.number("j_per_th", in: 1...100_000) else { throw step.missing("j_per_th") }
                schedule.append(EfficiencyStep(since: since, joulesPerTerahash: joules))
            }
            model.efficiencySchedule = schedule.sorted { $0.since < $1.since }
        }
        if let tables = try cost.tables("cohort") {
            var cohorts: [MinerCohort] = []
            for table in tables {
                try table.allow(["relative_efficiency", "hashrate_share"])
                guard let relative = try table.number("relative_efficiency", in: 0.01...100) else { throw table.missing("relative_efficiency") }
                guard let share = try table.number("hashrate_share", in: 0...1) else { throw table.missing("hashrate_share") }
                cohorts.append(MinerCohort(relativeEfficiency: relative, hashrateShare: share))
            }
            let total = cohorts.reduce(0) { $0 + $1.hashrateShare }
            guard abs(total - 1) <= 0.001 else {
                throw cost.invalid("cohort", "cohort hashrate shares add up to \(total), not 1")
            }
            model.fleet.cohorts = cohorts
        }
        if let tables = try cost.tables("electricity") {
            var distributions: [ElectricityPriceDistribution] = []
            for table in tables {
                try table.allow(["since", "usd_per_kwh", "quantiles"])
                guard let since = try table.day("since") else { throw table.missing("since") }
                guard let prices = try table.numbers("usd_per_kwh") else { throw table.missing("usd_per_kwh") }
                guard let quantiles = try table.numbers("quantiles") else { throw table.missing("quantiles") }
                let distribution = ElectricityPriceDistribution(since: since, usdPerKWh: prices, quantiles: quantiles)
                if let problem = distribution.problem { throw table.invalid("usd_per_kwh", problem) }
                distributions.append(distribution)
            }
            model.fleet = MinerFleet(cohorts: model.fleet.cohorts, electricity: distributions)
        }
        return model
    }
}

extension TableReader {
    /// An array of numbers, or nil when the key is absent.
    func numbers(_ key: String) throws(ConfigError) -> [Double]? {
        guard let entry = table[key] else { return nil }
        guard case .array(let items) = entry.value else { throw wrongType(entry, expected: "an array of numbers") }
        var values: [Double] = []
        for item in items {
            switch item {
            case .integer(let integer): values.append(Double(integer))
            case .float(let float): values.append(float)
            default: throw wrongType(entry, expected: "an array of numbers")
            }
        }
        return values
    }
}
