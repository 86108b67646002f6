import Foundation
import Market
import Surveys

extension BullishnessIndex {
    /// Splits B's components into those with fresh inputs and those whose newest input is older than its limit.
    ///
    /// Limits: news by its half-life, claims by theirs, surveys by their own cadence (twice the median interval
    /// between a survey's publications; the maximum age for a survey published once). Each component is dated by
    /// its newest input (`dataDate`).
    static func judgeFreshness(_ components: [ScoreComponent], surveys: [SurveyObservation], claims: ClaimAggregate,
                               news: NewsAggregate, asOf: Date,
                               parameters: BullishnessParameters) -> (live: [ScoreComponent], stale: [StaleReading]) {
        var live: [ScoreComponent] = []
        var stale: [StaleReading] = []
        for var component in components {
            let judged: (newest: Date, limitDays: Double, what: String)?
            switch component.id {
            case "surveys": judged = surveyFreshness(surveys, asOf: asOf, parameters: parameters)
            case "claims": judged = claims.recent.first.map { ($0.published, parameters.claimHalfLifeDays, "claim") }
            case "news":
                judged = (news.newest ?? news.strongest.map(\.published).max())
                    .map { ($0, parameters.newsHalfLifeDays, "news sentence") }
            default: judged = nil
            }
            guard let judged else {
                live.append(component)
                continue
            }
            component.dataDate = judged.newest
            if asOf.timeIntervalSince(judged.newest) > judged.limitDays * 86_400 {
                // A date-only survey is knowable at the end of its day: the reason names the day itself.
                let day = UTCDay(containing: judged.newest.addingTimeInterval(component.id == "surveys" ? -1 : 0))
                stale.append(StaleReading(id: component.id, name: component.name, weight: component.weight, dataDay: day,
                                          reason: "stale: last \(judged.what) \(day.iso)"))
            } else {
                live.append(component)
            }
        }
        // News older than the aggregate's window leaves no component at all; it is still stale, not absent.
        if !components.contains(where: { $0.id == "news" }), let newest = news.newest,
           asOf.timeIntervalSince(newest) > parameters.newsHalfLifeDays * 86_400 {
            let day = UTCDay(containing: newest)
            stale.append(StaleReading(id: "news", name: newsComponentName, weight: parameters.newsWeight, dataDay: day,
                                      reason: "stale: last news sentence \(day.iso)"))
        }
        return (live, stale)
    }

    /// The newest institutional survey publication and the limit of the survey that is freshest by its cadence.
    static func surveyFreshness(_ observations: [SurveyObservation], asOf: Date,
                                parameters: BullishnessParameters) -> (newest: Date, limitDays: Double, what: String)? {
        let institutional = observations.filter { $0.knowable <= asOf && $0.population.isInstitutional }
        var best: (newest: Date, limitDays: Double, what: String)?
        for (_, rows) in Dictionary(grouping: institutional, by: \.survey) {
            let dates = Set(rows.map(\.knowable)).sorted()
            guard let newest = dates.last else { continue }
            let gaps = zip(dates, dates.dropFirst()).map { $1.timeIntervalSince($0) / 86_400 }.sorted()
            let limit = gaps.isEmpty ? parameters.maxAgeDays : 2 * gaps[gaps.count / 2]
            let headroom = limit * 86_400 - asOf.timeIntervalSince(newest)
            if let current = best, current.limitDays * 86_400 - asOf.timeIntervalSince(current.newest) >= headroom {
                continue
            }
            best = (newest, limit, "survey")
        }
        return best
    }
}
