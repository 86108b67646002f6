import Fetching
import Foundation
import Market
import Scoring
import Sentiment
import Vocabulary

/// Reads and validates `divergence.toml`: unknown keys, wrong types and bad values fail with file, line and key.
public enum ConfigLoader {
    /// Loads a config file; relative source paths are resolved against the file's folder.
    public static func load(path: String) throws(ConfigError) -> DivergenceConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw ConfigError(file: path, line: nil, key: nil, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(file: path, line: nil, key: nil, reason: "not UTF-8 text") }
        let baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(text, file: path, baseDirectory: baseDirectory)
    }

    /// Parses config text; `file` names it in errors.
    public static func parse(_ text: String, file: String, baseDirectory: URL) throws(ConfigError) -> DivergenceConfig {
        let root: TOMLTable
        do { root = try TOMLDocument.parse(text) } catch { throw ConfigError(file: file, line: error.line, key: nil, reason: error.reason) }
        let reader = TableReader(file: file, table: root, prefix: "")
        var config = DivergenceConfig()
        config.file = file
        try reader.allow(["store", "fetch", "production_cost", "regime", "bullishness", "revealed", "sentiment", "divergence", "freshness", "source", "site_rule", "alert", "password_file"])
        if let store = try reader.string("store") {
            if let reason = StoreLocationRule.problem(store) { throw reader.invalid("store", reason) }
            config.storePath = store
        }
        if let passwordFile = try reader.string("password_file") {
            config.storePasswordFile = passwordFile.hasPrefix("/") ? passwordFile : baseDirectory.appendingPathComponent(passwordFile).path
        }

        if let fetch = try reader.table("fetch") {
            try fetch.allow(["connect_timeout_seconds", "timeout_seconds", "max_bytes", "max_redirects", "concurrency", "per_host_concurrency", "user_agent", "allow_private_network"])
            if let value = try fetch.number("connect_timeout_seconds", in: 0.1...600) { config.fetchPolicy.connectTimeout = value }
            if let value = try fetch.number("timeout_seconds", in: 0.1...3600) { config.fetchPolicy.totalTimeout = value }
            if let value = try fetch.integer("max_bytes", in: 1_024...1_000_000_000) { config.fetchPolicy.maxBytes = value; config.fetchPolicy.maxCompressedBytes = value }
            if let value = try fetch.integer("max_redirects", in: 0...20) { config.fetchPolicy.maxRedirects = value }
            if let value = try fetch.integer("concurrency", in: 1...256) { config.globalConcurrency = value }
            if let value = try fetch.integer("per_host_concurrency", in: 1...16) { config.perHostConcurrency = value }
            if let value = try fetch.string("user_agent") { config.fetchPolicy.userAgent = value }
            if let value = try fetch.boolean("allow_private_network") { config.fetchPolicy.allowPrivateNetwork = value }
        }

        if let cost = try reader.table("production_cost") { config.productionCost = try ProductionCostReader.read(cost, into: config.productionCost) }

        if let regime = try reader.table("regime") {
            try regime.allow(["weights"])
            if let weights = try regime.table("weights") {
                let names = ["production_cost", "hash_ribbon", "ichimoku", "support", "trend", "momentum", "drawdown"]
                try weights.allow(names)
                let paths: [WritableKeyPath<RegimeWeights, Double>] = [\.productionCost, \.hashRibbon, \.ichimoku, \.support, \.trend, \.momentum, \.drawdown]
                for (name, path) in zip(names, paths) {
                    if let value = try weights.number(name, in: 0...100) { config.regimeWeights[keyPath: path] = value }
                }
            }
        }

        if let bullish = try reader.table("bullishness") {
            let names = ["survey_weight", "claim_weight", "news_weight", "survey_half_life_days", "claim_half_life_days", "news_half_life_days", "max_age_days"]
            try bullish.allow(names + ["default_sample_size", "speaker_weights"] + RevealedConfigReader.mixKeys)
            try RevealedConfigReader.readMix(bullish, into: &config.bullishnessMix)
            let paths: [WritableKeyPath<BullishnessParameters, Double>] = [\.surveyWeight, \.claimWeight, \.newsWeight, \.surveyHalfLifeDays,
                                                                           \.claimHalfLifeDays, \.newsHalfLifeDays, \.maxAgeDays]
            for (name, path) in zip(names, paths) {
                if let value = try bullish.number(name, in: 0...10_000) { config.bullishness[keyPath: path] = value }
            }
            if let value = try bullish.integer("default_sample_size", in: 1...1_000_000) { config.bullishness.defaultSampleSize = value }
            if let speakers = try bullish.table("speaker_weights") {
                try speakers.allow(SpeakerType.allCases.map(\.rawValue))
                for type in SpeakerType.allCases {
                    if let value = try speakers.number(type.rawValue, in: 0...10) { config.bullishness.speakerWeights[type] = value }
                }
            }
        }

        if let sentiment = try reader.table("sentiment") {
            try sentiment.allow(["holders"])
            if let holders = try sentiment.table("holders") { config.holders = try holders.speakerTypes() }
        }

        if let revealed = try reader.table("revealed") { try RevealedConfigReader.read(revealed, into: &config.revealed) }

        if let divergence = try reader.table("divergence") {
            try divergence.allow(["mild", "strong", "extreme"])
            if let value = try divergence.number("mild", in: 0...100) { config.divergenceThresholds.mild = value }
            if let value = try divergence.number("strong", in: 0...100) { config.divergenceThresholds.strong = value }
            if let value = try divergence.number("extreme", in: 0...100) { config.divergenceThresholds.extreme = value }
            let t = config.divergenceThresholds
            guard t.mild <= t.strong && t.strong <= t.extreme else {
                throw ConfigError(file: file, line: divergence.table.line, key: "divergence", reason: "thresholds must satisfy mild ≤ strong ≤ extreme")
            }
        }

        if let freshness = try reader.table("freshness") {
            try freshness.allow(["price_days", "hashrate_days"])
            if let value = try freshness.integer("price_days", in: 0...3650) { config.freshness.priceDays = value }
            if let value = try freshness.integer("hashrate_days", in: 0...3650) { config.freshness.hashrateDays = value }
        }

        for rule in try reader.tables("site_rule") ?? [] {
            try rule.allow(["host", "body_xpath", "drop"])
            guard var host = try rule.string("host")?.lowercased(), !host.isEmpty else { throw rule.missing("host") }
            if host.hasPrefix("www.") { host.removeFirst(4) }
            var drops: [String] = []
            if let entry = rule.table["drop"] {
                guard case .array(let items) = entry.value else { throw rule.wrongType(entry, expected: "an array of XPath strings") }
                for item in items {
                    guard case .string(let xpath) = item else { throw rule.wrongType(entry, expected: "an array of XPath strings") }
                    drops.append(xpath)
                }
            }
            let body = try rule.string("body_xpath")
            guard body != nil || !drops.isEmpty else { throw rule.invalid("body_xpath", "give body_xpath, drop, or both") }
            config.siteRules.append(SiteRule(host: host, bodyXPath: body, dropXPaths: drops, line: rule.table.line))
        }

        var alertNames: Set<String> = []
        for alert in try reader.tables("alert") ?? [] {
            let rule = try AlertReader.read(alert)
            guard alertNames.insert(rule.name).inserted else { throw alert.invalid("name", "alert '\(rule.name)' is defined twice") }
            config.alerts.append(rule)
        }

        var seen: [String: Int] = [:]
        for source in try reader.tables("source") ?? [] {
            let parsed = try SourceReader.read(source, baseDirectory: baseDirectory)
            if let earlier = seen[parsed.location] {
                throw ConfigError(file: file, line: parsed.line, key: "source.url", reason: "\(parsed.location) is already listed on line \(earlier)")
            }
            seen[parsed.location] = parsed.line
            config.sources.append(parsed)
        }
        return config
    }
}

/// Reads one `[[source]]` table.
enum SourceReader {
    static let optionKeys = ["format", "unit", "layout", "mapping", "allow_private_network", "full_text", "table_xpath", "survey", "publisher", "published",
                             "backfill", "backfill_format", "backfill_from"]

    static func read(_ source: TableReader, baseDirectory: URL) throws(ConfigError) -> ConfiguredSource {
        try source.allow(["name", "kind", "url", "path", "publisher_type", "interval"] + optionKeys)
        guard let kindText = try source.string("kind") else { throw source.missing("kind") }
        guard let kind = SourceKind(rawValue: kindText) else {
            throw source.invalid("kind", "'\(kindText)' is not one of \(SourceKind.choices)")
        }
        let url = try source.string("url"), path = try source.string("path")
        let location: String, isLocal: Bool
        switch (url, path) {
        case (let url?, nil):
            guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                throw source.invalid("url", "'\(url)' is not an http or https URL (use path = for local files)")
            }
            location = url
            isLocal = false
        case (nil, let path?):
            location = path.hasPrefix("/") ? path : baseDirectory.appendingPathComponent(path).standardizedFileURL.path
            isLocal = true
        case (nil, nil): throw source.missing("url")
        case (.some, .some): throw source.invalid("path", "give either url or path, not both")
        }
        let publisherText = try source.string("publisher_type") ?? (kind == .prices || kind == .hashrate || kind == .fees ? "analyst" : kind == .etfFlows || kind == .cftcTFF ? "institutional" : "media")
        guard let publisher = PublisherType(rawValue: publisherText) else {
            throw source.invalid("publisher_type", "'\(publisherText)' is not one of \(PublisherType.choices)")
        }
        var interval = 3600.0
        if let text = try source.string("interval") {
            guard let seconds = Interval.seconds(text) else { throw source.invalid("interval", "'\(text)' is not a duration like 15m, 1h or 1d") }
            interval = seconds
        }
        var options: [String: String] = [:]
        for key in optionKeys {
            guard let entry = source.table[key] else { continue }
            switch entry.value {
            case .string(let value): options[key] = value
            case .boolean(let value): options[key] = value ? "true" : "false"
            default: throw source.invalid(key, "must be a string or boolean, got \(entry.value.typeName)")
            }
        }
        try SourceOptions.validate(kind: kind, options: options, reader: source)
        let name = try source.string("name") ?? location
        return ConfiguredSource(name: name, kind: kind, location: location, isLocalPath: isLocal, publisherType: publisher,
                                intervalSeconds: interval, options: options, line: source.table.line)
    }
}

/// Reads one `[[alert]]` table.
enum AlertReader {
    static func read(_ alert: TableReader) throws(ConfigError) -> AlertRule {
        try alert.allow(["name", "rule", "level", "days", "command", "webhook", "allow_private_network"])
        guard let ruleName = try alert.string("rule") else { throw alert.missing("rule") }
        let level = try alert.number("level", in: ruleName == "revealed_stated_gap_above" ? 0...200 : -100...100)
        let condition: AlertCondition
        switch ruleName {
        case "divergence_above", "divergence_below":
            guard let level else { throw alert.missing("level") }
            condition = ruleName == "divergence_above" ? .divergenceAbove(level) : .divergenceBelow(level)
        case "label_change": condition = .labelChange
        case "hash_ribbon_change": condition = .hashRibbonChange
        case "kumo_twist": condition = .kumoTwist
        case "support_break": condition = .supportBreak
        case "price_crosses_cost": condition = .priceCrossesCost
        case "revealed_stated_gap_above":
            guard let level else { throw alert.missing("level") }
            guard level >= 0 else { throw alert.invalid("level", "a gap level is 0…200") }
            condition = .revealedStatedGapAbove(level)
        case "etf_flow_streak":
            guard let days = try alert.integer("days", in: 1...250) else { throw alert.missing("days") }
            condition = .etfFlowStreak(days)
        default: throw alert.invalid("rule", "'\(ruleName)' is not one of \(AlertCondition.names.joined(separator: ", "))")
        }
        if level != nil, !["divergence_above", "divergence_below", "revealed_stated_gap_above"].contains(ruleName) {
            throw alert.invalid("level", "only divergence_above, divergence_below and revealed_stated_gap_above take a level")
        }
        if alert.table["days"] != nil, ruleName != "etf_flow_streak" { throw alert.invalid("days", "only etf_flow_streak takes days") }
        var command: [String]?
        if let entry = alert.table["command"] {
            switch entry.value {
            case .string(let program): command = [program]
            case .array(let items):
                command = []
                for item in items {
                    guard case .string(let word) = item else { throw alert.wrongType(entry, expected: "a string or an array of strings") }
                    command?.append(word)
                }
            default: throw alert.wrongType(entry, expected: "a string or an array of strings")
            }
            guard let program = command?.first, !program.isEmpty else { throw alert.invalid("command", "the command is empty") }
        }
        let webhook = try alert.string("webhook")
        if let webhook, !(webhook.lowercased().hasPrefix("http://") || webhook.lowercased().hasPrefix("https://")) {
            throw alert.invalid("webhook", "'\(webhook)' is not an http or https URL")
        }
        guard command != nil || webhook != nil else { throw alert.invalid("rule", "give a command, a webhook, or both") }
        return AlertRule(name: try alert.string("name") ?? ruleName, condition: condition, command: command, webhook: webhook,
                         allowPrivateNetwork: try alert.boolean("allow_private_network") ?? false)
    }
}

/// The formats each source kind understands.
public enum SourceOptions {
    /// Formats for `format =` by kind; the first is the default.
    public static let formats: [SourceKind: [String]] = [
        .news: ["feed"], .article: ["html"],
        .survey: ["long-csv", "json", "wide-csv", "html-table"],
        .prices: ["csv", "kraken-ohlc"],
        .hashrate: ["csv", "blockchain-charts", "mempool"],
        .fees: ["csv", "blockchain-charts"],
        .etfFlows: ["csv", "html-table"],
        .cftcTFF: ["csv", "json"],
    ]

    static func validate(kind: SourceKind, options: [String: String], reader: TableReader) throws(ConfigError) {
        let allowed = formats[kind] ?? []
        if let format = options["format"], !allowed.contains(format) {
            throw reader.invalid("format", "'\(format)' is not a \(kind.rawValue) format (\(allowed.joined(separator: ", ")))")
        }
        if kind == .etfFlows {
            if let layout = options["layout"], !["auto", "long-csv", "wide-csv", "html-table"].contains(layout) {
                throw reader.invalid("layout", "'\(layout)' is not one of auto, long-csv, wide-csv, html-table")
            }
        } else if let layout = options["layout"], !(formats[.survey] ?? []).contains(layout) {
            throw reader.invalid("layout", "'\(layout)' is not one of long-csv, json, wide-csv, html-table")
        }
        if options["layout"] == "html-table", kind == .survey {
            for key in ["table_xpath", "survey", "published"] where options[key] == nil {
                throw reader.invalid("layout", "an html-table survey needs \(key) =")
            }
        }
        if let unit = options["unit"], !["H/s", "TH/s", "EH/s", "percent", "fraction"].contains(unit) {
            throw reader.invalid("unit", "'\(unit)' is not one of H/s, TH/s, EH/s, percent, fraction")
        }
        try BackfillOptions.validate(kind: kind, options: options, reader: reader)
    }
}

/// Durations written as `90s`, `15m`, `1h`, `1d`, `1w` or plain seconds.
public enum Interval {
    /// Seconds for a duration, or nil when unparseable or not positive.
    public static func seconds(_ text: String) -> Double? {
        let body = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800)]
        for (suffix, scale) in units where body.hasSuffix(suffix) {
            guard let value = Double(body.dropLast(suffix.count)), value > 0 else { return nil }
            return value * scale
        }
        guard let value = Double(body), value > 0 else { return nil }
        return value
    }
}

/// Typed access to one TOML table that names file, line and dotted key in every error.
struct TableReader {
    let file: String
    let table: TOMLTable
    let prefix: String

    init(file: String, table: TOMLTable, prefix: String) {
        self.file = file
        self.table = table
        self.prefix = prefix
    }

    func path(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    func allow(_ keys: [String]) throws(ConfigError) {
        for entry in table.entries where !keys.contains(entry.key) {
            throw ConfigError(file: file, line: entry.line, key: path(entry.key), reason: "unknown key (expected one of \(keys.joined(separator: ", ")))")
        }
    }

    func missing(_ key: String) -> ConfigError {
        ConfigError(file: file, line: table.line == 0 ? nil : table.line, key: path(key), reason: "required key is missing")
    }

    func invalid(_ key: String, _ reason: String) -> ConfigError {
        ConfigError(file: file, line: table[key]?.line ?? table.line, key: path(key), reason: reason)
    }

    func wrongType(_ entry: TOMLTable.Entry, expected: String) -> ConfigError {
        ConfigError(file: file, line: entry.line, key: path(entry.key), reason: "must be \(expected), got \(entry.value.typeName)")
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let entry = table[key] else { return nil }
        guard case .string(let value) = entry.value else { throw wrongType(entry, expected: "a string") }
        return value
    }

    func boolean(_ key: String) throws(ConfigError) -> Bool? {
        guard let entry = table[key] else { return nil }
        guard case .boolean(let value) = entry.value else { throw wrongType(entry, expected: "true or false") }
        return value
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let entry = table[key] else { return nil }
        let value: Double
        switch entry.value {
        case .integer(let integer): value = Double(integer)
        case .float(let float): value = float
        default: throw wrongType(entry, expected: "a number")
        }
        guard range.contains(value) else { throw invalid(key, "\(value) is outside \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let entry = table[key] else { return nil }
        guard case .integer(let value) = entry.value else { throw wrongType(entry, expected: "an integer") }
        guard range.contains(value) else { throw invalid(key, "\(value) is outside \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    func day(_ key: String) throws(ConfigError) -> UTCDay? {
        guard let text = try string(key) else { return nil }
        guard let day = UTCDay(iso: text) else { throw invalid(key, "'\(text)' is not a date like 2026-02-07") }
        return day
    }

    /// Every key of the table as a name, its value a speaker type (`[sentiment.holders]`: "Acme Capital" = "institutional").
    func speakerTypes() throws(ConfigError) -> [String: SpeakerType] {
        var types: [String: SpeakerType] = [:]
        let allowed = SpeakerType.allCases.filter { $0 != .unknown }
        for entry in table.entries {
            guard case .string(let name) = entry.value else { throw wrongType(entry, expected: "a speaker type string") }
            guard let type = allowed.first(where: { $0.rawValue == name }) else {
                throw invalid(entry.key, "'\(name)' is not a speaker type (expected one of \(allowed.map(\.rawValue).joined(separator: ", ")))")
            }
            types[entry.key] = type
        }
        return types
    }

    func table(_ key: String) throws(ConfigError) -> TableReader? {
        guard let entry = table[key] else { return nil }
        guard case .table(let inner) = entry.value else { throw wrongType(entry, expected: "a table ([\(path(key))])") }
        return TableReader(file: file, table: inner, prefix: path(key))
    }

    func tables(_ key: String) throws(ConfigError) -> [TableReader]? {
        guard let entry = table[key] else { return nil }
        guard case .array(let items) = entry.value else { throw wrongType(entry, expected: "an array of tables ([[\(path(key))]])") }
        var readers: [TableReader] = []
        for item in items {
            guard case .table(let inner) = item else { throw wrongType(entry, expected: "an array of tables ([[\(path(key))]])") }
            readers.append(TableReader(file: file, table: inner, prefix: path(key)))
        }
        return readers
    }
}
