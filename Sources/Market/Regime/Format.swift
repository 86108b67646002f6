import Foundation

/// Number formatting for every number a person reads (locale-independent, thousands grouped: $64,478, 1,129 EH/s).
public enum Format {
    /// "$64,478" (rounded to whole dollars; "−$1,234" when negative).
    public static func usd(_ value: Double) -> String {
        guard value.isFinite else { return "$—" }
        let rounded = Int(value.rounded())
        return (rounded < 0 ? "-$" : "$") + grouped(abs(rounded))
    }

    /// "26.0%" for 0.26 (absolute value; callers word the sign).
    public static func percent(_ fraction: Double) -> String { fixed(abs(fraction) * 100, 1) + "%" }

    /// Fixed decimals, e.g. fixed(0.7234, 2) = "0.72".
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale), fraction = scaled % Int(scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + grouped(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }

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
