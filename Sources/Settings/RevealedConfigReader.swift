import Scoring

/// Reads `[revealed]` and the stated/revealed mix keys of `[bullishness]`.
enum RevealedConfigReader {
    static let mixKeys = ["stated_weight", "revealed_weight", "gap_level"]

    static func readMix(_ table: TableReader, into mix: inout BullishnessMixWeights) throws(ConfigError) {
        if let value = try table.number("stated_weight", in: 0...100) { mix.stated = value }
        if let value = try table.number("revealed_weight", in: 0...100) { mix.revealed = value }
        if let value = try table.number("gap_level", in: 0...200) { mix.gapLevel = value }
    }

    static func read(_ table: TableReader, into parameters: inout RevealedParameters) throws(ConfigError) {
        let weights: [(String, WritableKeyPath<RevealedParameters, Double>)] = [
            ("flow_20d_weight", \.flow20Weight), ("flow_5d_weight", \.flow5Weight), ("positioning_weight", \.positioningWeight)]
        let counts: [(String, WritableKeyPath<RevealedParameters, Int>, ClosedRange<Int>)] = [
            ("flow_scale_days", \.flowScaleDays, 20...5_000), ("cot_weeks", \.cotWeeks, 4...520),
            ("flow_fresh_days", \.flowFreshDays, 1...365), ("report_fresh_days", \.reportFreshDays, 7...365)]
        try table.allow(weights.map(\.0) + counts.map(\.0) + ["markets"])
        for (key, path) in weights { if let value = try table.number(key, in: 0...100) { parameters[keyPath: path] = value } }
        for (key, path, range) in counts { if let value = try table.integer(key, in: range) { parameters[keyPath: path] = value } }
        if let entry = table.table["markets"] {
            guard case .array(let items) = entry.value, !items.isEmpty else { throw table.wrongType(entry, expected: "a non-empty array of market codes") }
            var markets: [String] = []
            for item in items {
                guard case .string(let code) = item, !code.isEmpty else { throw table.wrongType(entry, expected: "a non-empty array of market codes") }
                markets.append(code)
            }
            parameters.markets = markets
        }
    }
}
