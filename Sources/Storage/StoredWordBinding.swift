import Sentiment
import Surveys
import Vocabulary

extension SourceKind: SQLWord {}
extension PublisherType: SQLWord {}
extension SpeakerType: SQLWord {}
extension SurveyPopulation: SQLWord {}
extension SurveyMetric: SQLWord {}
