import Foundation

/// Number formatting for every number a person reads (locale-independent, thousands grouped: $64,478, 1,129 EH/s);
/// total: any Double prints, none traps.
public enum Format {
    /// Magnitudes from here on print in scientific notation; below it every rounded value fits an `Int` exactly.
    static let plainLimit = 1e15

    /// "$64,478" (rounded to whole dollars; "-$1,234" when negative; "$1.00e+308" when huge; "$—" when not finite).
    public static func usd(_ value: Double) -> String {
        guard value.isFinite else { return "$—" }
        let rounded = value.rounded()
        let sign = rounded < 0 ? "-$" : "$"
        guard abs(rounded) < plainLimit else { return sign + scientific(abs(value)) }
        return sign + grouped(Int(abs(rounded)))
    }

    /// "26.0%" for 0.26 (absolute value; callers word the sign).
    public static func percent(_ fraction: Double) -> String { fixed(abs(fraction) * 100, 1) + "%" }

    /// Fixed decimals, e.g. fixed(0.7234, 2) = "0.72"; scientific when the scaled value would pass `plainLimit`.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "—" }
        let places = max(0, min(decimals, 9))
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaledValue = (abs(value) * scale).rounded()
        guard scaledValue < plainLimit else { return (value < 0 ? "-" : "") + scientific(abs(value)) }
        let scaled = Int(scaledValue), unit = Int(scale)
        let whole = scaled / unit, fraction = scaled % unit
        var text = (value < 0 && scaled != 0 ? "-" : "") + grouped(whole)
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }

    /// "1.00e+308": three significant digits, for magnitudes no plain figure can show.
    static func scientific(_ value: Double) -> String { String(format: "%.2e", value) }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }
}
