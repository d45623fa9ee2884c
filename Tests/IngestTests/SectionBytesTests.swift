import AssayCore
import Foundation
import Testing

@testable import Ingest

/// `SectionDetector` answers on a block's bytes what it used to answer on a String of it (word
/// counts, title shapes, front-matter cues, labels): the answers must stay those of the strings.
@Suite struct SectionBytesTests {
    /// Spaces next to marks and non-ASCII letters, trailing full stops and ellipses, marks on the
    /// last full stop, a prepended Arabic number sign, and plain ASCII.
    static let texts: [String] = [
        "One", "One two", "One two three", "One  two\tthree four", " lead and trail ", "a", "ab.", "abc.", "abc...",
        "ab..", "An ending.", "An ending...", "An ending\u{0301}.", "An ending.\u{0301}", "An ending\u{0600}.",
        "é ü two", "word \u{0301}mark and more", "word\u{0301} x y", "中文 字 三 四", "“Quoted” title …", "Ends in é.",
        "x\u{0600}...", "....", String(repeating: "long ", count: 70),
    ]

    @Test func wordCountsOnBytesAnswerAsOnStrings() {
        for s in Self.texts {
            let text = Array(s.utf8)
            let span = Span(0, text.count)
            let onString = SectionDetector.splitWordCount(s)
            #expect(SectionDetector.wordCount(s) == onString, "\(s)")
            for limit in 1...4 {
                #expect(SectionDetector.wordCount(text, span, upTo: limit) == min(onString, limit), "\(s) \(limit)")
            }
        }
    }

    @Test func titleShapesOnBytesAnswerAsOnStrings() {
        for s in Self.texts {
            let text = Array(("pad. " + s).utf8)
            let span = Span(5, text.count)
            #expect(SectionDetector.looksLikeTitle(text, span) == SectionDetector.looksLikeTitle(s), "\(s)")
        }
    }

    /// Front matter with cues next to ASCII and to non-ASCII bytes: the byte search answers as
    /// Foundation's search does on the lower-cased string.
    @Test func frontMatterCuesOnBytesAnswerAsOnStrings() {
        let shapes = [
            "Département de Physique, Université Paris", "José García, University of Madrid", "Zoë Smith\u{0301}@example.org",
            "Über den Autor", "Prof. Müller, Institute\u{0301} of Something", "Naïve text without cues", "ÉCOLE — Faculty of Arts",
            "Dr.́ Ángel", "drés ángel", "Ärzte, PhD", "Ph.D\u{0301} Ö", "Öorcid", "orcid\u{0301}",
        ]
        for s in shapes {
            let lower = s.lowercased()
            let expected = SectionDetector.frontMatterCues.contains { lower.contains($0) }
            #expect(SectionDetector.looksLikeFrontMatter(s) == expected, "\(s)")
        }
    }

    @Test func labelsFilteredByTheirFirstByteAnswerAsOnStrings() {
        for s in ["Methods: x", "keywords: a", "Index terms—b", "1. Keywords", "\u{212A}eywords: kelvin", "", "Summary of it", "zebra"] {
            let text = Array(s.utf8)
            let block = Block(kind: .paragraph, span: Span(0, text.count))
            for labels in [SectionDetector.keywordLabels, SectionDetector.abstractLabels] {
                let onString = SectionDetector.startsWithLabel(String(decoding: text.prefix(32), as: UTF8.self), labels.map { "\($0)" })
                #expect(SectionDetector.startsWithLabel(text, block, labels) == onString, "\(s)")
            }
        }
    }

    /// A document's first block is the whole text here: whether it is a title is known from its start
    /// and end, and the title found is the second block's.
    @Test func aLongFirstBlockIsNotATitle() throws {
        let body = String(repeating: "These are words that go on and on without a stop ", count: 2000) + "end."
        let doc = try ingestDocument(source: "long.txt", bytes: Array("Category\n\nThe Real Title Here\n\nA paragraph.\n\n\(body)".utf8))
        #expect(doc.title == "The Real Title Here")
        let single = try ingestDocument(source: "one.txt", bytes: Array(body.utf8))
        #expect(single.title == nil)
    }
}
