import Foundation
import Sentiment
import Surveys
import Vocabulary

/// A stored word outside the vocabulary this version knows (written by another program, a newer version or a hand
/// edit), with how many rows hold it and what that does.
public struct UnknownStoredWord: Sendable, Equatable, CustomStringConvertible {
    /// `table.column`, e.g. `survey_observation.population`.
    public var column: String
    public var value: String
    public var rows: Int
    /// What this version does with such a row.
    public var consequence: String

    public var description: String { "\(column) '\(value)' in \(rows) row(s): \(consequence)" }
}

extension Store {
    /// The columns holding one of the shared words, the rows that are read, the words this version knows, and what it
    /// does with any other. A removed source is not read (adding its location again rewrites the row).
    static let wordColumns: [(table: String, column: String, rows: String, known: [String], consequence: String)] = [
        ("source", "kind", "active = 1", SourceKind.allCases.map(\.rawValue), "reading the source fails; fix the row or remove the source"),
        ("source", "publisher_type", "active = 1", PublisherType.allCases.map(\.rawValue), "reading the source fails; fix the row or remove the source"),
        ("survey_observation", "population", "1 = 1", SurveyPopulation.allCases.map(\.rawValue), "the report and surveys list skip the row"),
        ("survey_observation", "metric", "1 = 1", SurveyMetric.allCases.map(\.rawValue), "the report and surveys list skip the row"),
        ("claim", "population", "1 = 1", ClaimPopulation.allCases.map(\.rawValue), "reading the claim fails naming it (report, bullishness); fix the row"),
        ("claim", "proposition", "1 = 1", ClaimProposition.allCases.map(\.rawValue), "reading the claim fails naming it (report, bullishness); fix the row"),
        ("sentence", "speaker_type", "1 = 1", SpeakerType.allCases.map(\.rawValue), "B's news component fails naming the sentence when it is in the window; fix the row"),
        ("sentence", "topic", "1 = 1", OpinionTopic.allCases.map(\.rawValue), "the unit is left out of B's news component; fix the row"),
        ("document", "speaker_type", "1 = 1", SpeakerType.allCases.map(\.rawValue), "listing documents (/v1/documents) fails naming the document; fix the row"),
    ]

    /// What to do about a sentence, claim or document holding a word this version does not know.
    static let fixUnknownWord = "fix the row (doctor lists every unknown word)"

    /// `text`, read from `column` of `row`, as one of the shared words; a value outside them is
    /// `StoreError.unreadableRow` naming the row, the value, the choices and `fix`, never a default.
    func storedWord<Word: SQLWord>(_ text: String, column: String, row: @autoclosure () -> String, fix: String) throws(StoreError) -> Word {
        if let word = Word(rawValue: text) { return word }
        let choices = Word.allCases.map(\.rawValue).joined(separator: ", ")
        throw .unreadableRow(path: path, row: row(), reason: "stored \(column.replacingOccurrences(of: "_", with: " ")) '\(text)' is not one of \(choices); \(fix)")
    }

    /// A sentence row's speaker type (the row holds `speaker_type`, `document_id` and `position`); a word this version
    /// does not know is `StoreError.unreadableRow` naming the sentence.
    func speakerType(_ row: SQLRow) throws(StoreError) -> SpeakerType {
        try storedWord(row["speaker_type"], column: "speaker_type",
                       row: "sentence \(row["position"] as Int) of document \(row["document_id"] as Int64)", fix: Self.fixUnknownWord)
    }

    /// A `claim` row (with its `id`) as a claim; a population or proposition this version does not know is
    /// `StoreError.unreadableRow` naming the claim.
    func claim(_ row: SQLRow) throws(StoreError) -> Claim {
        let name = "claim \(row["id"] as Int64) of document \(row["document_id"] as Int64)"
        return Claim(population: try storedWord(row["population"], column: "population", row: name, fix: Self.fixUnknownWord),
                     share: row["share"],
                     proposition: try storedWord(row["proposition"], column: "proposition", row: name, fix: Self.fixUnknownWord),
                     stance: row["stance"], sampleSize: row["sample_size"], hedged: row["hedged"], quote: row["quote"], conditional: row["conditional"])
    }

    /// Fails naming the first claim knowable in [lower, upper] whose population or proposition this version does not
    /// know, so a claim is never left out of B because its word was unreadable.
    func rejectUnknownClaimWords(from lower: Double, to upper: Double, db: any SQLSession) throws {
        let populations = ClaimPopulation.allCases, propositions = ClaimProposition.allCases
        guard let row = try SQLRow.fetchOne(db, sql: """
            SELECT * FROM claim WHERE knowable >= ? AND knowable <= ?
            AND (population NOT IN (\(sqlQuestionMarks(count: populations.count))) OR proposition NOT IN (\(sqlQuestionMarks(count: propositions.count))))
            ORDER BY knowable, id LIMIT 1
            """, arguments: SQLArguments([lower, upper]) + SQLArguments(populations) + SQLArguments(propositions)) else { return }
        _ = try claim(row)
    }

    /// Fails naming the first relevant sentence knowable in [lower, upper] whose speaker type this version does not know.
    func rejectUnknownSpeakerTypes(from lower: Double, to upper: Double, db: any SQLSession) throws {
        let words = SpeakerType.allCases
        guard let row = try SQLRow.fetchOne(db, sql: """
            SELECT document_id, position, speaker_type FROM sentence
            WHERE relevant = 1 AND topic = '\(SentenceDayMoments.beliefTopic)' AND knowable >= ? AND knowable <= ? AND speaker_type NOT IN (\(sqlQuestionMarks(count: words.count)))
            ORDER BY knowable, document_id, position LIMIT 1
            """, arguments: SQLArguments([lower, upper]) + SQLArguments(words)) else { return }
        _ = try speakerType(row)
    }

    /// Every stored source kind and publisher type (of active sources), survey population and metric, and speaker type
    /// this version does not know, by column and value; empty when every stored word is known (for `doctor`).
    public func unknownStoredWords() throws(StoreError) -> [UnknownStoredWord] {
        try read { db in
            var found: [UnknownStoredWord] = []
            for entry in Self.wordColumns {
                let rows = try SQLRow.fetchAll(db, sql: """
                    SELECT \(entry.column) AS word, COUNT(*) AS n FROM \(entry.table)
                    WHERE \(entry.rows) AND \(entry.column) NOT IN (\(sqlQuestionMarks(count: entry.known.count))) GROUP BY \(entry.column) ORDER BY \(entry.column)
                    """, arguments: SQLArguments(entry.known))
                found += rows.map { row in
                    UnknownStoredWord(column: "\(entry.table).\(entry.column)", value: row["word"], rows: row["n"], consequence: entry.consequence)
                }
            }
            return found
        }
    }
}
