import Foundation

// `make bench`: release-build measurements; figures are printed, not asserted.
let data = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "../shared/data")
benchmarkFeeds(corpus: data.appendingPathComponent("feeds/corpus"))
benchmarkSentiment(fpbDev: data.appendingPathComponent("sentiment/fpb-dev.tsv"))
benchmarkMarket(dataDirectory: data.appendingPathComponent("market"))
_ = benchmarkFetching()
benchmarkIngest()
benchmarkServer()
