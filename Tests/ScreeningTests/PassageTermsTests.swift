import AssayCore
import Foundation
import Testing
@testable import Screening

/// What a citation's judgment reads again of its article: the related terms of its passage (taken
/// from those its paragraph's scan found) and whether several entries are one work (told from their
/// titles' keys before folding the titles).
@Suite struct PassageTermsTests {
    /// The judgment of the one citation of `words` (text around `[cite]`) with at most `maxContext`
    /// words on each side counting as its passage.
    func judgment(_ before: String, _ after: String, maxContext: Int) throws -> TopicJudgment {
        var options = try #require(try Fixtures.stage.topic)
        options.maxContextWords = maxContext
        var h = HandDocument()
        h.title("Courts and the State")
        h.paragraph([.text(before + " ("), .cite("Ahmed, 2019", 0), .text(")" + after)])
        h.paragraph([.text("Budgets were cut.")])
        h.paragraph([.text("Elections were held.")])
        h.reference("Ahmed, A., 2019. The missing persons of the valley.", family: "Ahmed", year: "2019",
                    title: "Searching for the missing persons of the valley")
        return try #require(try TopicScreen(vocabulary: Fixtures.stage.vocabulary, options: options)
            .judge(h.document()).judgments.first)
    }

    /// A two-word related term (`secret detention` ~ `missing persons`) is in the passage only when
    /// both its words are: cut by the edge of the words counted, before or after the citation, it
    /// is not (`detention` on its own is a term of its own, not related to `missing persons`).
    @Test func aTermCutByThePassageEdgeIsNotInIt() throws {
        let before = "Families report secret detention of relatives"
        #expect(try judgment(before, ".", maxContext: 4).related.first?.hasPrefix("missing persons ~ secret detention") == true)
        #expect(try judgment(before, ".", maxContext: 3).related.isEmpty)
        #expect(try judgment(before, ".", maxContext: 3).passage == 0)
        let after = " was followed by secret detention."
        #expect(try judgment("Families report", after, maxContext: 5).related.first?.hasPrefix("missing persons ~ secret detention") == true)
        #expect(try judgment("Families report", after, maxContext: 4).related.isEmpty)
        #expect(try judgment("Families report", after, maxContext: 4).passage == 0)
    }

    /// A citation naming two entries is judged exactly when their titles give the same words
    /// (`Words.words(of:)`): titles differing in case, punctuation or diacritics are one work; a
    /// one-letter word (no key of its own), another word or another order makes two.
    @Test func entriesAreOneWorkWhenTheirTitlesGiveTheSameWords() throws {
        let base = "The refugee in international law"
        let others = ["The refugee in international law", "the Refugee, in International law.", "THE REFUGEE IN INTERNATIONAL LAW",
                      "A refugee in international law", "The refugee in international law a", "The refugees in international law",
                      "The refugee in law international", "The réfugee in international law", "The refugee in international",
                      "Refugee in international law", "The refugee-in international law",
                      "The refugee's in international law", "The refugees in international law's",
                      "The refugee in international law 1951", "The refugee in international law, 2nd ed.",
                      "The refugee in 1951 international law", "The refugee in international law (2)",
                      "The refugee\u{2019}s in international law", "The  refugee  in international   law"]
        let screen = TopicScreen(vocabulary: try Fixtures.stage.vocabulary, options: try #require(try Fixtures.stage.topic))
        for other in others {
            var d = TopicMismatchHandMadeTests().makeDocument()
            d.references[0].title = base
            d.references[1].title = other
            d.citations[0].references = [0, 1]
            let judged = screen.judge(d).judgments.contains { $0.citation == 0 }
            #expect(judged == (Words.words(of: base) == Words.words(of: other)), "\(other)")
        }
    }

    /// The words of a text are kept in 16 bytes each.
    @Test func aWordTokenTakes16Bytes() {
        #expect(MemoryLayout<WordToken>.stride == 16)
        let t = WordToken(start: Int(UInt32.max) - 1, end: Int(UInt32.max), id: Int(Int32.max), flags: 0xF, wordCase: -1)
        #expect(t.start == Int(UInt32.max) - 1 && t.end == Int(UInt32.max) && t.id == Int(Int32.max) && t.wordCase == -1)
    }
}
