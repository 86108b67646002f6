import Foundation
import JSONOutput
import Market

/// What an alert watches.
public enum AlertCondition: Sendable, Equatable {
    /// D rises above the level.
    case divergenceAbove(Double)
    /// D falls below the level.
    case divergenceBelow(Double)
    /// D's label (`aligned`, `mild`, `strong`, `extreme`) changes.
    case labelChange
    /// The hash ribbon's state (`capitulation`, `recovery`, `normal`) changes.
    case hashRibbonChange
    /// A new weekly Kumo twist appears.
    case kumoTwist
    /// Price closes under a support zone that was intact.
    case supportBreak
    /// Price crosses the all-in production cost, either way.
    case priceCrossesCost
    /// |Bᵣ − Bₛ| (revealed against stated bullishness) rises above the level.
    case revealedStatedGapAbove(Double)
    /// Net ETF outflows on at least this many consecutive trading days.
    case etfFlowStreak(Int)

    /// The config name of the condition.
    public var name: String {
        switch self {
        case .divergenceAbove: "divergence_above"
        case .divergenceBelow: "divergence_below"
        case .labelChange: "label_change"
        case .hashRibbonChange: "hash_ribbon_change"
        case .kumoTwist: "kumo_twist"
        case .supportBreak: "support_break"
        case .priceCrossesCost: "price_crosses_cost"
        case .revealedStatedGapAbove: "revealed_stated_gap_above"
        case .etfFlowStreak: "etf_flow_streak"
        }
    }

    /// Every condition name accepted in the config.
    public static let names = ["divergence_above", "divergence_below", "label_change", "hash_ribbon_change", "kumo_twist", "support_break", "price_crosses_cost",
                                     "revealed_stated_gap_above", "etf_flow_streak"]
}

/// A configured alert: a condition and where to deliver it.
public struct AlertRule: Sendable, Equatable {
    public var name: String
    public var condition: AlertCondition
    /// A program and its arguments, run without a shell, with the alert JSON on stdin.
    public var command: [String]?
    /// An http(s) URL the alert JSON is POSTed to, with the fetch limits.
    public var webhook: String?
    /// Allow a private or loopback webhook address.
    public var allowPrivateNetwork: Bool

    public init(name: String, condition: AlertCondition, command: [String]?, webhook: String?, allowPrivateNetwork: Bool = false) {
        self.name = name
        self.condition = condition
        self.command = command
        self.webhook = webhook
        self.allowPrivateNetwork = allowPrivateNetwork
    }

    /// The rule's value now: `true`/`false` for thresholds, a label, state or date for change rules; nil when unknown
    /// or stale (D or Bₛ with any stale weight, the regime signal the rule reads, or flows older than the freshness limit),
    /// so no alert fires on stale data.
    public func value(snapshot: ScoreSnapshot, technicals: TechnicalsSnapshot?) -> String? {
        let staleSignals = Set(snapshot.freshness.regimeStale.map(\.id))
        switch condition {
        case .divergenceAbove, .divergenceBelow, .labelChange:
            if snapshot.freshness.divergenceStaleShare > 0 { return nil }
        case .hashRibbonChange: if staleSignals.contains("hash_ribbon") { return nil }
        case .kumoTwist: if staleSignals.contains("ichimoku") { return nil }
        case .supportBreak: if staleSignals.contains("support") { return nil }
        case .priceCrossesCost: if staleSignals.contains("production_cost") { return nil }
        case .revealedStatedGapAbove: if snapshot.freshness.bullishnessStaleShare > 0 { return nil }
        case .etfFlowStreak: break
        }
        return switch condition {
        case .divergenceAbove(let level): snapshot.divergence.map { $0.value > level ? "true" : "false" }
        case .divergenceBelow(let level): snapshot.divergence.map { $0.value < level ? "true" : "false" }
        case .labelChange: snapshot.divergence?.label.rawValue
        case .hashRibbonChange: technicals?.hashRibbon?.state.rawValue
        case .kumoTwist: technicals?.ichimokuWeekly?.lastTwist.map { "\($0.direction.rawValue) \($0.weekEnding.iso)" }
        case .supportBreak: technicals.map { t in t.brokenSupport.map { String(format: "%.0f–%.0f", $0.low, $0.high) } ?? "none" }
        case .priceCrossesCost: technicals?.costGap.map { $0 < 0 ? "below" : "above" }
        case .revealedStatedGapAbove(let level): snapshot.statedRevealedGap.map { abs($0.gap) > level ? "true" : "false" }
        case .etfFlowStreak(let days): snapshot.revealed?.outflowStreak.map { $0 >= days ? "true" : "false" }
        }
    }

    /// Whether moving from `previous` to `current` is a crossing that fires (once).
    ///
    /// Thresholds fire when they become true (also on the first evaluation); change rules fire when the value changes
    /// from a known earlier value (the first evaluation records a baseline); a support break fires only for a new break.
    public func fires(previous: String?, current: String?) -> Bool {
        guard let current else { return false }
        switch condition {
        case .divergenceAbove, .divergenceBelow, .revealedStatedGapAbove, .etfFlowStreak: return current == "true" && previous != "true"
        case .supportBreak: return current != "none" && previous != nil && previous != current
        default: return previous != nil && previous != current
        }
    }

    /// One line for a person.
    public func message(previous: String?, current: String, snapshot: ScoreSnapshot) -> String {
        let d = snapshot.divergence.map { String(format: "%+.1f", $0.value) } ?? "n/a"
        switch condition {
        case .divergenceAbove(let level): return "\(name): divergence D \(d) rose above \(String(format: "%g", level))"
        case .divergenceBelow(let level): return "\(name): divergence D \(d) fell below \(String(format: "%g", level))"
        case .labelChange: return "\(name): divergence label changed from \(previous ?? "?") to \(current) (D \(d))"
        case .hashRibbonChange: return "\(name): hash ribbon changed from \(previous ?? "?") to \(current)"
        case .kumoTwist: return "\(name): new weekly Kumo twist: \(current)"
        case .supportBreak: return "\(name): price broke the support zone $\(current)"
        case .priceCrossesCost: return "\(name): price crossed \(current) the all-in production cost"
        case .revealedStatedGapAbove(let level):
            let gap = snapshot.statedRevealedGap
            return "\(name): revealed minus stated bullishness \(gap.map { String(format: "%+.1f", $0.gap) } ?? "n/a") is beyond ±\(String(format: "%g", level)): \(gap?.summary ?? "")"
        case .etfFlowStreak(let days):
            return "\(name): \(snapshot.revealed?.outflowStreak ?? days) consecutive trading days of net ETF outflows (rule: \(days))"
        }
    }
}

/// One alert that fired, as delivered (JSON on a command's stdin or POSTed to a webhook).
public struct AlertEvent: Sendable, Codable, Equatable {
    public var alert: String
    public var rule: String
    public var asOf: Date
    public var message: String
    public var previous: String?
    public var current: String
    public var divergence: Double?
    public var label: String?
    public var bullishness: Double?
    public var regime: Double?
    public var regimeLabel: String?
    /// True for `alerts test` deliveries.
    public var test: Bool

    public init(rule: AlertRule, asOf: Date, previous: String?, current: String, snapshot: ScoreSnapshot, test: Bool = false) {
        alert = rule.name
        self.rule = rule.condition.name
        self.asOf = asOf
        message = (test ? "TEST " : "") + rule.message(previous: previous, current: current, snapshot: snapshot)
        self.previous = previous
        self.current = current
        divergence = snapshot.divergence?.value
        label = snapshot.divergence?.label.rawValue
        bullishness = snapshot.bullishness.score
        regime = snapshot.regime?.score
        regimeLabel = snapshot.regime?.label
        self.test = test
    }

    /// The delivered JSON: snake_case keys, ISO 8601 dates.
    public var json: [UInt8] {
        Array(JSONEncoding.document(self, layout: .compact).utf8)
    }
}
