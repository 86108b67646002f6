import Foundation

// `make bench`: release-build measurements; figures are printed, not asserted.
// Usage: divergence-bench [DATA-DIR] [feeds|articles|sentiment|market|backfill|fetching|ingest|server|sources|positioning|report|process|wrk|postgresql …] (default: all; postgresql-report: the 1M-document report and wrk parts of postgresql alone).
let data = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "../shared/data")
let only = Set(CommandLine.arguments.dropFirst(2))
func wanted(_ name: String) -> Bool { only.isEmpty || only.contains(name) }

if wanted("feeds") { benchmarkFeeds(corpus: data.appendingPathComponent("feeds/corpus")) }
if wanted("articles") { benchmarkArticles(pages: data.appendingPathComponent("articles/readability")) }
if wanted("sentiment") { benchmarkSentiment(fpbDev: data.appendingPathComponent("sentiment/fpb-dev.tsv")) }
if wanted("market") { benchmarkMarket(dataDirectory: data.appendingPathComponent("market")) }
if wanted("backfill") { benchmarkBackfill(dataDirectory: data.appendingPathComponent("market")) }
if wanted("fetching") { _ = benchmarkFetching() }
// Run as part of everything, the ingest goes to a fresh process, so earlier benches do not inflate its memory.
if only.contains("ingest") { benchmarkIngest() } else if only.isEmpty { runIngestInFreshProcess(data: data) }
if wanted("server") { benchmarkServer() }
if wanted("sources") { benchmarkSources() }
if wanted("positioning") {
    benchmarkPositioning(dataDirectory: data.appendingPathComponent("positioning"),
                         projectRoot: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
}
if wanted("process") { benchmarkProcesses(data: data) }
if wanted("wrk") { benchmarkServeWithWrk() }
if wanted("postgresql") { benchmarkSharedStore() } else if only.contains("postgresql-report") { benchmarkSharedStore(ingest: false) }
if wanted("report") {
    benchmarkReport(projectRoot: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
}
