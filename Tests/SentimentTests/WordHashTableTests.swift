import Testing
@testable import Sentiment

@Suite("Word-hash table")
struct WordHashTableTests {
    @Test("every stored word hash finds its value, absent hashes and the tokenizer's 0 find nothing, even when slots collide")
    func lookups() {
        // 1,000 words in a 2,048-slot table: runs of neighbouring slots, so probing past occupied slots is exercised.
        let words = (0..<1_000).map { "word\($0)" }
        let entries = Dictionary(uniqueKeysWithValues: words.enumerated().map { (Tokenizer.hash($1), $0) })
        let table = WordHashTable(entries, filler: -1)
        #expect(words.enumerated().allSatisfy { table[Tokenizer.hash($1)] == $0 })
        #expect((1_000..<3_000).allSatisfy { table[Tokenizer.hash("word\($0)")] == nil })
        #expect(table[0] == nil)
        #expect(WordHashTable([UInt64: Int](), filler: 0)[Tokenizer.hash("said")] == nil)
    }

    @Test("the reader's roles come from the table: reporting verbs, concessions and plain words")
    func roles() {
        #expect(OpinionReader.roleTable[Tokenizer.hash("said")]?.contains(.reporting) == true)
        #expect(OpinionReader.roleTable[Tokenizer.hash("although")]?.contains(.concession) == true)
        #expect(OpinionReader.roleTable[Tokenizer.hash("that")] == [.subjectEnder, .notName], "in two lists")
        #expect(OpinionReader.roleTable[Tokenizer.hash("bitcoin")] == [.notName])
        #expect(OpinionReader.roleTable[Tokenizer.hash("rally")] == nil)
    }
}
