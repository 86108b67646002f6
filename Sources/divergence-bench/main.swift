import Foundation

// `make bench`: release-build measurements; figures are printed, not asserted.
// Usage: divergence-bench [DATA-DIR] [feeds|sentiment|market|fetching|ingest|server|positioning|report …] (default: all).
let data = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "../shared/data")
let only = Set(CommandLine.arguments.dropFirst(2))
func wanted(_ name: String) -> Bool { only.isEmpty || only.contains(name) }

if wanted("feeds") { benchmarkFeeds(corpus: data.appendingPathComponent("feeds/corpus")) }
if wanted("sentiment") { benchmarkSentiment(fpbDev: data.appendingPathComponent("sentiment/fpb-dev.tsv")) }
if wanted("market") { benchmarkMarket(dataDirectory: data.appendingPathComponent("market")) }
if wanted("fetching") { _ = benchmarkFetching() }
if wanted("ingest") { benchmarkIngest() }
if wanted("server") { benchmarkServer() }
if wanted("positioning") {
    benchmarkPositioning(dataDirectory: data.appendingPathComponent("positioning"),
                         projectRoot: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
}
if wanted("report") {
    benchmarkReport(projectRoot: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
}
