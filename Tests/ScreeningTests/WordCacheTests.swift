import AssayCore
import Testing
@testable import Screening

/// What a thread's screening keeps from one document to the next (`WordCache`: the words learnt, with
/// their keys and counts' tables) changes nothing in the judgments.
@Suite struct WordCacheTests {
    /// Everything a judgment says, as one string to compare.
    static func described(_ r: (judgments: [TopicJudgment], articleFields: [String])) -> [String] {
        r.judgments.map { j in
            "\(j.citation) \(j.references) \(j.score) \(j.passage) \(j.article) \(String(describing: j.field)) "
                + "\(j.stuffing) \(j.workFields) \(j.citedFor) \(j.about) \(j.shared) \(j.related)"
        } + [r.articleFields.joined(separator: ",")]
    }

    /// Long and short documents in turn, and one document twice, through one cache: each is judged
    /// as on its own.
    @Test func documentsInTurnAreJudgedAsAlone() throws {
        let stage = try Fixtures.stage
        let docs = try ["000", "001", "004", "002", "003", "000"].map { try Fixtures.seed($0) }
            + [try Fixtures.article(TopicMismatchArticleTests.article)]
        let cache = WordCache(stage.vocabulary)
        let shared = TopicScreen(vocabulary: stage.vocabulary, options: try #require(stage.topic), caches: cache)
        var judged = 0
        for d in docs {
            let alone = TopicScreen(vocabulary: stage.vocabulary, options: try #require(stage.topic)).judge(d)
            judged += alone.judgments.count
            #expect(Self.described(shared.judge(d)) == Self.described(alone))
        }
        #expect(judged > 20)
    }
}
