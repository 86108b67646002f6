import Foundation

// Writes the offline demo scenario's market series (feeds/demo/market/*.csv): a deterministic path through
// dated anchor values modelled on 2021–early 2026, with seeded day-to-day noise. Run: `make demo-data`.

/// A dated anchor of the scenario (UTC day, value).
struct Anchor {
    var day: Int
    var value: Double
    init(_ iso: String, _ value: Double) {
        day = DemoCalendar.dayNumber(iso)
        self.value = value
    }
}

enum DemoCalendar {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func dayNumber(_ iso: String) -> Int {
        let parts = iso.split(separator: "-").map { Int($0)! }
        let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!
        return Int(date.timeIntervalSince1970 / 86_400)
    }

    static func iso(_ day: Int) -> String {
        let components = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
        return String(format: "%04d-%02d-%02d", components.year!, components.month!, components.day!)
    }
}

/// SplitMix64: a small, well-known deterministic generator, so the files are identical on every machine.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in −1…1.
    mutating func symmetric() -> Double { Double(next() >> 11) / Double(1 << 53) * 2 - 1 }
}

/// Log-linear interpolation between anchors.
func interpolate(_ anchors: [Anchor], at day: Int) -> Double {
    guard let upper = anchors.firstIndex(where: { $0.day >= day }) else { return anchors.last!.value }
    if upper == 0 { return anchors[0].value }
    let a = anchors[upper - 1], b = anchors[upper]
    let t = Double(day - a.day) / Double(b.day - a.day)
    return exp(log(a.value) + t * (log(b.value) - log(a.value)))
}

let priceAnchors = [
    Anchor("2021-06-01", 36_500), Anchor("2021-07-20", 29_800), Anchor("2021-11-10", 67_000), Anchor("2022-01-24", 36_300),
    Anchor("2022-03-28", 47_100), Anchor("2022-06-18", 19_000), Anchor("2022-08-14", 24_400), Anchor("2022-11-21", 15_800),
    Anchor("2023-01-01", 16_600), Anchor("2023-04-14", 30_400), Anchor("2023-06-15", 25_100), Anchor("2023-07-13", 31_400),
    Anchor("2023-09-11", 25_100), Anchor("2023-12-31", 42_200), Anchor("2024-03-14", 73_000), Anchor("2024-05-01", 57_500),
    Anchor("2024-07-29", 68_900), Anchor("2024-08-05", 54_000), Anchor("2024-09-06", 53_900), Anchor("2024-11-13", 90_000),
    Anchor("2024-12-17", 106_000), Anchor("2025-01-20", 108_500), Anchor("2025-04-08", 76_300), Anchor("2025-05-22", 111_000),
    Anchor("2025-08-14", 123_000), Anchor("2025-10-06", 125_500), Anchor("2025-11-21", 84_500), Anchor("2025-12-31", 87_800),
    Anchor("2026-01-14", 96_800), Anchor("2026-01-31", 78_600), Anchor("2026-02-05", 63_200), Anchor("2026-02-07", 64_478),
]
let hashrateAnchors = [
    Anchor("2021-06-01", 112), Anchor("2021-07-01", 90), Anchor("2021-12-31", 180), Anchor("2022-06-01", 222),
    Anchor("2022-07-20", 200), Anchor("2022-08-25", 216), Anchor("2022-12-20", 250), Anchor("2023-06-30", 380),
    Anchor("2023-12-31", 500), Anchor("2024-04-20", 620), Anchor("2024-05-31", 575), Anchor("2024-07-15", 600),
    Anchor("2024-12-31", 780), Anchor("2025-06-30", 900), Anchor("2025-10-15", 1_120), Anchor("2025-11-30", 1_060),
    Anchor("2025-12-31", 1_040), Anchor("2026-01-20", 985), Anchor("2026-02-07", 913),
]

let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "feeds/demo/market"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
let first = priceAnchors.first!.day, last = priceAnchors.last!.day

var random = SplitMix64(state: 20_260_207)
var prices = "date,open,high,low,close,volume\n"
var previousClose = priceAnchors[0].value
for day in first...last {
    let isLast = day == last
    let close = isLast ? priceAnchors.last!.value : interpolate(priceAnchors, at: day) * (1 + 0.018 * random.symmetric())
    let open = previousClose
    let high = max(open, close) * (1 + 0.012 * abs(random.symmetric()))
    let low = min(open, close) * (1 - 0.012 * abs(random.symmetric()))
    let volume = 25_000_000_000 * (1 + 0.4 * random.symmetric())
    prices += String(format: "%@,%.2f,%.2f,%.2f,%.2f,%.0f\n", DemoCalendar.iso(day), open, high, low, close, volume)
    previousClose = close
}
var hashrate = "date,hashrate_ehs\n"
for day in first...last {
    let value = day == last ? hashrateAnchors.last!.value : interpolate(hashrateAnchors, at: day) * (1 + 0.03 * random.symmetric())
    hashrate += String(format: "%@,%.1f\n", DemoCalendar.iso(day), value)
}
try prices.write(toFile: directory + "/btc-usd-daily.csv", atomically: true, encoding: .utf8)
try hashrate.write(toFile: directory + "/hashrate-daily.csv", atomically: true, encoding: .utf8)
print("wrote \(last - first + 1) days of prices and hashrate to \(directory)")
