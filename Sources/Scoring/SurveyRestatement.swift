import Foundation
import Sentiment
import Surveys

/// A claim in the news that restates a stored survey result: it links to the survey as evidence and adds no weight.
public struct RestatedClaim: Sendable, Equatable {
    public var claim: DatedClaim
    /// The survey the claim restates.
    public var survey: String

    public init(claim: DatedClaim, survey: String) {
        self.claim = claim
        self.survey = survey
    }
}

/// The rule that decides when a claim restates a survey observation.
///
/// Same population (the claim's population read as a survey population) and proposition (the claim's proposition is
/// the observation's metric, with the metric's stance), shares within `shareTolerance`, and the claim dated within the
/// survey's field window (first day 00:00 to the end of its last day) or within `daysAroundPublication` of its
/// publication. Only surveys knowable at the as-of instant can absorb a claim: before the survey is out, the news of
/// it is the only evidence and counts.
public enum SurveyRestatement {
    public static let shareTolerance = 0.02
    public static let daysAroundPublication = 14.0

    /// The first survey among `surveys` (knowable at or before `asOf`) that `claim` restates, or nil.
    public static func restated(_ claim: DatedClaim, by surveys: [SurveyObservation], asOf: Date) -> SurveyObservation? {
        guard let population = SurveyPopulation(name: claim.claim.population.rawValue), let metric = SurveyMetric(rawValue: claim.claim.proposition.rawValue),
              metric.stance == claim.claim.stance else { return nil }
        return surveys.first { observation in
            observation.population == population && observation.metric == metric && observation.knowable <= asOf
                && abs(observation.share - claim.claim.share) <= shareTolerance + 1e-9 && dated(claim.published, near: observation)
        }
    }

    /// True when `instant` falls in the survey's field window or within `daysAroundPublication` of its publication.
    static func dated(_ instant: Date, near observation: SurveyObservation) -> Bool {
        if let start = observation.fieldStart, let end = observation.fieldEnd, instant >= start, instant < end.addingTimeInterval(86_400) { return true }
        return abs(instant.timeIntervalSince(observation.published)) <= daysAroundPublication * 86_400
    }

    /// The claim populations that read as each survey population, for the SQL form of the rule.
    public static let claimPopulations: [(claim: ClaimPopulation, survey: SurveyPopulation)] =
        BullishnessIndex.institutionalClaimPopulations.sorted { $0.rawValue < $1.rawValue }.compactMap { population in
            SurveyPopulation(name: population.rawValue).map { (population, $0) }
        }
}
