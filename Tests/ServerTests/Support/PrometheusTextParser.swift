import Foundation

/// A strict reader of the Prometheus text exposition format 0.0.4, written from the format's definition:
///
/// - lines end with `\n`, the last one too; `# HELP name text` (text escapes `\\` and `\n`) and
///   `# TYPE name counter|gauge|histogram|summary|untyped`, at most once each per name, TYPE before the samples;
/// - a sample is `name[{label="value",...}] value [timestamp]`: names match `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names
///   `[a-zA-Z_][a-zA-Z0-9_]*` not starting with `__`, label values escape only `\\`, `\"` and `\n`;
/// - values are Go floats (`1`, `-0.5`, `1e-05`, `+Inf`, `-Inf`, `NaN`), timestamps integers (milliseconds);
/// - the samples of one family are contiguous, and no series (name plus label set) appears twice.
///
/// It is stricter than Prometheus where the format is loose, to keep the server's output canonical: no blank lines,
/// no other comments, exactly one space between the parts of a line.
struct PrometheusTextParser {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Family {
        var name: String
        var type: String?
        var help: String?
        var samples: [Sample] = []
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    private(set) var families: [String: Family] = [:]
    private(set) var order: [String] = []

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError(line: 0, reason: "the text does not end with a line feed") }
        var seenSeries = Set<String>()
        var currentFamily: String?
        var closedFamilies = Set<String>()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        for (index, rawLine) in lines.enumerated() {
            let number = index + 1
            let line = String(rawLine)
            func fail(_ reason: String) -> ParseError { ParseError(line: number, reason: "\(reason): \(line.prefix(120))") }
            guard !line.isEmpty else { throw fail("blank line") }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 3, parts[0] == "#", ["HELP", "TYPE"].contains(parts[1]) else { throw fail("a comment that is not HELP or TYPE") }
                let name = parts[2]
                guard Self.isMetricName(name) else { throw fail("bad metric name '\(name)'") }
                if let current = currentFamily, current != name { closedFamilies.insert(current) }
                guard !closedFamilies.contains(name) else { throw fail("family \(name) continues after another family") }
                currentFamily = name
                if families[name] == nil {
                    families[name] = Family(name: name)
                    order.append(name)
                }
                if parts[1] == "HELP" {
                    guard families[name]?.help == nil else { throw fail("second HELP for \(name)") }
                    let text = parts.count == 4 ? parts[3] : ""
                    families[name]?.help = try Self.unescape(text, allowQuote: false).orThrow(fail("bad escape in HELP"))
                } else {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else { throw fail("bad TYPE") }
                    guard families[name]?.type == nil else { throw fail("second TYPE for \(name)") }
                    guard families[name]?.samples.isEmpty ?? true else { throw fail("TYPE after samples of \(name)") }
                    families[name]?.type = parts[3]
                }
                continue
            }
            let sample = try Self.parseSample(line).orThrow(fail("malformed sample"))
            let family = Self.familyName(of: sample.name, known: families)
            if let current = currentFamily, current != family { closedFamilies.insert(current) }
            guard !closedFamilies.contains(family) else { throw fail("samples of \(family) are not contiguous") }
            currentFamily = family
            if families[family] == nil {
                families[family] = Family(name: family)
                order.append(family)
            }
            if let type = families[family]?.type {
                let allowed: [String] = switch type {
                case "histogram": [family + "_bucket", family + "_sum", family + "_count"]
                case "summary": [family, family + "_sum", family + "_count"]
                default: [family]
                }
                guard allowed.contains(sample.name) else { throw fail("sample \(sample.name) does not belong to \(type) \(family)") }
                if type == "counter", sample.value < 0 { throw fail("negative counter") }
            }
            let key = sample.name + "{" + sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{0}") + "}"
            guard seenSeries.insert(key).inserted else { throw fail("duplicate series") }
            families[family]?.samples.append(sample)
        }
    }

    /// The value of the one sample of `name` whose labels are exactly `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.values.flatMap(\.samples).first { $0.name == name && $0.labels == labels }?.value
    }

    func samples(_ name: String) -> [Sample] { families[name]?.samples ?? [] }

    static func familyName(of sample: String, known: [String: Family]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if let type = known[base]?.type, type == "histogram" || type == "summary" { return base }
        }
        return sample
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_", !name.hasPrefix("__") else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
    }

    /// Go's ParseFloat syntax as Prometheus accepts it (decimal, exponent, ±Inf, NaN); no hex, no underscores.
    static func parseValue(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: break
        }
        guard text.range(of: #"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"#, options: .regularExpression) != nil else { return nil }
        return Double(text)
    }

    static func unescape(_ text: String, allowQuote: Bool) -> String? {
        var output = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else { output.append(character); continue }
            switch iterator.next() {
            case "\\": output.append("\\")
            case "n": output.append("\n")
            case "\"" where allowQuote: output.append("\"")
            default: return nil
            }
        }
        return output
    }

    static func parseSample(_ line: String) -> Sample? {
        var rest = Substring(line)
        let name = String(rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") })
        guard isMetricName(name) else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let labelName = String(rest.prefix { $0 != "=" })
                guard isLabelName(labelName), labels[labelName] == nil else { return nil }
                rest = rest.dropFirst(labelName.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                var raw = ""
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { raw.append(character); escaped = false; continue }
                    if character == "\\" { raw.append(character); escaped = true; continue }
                    if character == "\"" { break }
                    guard character != "\n" else { return nil }
                    raw.append(character)
                }
                guard let value = unescape(raw, allowQuote: true) else { return nil }
                labels[labelName] = value
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { return nil }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { return nil }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 1 || fields.count == 2, let value = parseValue(String(fields[0])) else { return nil }
        if fields.count == 2 { guard Int64(fields[1]) != nil else { return nil } }
        return Sample(name: name, labels: labels, value: value)
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> some Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
