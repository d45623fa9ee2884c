import AssayCore
import Foundation
import Testing
@testable import Screening

/// `corpus/samples/hard-wrapped.txt`: a note on enforced disappearances and the courts in
/// Balochistan. Its first reference, "Ahmed, S. (2019). Habeas corpus and the missing persons of
/// Balochistan. Journal of Law and Society", is squarely on topic (missing persons are the
/// disappeared, habeas corpus is the petitions to the high courts, the journal is a law journal)
/// and was once flagged twice: its title shares the place name 'Balochistan' with the article's
/// title (taken for keyword stuffing) and no word with the passages.
@Suite struct HardWrappedSampleTests {
    static let source = "corpus/samples/hard-wrapped.txt"

    func judgments(_ d: Document) throws -> [TopicJudgment] {
        try TopicScreen(vocabulary: Fixtures.stage.vocabulary, options: Fixtures.stage.topic!).judge(d).judgments
    }

    func family(_ d: Document, _ f: Finding) -> [String] {
        f.references.map { d.references[$0].authors.first?.family ?? "?" }
    }

    @Test func onTopicReferencesAreNotFlagged() throws {
        let d = try Fixtures.ingested(Fixtures.sampleText("hard-wrapped.txt"), source: Self.source)
        #expect(d.references.count == 3)
        let screened = try Fixtures.screened(d)
        let topic = screened.findings.filter { $0.kind == .topicMismatch }
        #expect(topic.isEmpty, "\(topic.map(\.message))")

        // Ahmed is judged at both citations, without a stuffing penalty, and related to each passage
        let ahmed = try judgments(d).filter { d.references[$0.references[0]].authors.first?.family == "Ahmed" }
        #expect(ahmed.count == 2)
        for j in ahmed {
            #expect(j.stuffing.isEmpty)
            #expect(j.field == 1)
            #expect(j.passage > 0, "no relation found to the passage")
            #expect(j.score >= 0.5)
        }
        #expect(ahmed.contains { $0.related.contains { $0.hasPrefix("missing persons ~") } })
        #expect(ahmed.contains { $0.related.contains { $0.hasPrefix("Habeas corpus ~") } })
    }

    /// The reference cited for the courts' reluctance to test preventive detention replaced by a
    /// paper on crop fields in satellite images: that citation, and only it, is flagged.
    @Test func offTopicCitationInTheSameArticleIsFlagged() throws {
        var text = try Fixtures.sampleText("hard-wrapped.txt")
        let cite = "reluctant to test them (Ahmed, 2019)."
        #expect(text.contains(cite))
        text = text.replacingOccurrences(of: cite, with: "reluctant to test them (Liu, 2022).")
        text += """
        Liu, Y. (2022). Deep learning for semantic segmentation of crop fields in
            satellite images. Remote Sensing of Environment, 270, 112-130.

        """
        let d = try Fixtures.ingested(text, source: Self.source)
        #expect(d.references.count == 4)
        let screened = try Fixtures.screened(d)
        let topic = screened.findings.filter { $0.kind == .topicMismatch }
        #expect(topic.count == 1, "\(topic.map(\.message))")
        let f = try #require(topic.first)
        #expect(family(d, f) == ["Liu"])
        let citation = d.citations[f.citations[0]]
        #expect(d.string(citation.span).contains("Liu"))
        #expect(f.message.contains("semantic segmentation"))
        #expect(!f.message.contains("with this article's own title"))
    }

    /// The Ahmed entry itself replaced by a paper on crop yields: both of its citations are
    /// flagged, nothing else.
    @Test func offTopicReferenceInTheSameArticleIsFlagged() throws {
        var text = try Fixtures.sampleText("hard-wrapped.txt")
        let entry = """
        Ahmed, S. (2019). Habeas corpus and the missing persons of Balochistan.
            Journal of Law and Society, 50(2), 145-167.
        """
        #expect(text.contains(entry))
        text = text.replacingOccurrences(of: entry, with: """
        Ahmed, S. (2019). Predicting wheat crop yields from satellite imagery with
            machine learning. Field Crops Research, 235, 12-25.
        """)
        let d = try Fixtures.ingested(text, source: Self.source)
        let screened = try Fixtures.screened(d)
        let topic = screened.findings.filter { $0.kind == .topicMismatch }
        #expect(topic.count == 2, "\(topic.map(\.message))")
        #expect(topic.allSatisfy { family(d, $0) == ["Ahmed"] })
        #expect(Set(topic.map { $0.citations[0] }).count == 2)
        #expect(topic.allSatisfy { $0.message.contains("wheat crop yields") })
    }
}
