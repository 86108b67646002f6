import Foundation
import LoopbackHTTP
import StoreTestSupport
import Testing

/// Where a JSON value breaks an OpenAPI 3.1 schema (the subset openapi.json uses: `$ref`, `oneOf`, `type`, `enum`,
/// `required`, `properties`, `additionalProperties: false`, `items`); empty when it conforms.
func schemaViolations(_ value: Any, _ schema: [String: Any], document: [String: Any], path: String = "$") -> [String] {
    if let ref = schema["$ref"] as? String {
        let name = String(ref.split(separator: "/").last ?? "")
        guard let target = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] else {
            return ["\(path): unresolved \(ref)"]
        }
        return schemaViolations(value, target, document: document, path: path)
    }
    if let options = schema["oneOf"] as? [[String: Any]] {
        return options.contains { schemaViolations(value, $0, document: document, path: path).isEmpty } ? [] : ["\(path): matches none of oneOf"]
    }
    let kind: String = switch value {
    case is NSNull: "null"
    case let number as NSNumber: number.doubleValue.rounded() == number.doubleValue ? "integer" : "number"
    case is String: "string"
    case is [Any]: "array"
    case is [String: Any]: "object"
    default: "unknown"
    }
    if let type = schema["type"] {
        let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
        guard allowed.contains(kind) || (kind == "integer" && allowed.contains("number")) else { return ["\(path): \(kind), documented as \(allowed)"] }
    }
    if let choices = schema["enum"] as? [Any] {
        let matches = choices.contains { choice in (choice is NSNull && value is NSNull) || (choice as? String).map { $0 == value as? String } == true }
        if !matches { return ["\(path): \(value) is not one of the documented values"] }
    }
    var found: [String] = []
    if let object = value as? [String: Any] {
        let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
        for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path).\(key): documented as required, absent") }
        for (key, item) in object {
            if let property = properties[key] {
                found += schemaViolations(item, property, document: document, path: "\(path).\(key)")
            } else if schema["additionalProperties"] as? Bool == false {
                found.append("\(path).\(key): not documented")
            }
        }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
        for (index, item) in array.enumerated() { found += schemaViolations(item, items, document: document, path: "\(path)[\(index)]") }
    }
    return found
}

@Suite("openapi.json describes the responses the server really sends")
struct OpenAPISchemaTests {
    func document() throws -> [String: Any] {
        let data = try Data(contentsOf: BuiltBinary.packageRoot.appendingPathComponent("Sources/Server/openapi.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("/v1/technicals conforms to the Technicals schema, every key documented, with full history and with too little",
          arguments: StoreBackendKind.available, ["2026-02-07", "2021-09-30"])
    func technicals(_ backend: StoreBackendKind, asOf: String) async throws {
        let port = try await SharedDemo.on(backend).port
        let response = try await httpRequest(port: port, "GET", "/v1/technicals?as_of=\(asOf)")
        #expect(response.status == 200)
        let body = try response.json()
        let document = try document()
        let schema = try #require(((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Technicals"] as? [String: Any])
        #expect(schemaViolations(body, schema, document: document) == [])
        // Every documented top-level reading is in the response (nulls included), so the schema lists no phantom field.
        let documented = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
        #expect(documented == Set(body.keys))
    }

    @Test("/v1/divergence conforms to the Report schema, its technicals and precedents included", arguments: StoreBackendKind.available, ["2026-02-07", "2021-09-30"])
    func report(_ backend: StoreBackendKind, asOf: String) async throws {
        let port = try await SharedDemo.on(backend).port
        let body = try await httpRequest(port: port, "GET", "/v1/divergence?as_of=\(asOf)").json()
        let document = try document()
        let schema = try #require(((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Report"] as? [String: Any])
        #expect(schemaViolations(body, schema, document: document) == [])
        #expect(body["technicals"] is [String: Any])
    }

    @Test("four months of demo history: the readings that need more are null and the response says why", arguments: StoreBackendKind.available)
    func shortHistoryReasons(_ backend: StoreBackendKind) async throws {
        let port = try await SharedDemo.on(backend).port
        let body = try await httpRequest(port: port, "GET", "/v1/technicals?as_of=2021-09-30").json()
        // The demo's series start 2021-06-01: 122 days by 2021-09-30.
        #expect(body["sma200w"] is NSNull && body["mayer_multiple"] is NSNull)
        let unavailable = try #require(body["unavailable"] as? [[String: String]])
        #expect(unavailable.map { $0["reading"] ?? "" } == ["sma200w", "ichimoku_weekly.span_b", "mayer_multiple", "hashprice.percentile_since_2016"])
        #expect(unavailable.first?["reason"] == "needs 200 complete weeks of closes (1,400 days) (from 2017-11-27); prices stored from 2021-06-01")
    }
}
