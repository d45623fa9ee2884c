import AssayCore
import Testing

@testable import Ingest

/// Block labels: `detect` skips making a String of a label too long to be one it looks for, but the
/// end of the references section still matches long headings by their start ("Appendix A: …").
@Suite struct SectionLabelLengthTests {
    @Test func longLabelsComeBackEmptyOnlyWhenAskedTo() {
        let text = Array("## 5. REFERENCES:\n\n3. Appendix A: the questionnaire sent to respondents.".utf8)
        let long = Span(19, text.count)
        #expect(SectionDetector.normalizedLabel(text, Span(3, 17), longest: SectionDetector.longestLabel) == "references")
        #expect(SectionDetector.normalizedLabel(text, long, longest: SectionDetector.longestLabel) == "")
        #expect(SectionDetector.normalizedLabel(text, long) == "appendix a: the questionnaire sent to respondents")
        #expect(SectionDetector.longestLabel == "notes and references".utf8.count)
    }

    @Test func aLongAppendixHeadingEndsTheReferencesPastTheFirstFortyBlocks() throws {
        var source = "Title Of The Paper\n\n"
        for k in 0..<45 { source += "Paragraph \(k) of the body, which says something and ends.\n\n" }
        source += "A Long Heading That Names No Section Of Its Own\n\n"
        source += "REFERENCES\n\nAuthor, A. (2020). A title. A Journal, 1(2), 3-4.\n\n"
        source += "APPENDIX A: THE QUESTIONNAIRE SENT TO RESPONDENTS\n\nQuestion one of the questionnaire.\n"
        let doc = try ingestDocument(source: "labels.txt", bytes: Array(source.utf8))
        let references = try #require(doc.sections.first { $0.kind == .references })
        #expect(references.label == "REFERENCES")
        #expect(doc.string(references.span) == "REFERENCES\n\nAuthor, A. (2020). A title. A Journal, 1(2), 3-4.")
        #expect(doc.sections.contains { $0.kind == .heading && $0.label == "A Long Heading That Names No Section Of Its Own" })
    }
}
