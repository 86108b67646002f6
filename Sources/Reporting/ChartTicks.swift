import Foundation
import Market

/// Axis ticks a reader can use: 1-2-5 steps on value axes, month or week starts on the date axis.
enum ChartTicks {
    /// Linear ticks at multiples of a 1, 2 or 5 × 10ᵏ step, about `target` of them inside `range`.
    static func linear(_ range: ClosedRange<Double>, target: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(max(1, target))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var value = ceil(range.lowerBound / step) * step
        while value <= range.upperBound + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// Ticks for a log axis: 1, 2, 5 × 10ᵏ inside `range` when that gives at least three, else linear 1-2-5 ticks.
    static func logarithmic(_ range: ClosedRange<Double>) -> [Double] {
        guard range.lowerBound > 0 else { return linear(range) }
        var ticks: [Double] = []
        var decade = pow(10, floor(log10(range.lowerBound)))
        while decade <= range.upperBound {
            for factor in [1.0, 2, 5] where range.contains(factor * decade) { ticks.append(factor * decade) }
            decade *= 10
        }
        return ticks.count >= 3 ? ticks : linear(range)
    }

    /// "$64,478"-style labels: 56k → "$56k" steps as "60k", small values with the decimals the step needs.
    static func label(_ value: Double, step: Double) -> String {
        if abs(value) >= 10_000 { return Format.fixed(value / 1000, step >= 1000 ? 0 : 1) + "k" }
        return Format.fixed(value, step >= 1 || value == 0 ? 0 : 1)
    }

    /// First days of months (every 1, 2, 3, 6 or 12 months) or Mondays, about `target` of them from `from` to `to`.
    static func days(from: UTCDay, to: UTCDay, target: Int = 7) -> [UTCDay] {
        let span = from.days(to: to)
        if span <= 62 {
            let every = max(1, Int((Double(span) / Double(target) / 7).rounded(.up))) * 7
            var day = from.adding(days: (8 - from.weekday) % 7)
            var result: [UTCDay] = []
            while day <= to { result.append(day); day = day.adding(days: every) }
            return result
        }
        let months = Double(span) / 30.44
        let every = [1, 2, 3, 6, 12, 24, 60].first { months / Double($0) <= Double(target) } ?? 120
        var (year, month, _) = from.components
        if from.components.day != 1 { month += 1 }
        var result: [UTCDay] = []
        while true {
            while month > 12 { month -= 12; year += 1 }
            let day = UTCDay(year: year, month: month, day: 1)
            if day > to { break }
            if (year * 12 + month - 1) % every == 0 { result.append(day) }
            month += 1
        }
        return result
    }

    /// "Feb 2026" for a month start, "2026-02-09" otherwise.
    static func dayLabel(_ day: UTCDay) -> String {
        let parts = day.components
        guard parts.day == 1 else { return day.iso }
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[parts.month - 1]) \(parts.year)"
    }
}
