import AssayCore
import Foundation
import Testing
@testable import Screening

/// The lookups `Vocabulary.index` builds from the shipped lists, and the byte-level splitting the
/// list readers use, against what they stand for.
@Suite struct VocabularyIndexTests {
    @Test func partsSplitAsStringSplitDoes() {
        let texts = ["a b,c", "  a,, b  ", "[law, court]", "", " , ", "é,ü ö", "a ,\u{301}b", "x\u{301} y", "a,\u{300}"]
        for t in texts {
            let expected = t.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            #expect(Vocabulary.parts(t, at: { $0 == 0x20 || $0 == 0x2C }) == expected, "\(t.debugDescription)")
        }
        for t in ["form\tword", "\ta\t\tb\t", "ü\tß", "human_rights", "_x__y_"] {
            #expect(Vocabulary.parts(t, at: { $0 == 0x09 }) == t.split(separator: "\t").map(String.init))
            #expect(Vocabulary.parts(t, at: { $0 == 0x5F }) == t.split(separator: "_").map(String.init))
        }
    }

    @Test func keyOfAWordIsTheKeysOfItsFoldedWords() throws {
        let v = try Fixtures.stage.vocabulary
        for w in ["Law", "courts", "WOMEN", "rights", "a", "Tomaševski", "COVID-19", "state-of-the-art", "x1y", ""] {
            let expected = Words.words(of: w).map { v.key(Array($0.utf8)) }.joined(separator: " ")
            #expect(v.key(w) == expected, "\(w)")
        }
    }

    @Test func shippedListsIndexAsTheyRead() throws {
        let v = try Fixtures.stage.vocabulary
        #expect(v.packable)
        #expect(v.pairFieldTerms.isEmpty && v.relatedSequences.isEmpty)
        func ids(_ term: String) throws -> [Int] {
            try term.split(separator: " ").map { Int(try #require(v.stems.find(Array($0.utf8)))) }
        }
        // every stem's rarity is its background frequency's
        #expect(v.stemInfo.count == v.stemDF.count)
        for (id, info) in v.stemInfo.enumerated() {
            #expect(info.rarity == v.rarity(df: v.stemDF[id]))
        }
        // every field term leads to its fields
        var pairs = 0
        for (term, fields) in v.fieldTerms {
            let p = try ids(term)
            if p.count == 1 {
                #expect(v.fieldTermFields[Int(v.stemInfo[p[0]].fieldTerm)] == fields, "\(term)")
            } else {
                pairs += 1
                let index = try #require(v.pairFieldTerm(p[0], p[1]), "\(term)")
                #expect(v.fieldTermFields[Int(index)] == fields, "\(term)")
                #expect(v.stemInfo[p[0]].flags & Vocabulary.bigramHeadFlag != 0)
            }
        }
        #expect(pairs > 10)
        // every related term leads to its index
        for (term, index) in v.relatedTerms {
            let p = try ids(term) + [-1, -1]
            #expect(v.relatedSequence(p[0], p[1], p[2]) == index, "\(term)")
            #expect(v.stemInfo[p[0]].flags & Vocabulary.relatedFirstFlag != 0)
        }
        // stop words are flagged
        for s in v.stop {
            #expect(v.stemInfo[try ids(s)[0]].flags & Vocabulary.stopFlag != 0, "\(s)")
        }
    }
}
