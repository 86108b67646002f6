import ArgumentParser
import Ingestion
import Market
import Surveys
import Vocabulary

// The shared words as flag values: `--help` lists their choices and a value outside them is refused with the list.

extension SourceKind: ExpressibleByArgument {}

extension PublisherType: ExpressibleByArgument {}

extension DailySeries: ExpressibleByArgument {}

extension HashrateUnit: ExpressibleByArgument {}

extension SurveyPopulation: ExpressibleByArgument {
    /// A population name, with the synonyms survey files use (`institutions`, `individual_investors`…).
    public init?(argument: String) { self.init(name: argument) }
}
