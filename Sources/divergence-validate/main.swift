import Foundation

// `make validate`: real-data checks against ../shared/data (path given as the first argument).
let data = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "../shared/data")
var results: [(String, Bool)] = []
results.append(("feeds", validateFeeds(corpus: data.appendingPathComponent("feeds/corpus"), expected: data.appendingPathComponent("feeds/feedparser-expected.jsonl"))))
results.append(("market", validateMarket(dataDirectory: data.appendingPathComponent("market"))))
let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
results.append(("sentiment", validateSentiment(fpbDev: data.appendingPathComponent("sentiment/fpb-dev.tsv"),
                                               claimsFixture: project.appendingPathComponent("Tests/SentimentTests/Fixtures/claims.jsonl"))))
results.append(("articles", validateArticles(fixtures: project.appendingPathComponent("Tests/FeedsTests/Fixtures/articles"))))
results.append(("readability", validateReadabilitySuite(pages: data.appendingPathComponent("articles/readability"))))
results.append(("surveys", validateSurveys(file: data.appendingPathComponent("surveys/aaii-sentiment-weekly.csv"))))
results.append(("positioning", await validatePositioning(dataDirectory: data.appendingPathComponent("positioning"), project: project)))

print("")
for (name, passed) in results { print("validate \(name): \(passed ? "passed" : "FAILED")") }
let failed = results.filter { !$0.1 }.count
print("\(results.count - failed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
