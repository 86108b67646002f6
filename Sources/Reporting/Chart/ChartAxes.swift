import Foundation
import Market

/// Axis ticks a reader parses at a glance: 1-2-5 steps on linear axes, 1-2-5 (or 1-1.5-2-3-5-7) per decade on log axes,
/// and calendar boundaries (weeks, months, quarters, years) on the time axis.
public enum ChartAxes {
    /// Ticks inside `range` at a 1-2-5 × 10^k step chosen to give about `target` ticks.
    public static func linearTicks(_ range: ClosedRange<Double>, target: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span.isFinite, span > 0 else { return range.lowerBound.isFinite ? [range.lowerBound] : [] }
        let rough = span / Double(max(1, target))
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        var ticks: [Double] = []
        var value = (range.lowerBound / step).rounded(.up) * step
        while value <= range.upperBound + step * 1e-9, ticks.count < 100 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// Ticks inside a positive `range` on a log axis: the densest of 1 · 10^k, {1, 2, 5} · 10^k, {1, 1.5, 2, 3, 5, 7} · 10^k
    /// and {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8} · 10^k that stays within `maximum` ticks, preferring at least three.
    public static func logTicks(_ range: ClosedRange<Double>, maximum: Int = 8) -> [Double] {
        guard range.lowerBound > 0, range.upperBound.isFinite, range.upperBound > range.lowerBound else { return [] }
        let first = Int(log10(range.lowerBound).rounded(.down)), last = Int(log10(range.upperBound).rounded(.up))
        guard last - first < 40 else { return [] }
        func ticks(_ mantissas: [Double]) -> [Double] {
            (first...last).flatMap { exponent in mantissas.map { $0 * pow(10, Double(exponent)) } }.filter { range.contains($0) }
        }
        let candidates = [[1.0], [1, 2, 5], [1, 1.5, 2, 3, 5, 7], [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8]].map(ticks)
        return candidates.last { $0.count <= maximum && $0.count >= 3 }
            ?? candidates.first { $0.count <= maximum }
            ?? [range.lowerBound, range.upperBound]
    }

    /// A calendar tick on the time axis with its label.
    public struct DayTick: Sendable, Equatable {
        public var day: UTCDay
        public var label: String
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Calendar ticks in `from…to`: Mondays ("2 Feb") up to ~10 weeks, month starts ("Feb", with the year on January and
    /// the first tick) up to ~14 months, quarter starts up to ~4 years, else year starts ("2024").
    public static func dayTicks(from: UTCDay, to: UTCDay) -> [DayTick] {
        let span = to.daysSinceEpoch - from.daysSinceEpoch
        guard span > 0 else { return [DayTick(day: from, label: from.iso)] }
        var ticks: [DayTick] = []
        if span <= 70 {
            // Every day up to three weeks, else Mondays.
            let step = span <= 21 ? 1 : 7
            var day = from
            if step == 7 { while weekday(day) != 1 { day = day.adding(days: 1) } }
            while day <= to {
                let (year, month, dayOfMonth) = day.components
                ticks.append(DayTick(day: day, label: "\(dayOfMonth) \(monthNames[month - 1])" + (ticks.isEmpty ? " \(year)" : "")))
                day = day.adding(days: step)
            }
            return ticks
        }
        let monthStep = span <= 430 ? 1 : span <= 1_500 ? 3 : 12
        var (year, month, _) = from.components
        if monthStep == 12 { year += from.components.month == 1 && from.components.day == 1 ? 0 : 1; month = 1 }
        else {
            month = ((month - 1) / monthStep) * monthStep + 1
            if UTCDay(year: year, month: month, day: 1) < from { month += monthStep }
        }
        while true {
            while month > 12 { month -= 12; year += 1 }
            let day = UTCDay(year: year, month: month, day: 1)
            if day > to { break }
            let label = monthStep == 12 ? "\(year)"
                : (month == 1 || ticks.isEmpty) ? "\(monthNames[month - 1]) \(year)" : monthNames[month - 1]
            ticks.append(DayTick(day: day, label: label))
            month += monthStep
        }
        return ticks
    }

    /// 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    static func weekday(_ day: UTCDay) -> Int { ((day.daysSinceEpoch % 7) + 7 + 3) % 7 + 1 }

    /// A tick label with thousands separators and no needless decimals: "1,000", "2.5", "$60k", "$1.2M".
    public static func label(_ value: Double, currency: Bool = false) -> String {
        guard value.isFinite else { return "—" }
        let sign = value < 0 ? "−" : "", magnitude = abs(value), prefix = currency ? "$" : ""
        if currency, magnitude >= 1_000_000 { return sign + prefix + trimmed(magnitude / 1_000_000) + "M" }
        if currency, magnitude >= 1_000 { return sign + prefix + trimmed(magnitude / 1_000) + "k" }
        if magnitude >= 1_000 { return sign + prefix + grouped(magnitude) }
        return sign + prefix + trimmed(magnitude)
    }

    /// Whole dollars with thousands separators: "$120,800".
    public static func dollars(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        return (value < 0 ? "−$" : "$") + grouped(abs(value))
    }

    static func trimmed(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func grouped(_ value: Double) -> String {
        guard value < 1e18 else { return String(format: "%.3g", value) }
        let digits = String(Int64(value.rounded()))
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }
}
