import DelimitedText
import Foundation
import Market
import Surveys

/// Targets over delimited text: the CSV/TSV reader, the survey readers and the market series reader.
enum TableTargets {
    /// Records read, written back as fully quoted CSV and read again, keep every field; lines only increase.
    static func delimited(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        for separator in [UInt8(ascii: ","), UInt8(ascii: "\t")] {
            guard let records = try? DelimitedTable.records(in: bytes, source: "fuzz.csv", separator: separator) else { continue }
            try require(zip(records, records.dropFirst()).allSatisfy { $0.line < $1.line }, "delimited", "record lines do not increase")
            try require(records.allSatisfy { !$0.fields.isEmpty && $0.fields.count <= DelimitedTable.maxColumns }, "delimited",
                        "a record with no fields or more than \(DelimitedTable.maxColumns)")
            let written = quoted(records, separator: separator)
            let again: [DelimitedRecord]
            do { again = try DelimitedTable.records(in: written, source: "written.csv", separator: separator) } catch {
                throw FuzzInvariantViolation(target: "delimited", reason: "re-quoted records do not read back: \(error)")
            }
            try require(again.map(\.fields) == records.map(\.fields), "delimited", "re-quoted records read back differently")
            _ = try? DelimitedTable(bytes: bytes, source: "fuzz.csv", separator: separator)
        }
    }

    /// `records` as RFC 4180 CSV with every field quoted.
    static func quoted(_ records: [DelimitedRecord], separator: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        for record in records {
            for (k, field) in record.fields.enumerated() {
                if k > 0 { out.append(separator) }
                out.append(UInt8(ascii: "\""))
                for byte in field.utf8 {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// The same AAII columns with the share unit detected from the values instead of declared.
    static let detectedUnit = WideSurveyMapping(
        survey: "fuzz", publisher: "fuzz", population: .retail, dateColumn: "reported_date",
        metricColumns: [("bullish", .bullish), ("neutral", .neutral), ("bearish", .bearish)], unit: nil)

    /// Every survey reader either throws `SurveyError` or returns observations whose shares are fractions in 0–1.
    static func survey(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        let imports: [SurveyImport] = [
            try? LongSurveyCSV.read(bytes, source: "fuzz.csv"),
            try? WideSurveyCSV.read(bytes, source: "fuzz.csv", mapping: .aaii),
            try? WideSurveyCSV.read(bytes, source: "fuzz.csv", mapping: detectedUnit),
            try? SurveyJSON.read(bytes, source: "fuzz.json"),
        ].compactMap { $0 }
        for result in imports {
            for observation in result.observations {
                try require(observation.share.isFinite && (0...1).contains(observation.share), "survey",
                            "share \(observation.share) outside 0–1 for \(observation.metric)")
                try require(observation.sampleSize.map { $0 > 0 } ?? true, "survey", "sample size \(observation.sampleSize ?? 0) is not positive")
            }
        }
    }

    /// "Now" for the Kraken reader, which drops the candle of the day in progress.
    static let now = Date(timeIntervalSince1970: 1_770_422_400)

    /// Series readers (CSV files and the market APIs' JSON) either throw `SeriesError` or return points in strictly
    /// increasing days with finite, positive values.
    static func series(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        let exchanges = [try? KrakenOHLC.candles(bytes, source: "fuzz.json", now: now), try? BitstampOHLC.candles(bytes, source: "fuzz.json", now: now),
                         try? CoinbaseCandles.candles(bytes, source: "fuzz.json", now: now)]
        for prices in [try? SeriesCSV.prices(bytes, source: "fuzz.csv")] + exchanges {
            guard let prices else { continue }
            try require(zip(prices.points, prices.points.dropFirst()).allSatisfy { $0.day < $1.day }, "series", "price days do not increase")
            for candle in prices.points {
                let values = [candle.open, candle.high, candle.low, candle.close]
                try require(values.allSatisfy { $0.isFinite && $0 > 0 } && candle.high >= candle.low, "series",
                            "candle on \(candle.day) is not finite, positive and high ≥ low")
            }
        }
        let hashrates = [
            try? SeriesCSV.hashrate(bytes, source: "fuzz.csv"),
            try? BlockchainChartsHashrate.samples(bytes, source: "fuzz.json"),
            try? MempoolHashrate.samples(bytes, source: "fuzz.json"),
        ]
        for hashrate in hashrates {
            guard let hashrate else { continue }
            try require(zip(hashrate.points, hashrate.points.dropFirst()).allSatisfy { $0.day < $1.day }, "series", "hashrate days do not increase")
            try require(hashrate.points.allSatisfy { $0.exahashesPerSecond.isFinite && $0.exahashesPerSecond >= 0 }, "series",
                        "hashrate that is not finite and non-negative")
        }
        // A backfill page never points its next page at or before the one it was asked for (the walk always advances).
        let from = UTCDay(year: 2024, month: 1, day: 1)
        for endpoint in BackfillEndpoint.allCases {
            let url = endpoint.pageURL("https://backfill.example/page?limit=3", from: from) ?? ""
            guard let page = try? endpoint.page(bytes, source: "fuzz.json", url: url, from: from, now: now) else { continue }
            try require(page.next.map { $0 > from } ?? true, "series", "\(endpoint.rawValue) page points back to \(page.next?.iso ?? "")")
        }
    }
}
