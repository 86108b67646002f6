import Foundation
import Market
import Reporting

/// A request the API refuses, with the HTTP status and the one-line message of the `{"error": …}` body.
struct APIError: Error, Sendable, Equatable {
    var status: Int
    var message: String

    static func badParameter(_ name: String, _ reason: String) -> APIError {
        APIError(status: 400, message: "parameter '\(name)': \(reason)")
    }
}

/// The query string of a request, decoded strictly: every name must be one the route takes, at most once, with a
/// non-empty value. `+` is kept as a plus sign (so `2026-02-07T12:00:00+01:00` works unencoded).
struct QueryParameters: Sendable {
    private(set) var values: [String: String] = [:]

    /// Parses `query` (the text after `?`) for a route that takes `allowed`.
    init(_ query: String?, allowed: [String]) throws(APIError) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(parts[0]).removingPercentEncoding, !name.isEmpty else {
                throw APIError(status: 400, message: "the query string is malformed near '\(String(pair.prefix(40)))'")
            }
            guard allowed.contains(name) else {
                let takes = allowed.isEmpty ? "this route takes no parameters" : "this route takes \(allowed.joined(separator: ", "))"
                throw APIError(status: 400, message: "unknown parameter '\(Self.printable(name))' (\(takes))")
            }
            guard values[name] == nil else { throw .badParameter(name, "given more than once") }
            guard parts.count == 2, let value = String(parts[1]).removingPercentEncoding else { throw .badParameter(name, "has no value or bad percent-encoding") }
            guard !value.isEmpty else { throw .badParameter(name, "is empty") }
            values[name] = value
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// The fields of an `application/x-www-form-urlencoded` body (`+` is a space, as HTML forms send it); the first of a
    /// repeated name wins; undecodable pairs are skipped.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String? { String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decoded(parts[0]), fields[name] == nil, let value = parts.count == 2 ? decoded(parts[1]) : "" else { continue }
            fields[name] = value
        }
        return fields
    }

    /// `as_of`: a UTC day (its end: everything dated that day counts) or an ISO 8601 instant; `now` when absent.
    func asOf(default now: Date) throws(APIError) -> Date {
        guard let text = values["as_of"] else { return now }
        guard text.count == 10 || Self.looksLikeInstant(text), let instant = AsOfInstant.parse(text) else {
            throw .badParameter("as_of", "'\(Self.printable(text))' is not a date like 2026-02-07 or an ISO 8601 instant like 2026-02-07T12:00:00Z")
        }
        if let reason = AsOfInstant.futureError(Self.printable(text), instant: instant, now: now) { throw .badParameter("as_of", reason) }
        return instant
    }

    /// A UTC day parameter (`YYYY-MM-DD`).
    func day(_ name: String) throws(APIError) -> UTCDay? {
        guard let text = values[name] else { return nil }
        guard text.count == 10, let day = UTCDay(iso: text) else { throw .badParameter(name, "'\(Self.printable(text))' is not a date like 2026-02-07") }
        return day
    }

    /// An instant parameter where a bare date means the *start* of that UTC day (for `since`).
    func startInstant(_ name: String) throws(APIError) -> Date? {
        guard let text = values[name] else { return nil }
        if text.count == 10, let day = UTCDay(iso: text) { return day.start }
        guard Self.looksLikeInstant(text), let instant = try? Date(text, strategy: .iso8601) else {
            throw .badParameter(name, "'\(Self.printable(text))' is not a date like 2026-02-07 or an ISO 8601 instant like 2026-02-07T12:00:00Z")
        }
        return instant
    }

    /// A whole number in `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = values[name] else { return nil }
        guard text.utf8.count <= 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text), range.contains(value) else {
            throw .badParameter(name, "'\(Self.printable(text))' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// `YYYY-MM-DDThh:mm[:ss[.fff]]` with `Z` or `±hh:mm`, fields in range: Foundation's parser rolls `25:00` over
    /// to the next day instead of refusing it.
    static func looksLikeInstant(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$"#,
                   options: .regularExpression) != nil
    }

    /// At most 60 characters of `text` with control characters replaced, for an error message.
    static func printable(_ text: String) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        return cleaned.count > 60 ? String(cleaned.prefix(60)) + "…" : cleaned
    }
}
