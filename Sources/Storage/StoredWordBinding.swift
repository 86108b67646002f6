import Sentiment
import Surveys
import Vocabulary

extension SourceKind: SQLWord {}
extension PublisherType: SQLWord {}
extension SpeakerType: SQLWord {}
extension OpinionTopic: SQLWord {}
extension ClaimPopulation: SQLWord {}
extension ClaimProposition: SQLWord {}
extension SurveyPopulation: SQLWord {}
extension SurveyMetric: SQLWord {}
