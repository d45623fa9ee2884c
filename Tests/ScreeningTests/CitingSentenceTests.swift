import AssayCore
import Foundation
import Testing
@testable import Screening

/// The words a finding says a work is cited for (`citedFor`) come from the citing sentence only,
/// within `maxContextWords` of the citation on each side (`Article.judge` takes them as a range of
/// the passage's words): wherever the citation stands in its sentence and its paragraph.
@Suite struct CitingSentenceTests {
    /// Rare made-up words around the citing sentence: picked first (by rarity, then text order)
    /// were any of them taken for the citing sentence's.
    static let before = "Zygomorphic xylophonists quibble."
    static let after = "Ornithopters quillwort vexillology."

    /// The words of `citedFor` of the one judgment of a paragraph made of `parts` (the citation
    /// written as `(Smith, 2019)`), under `options`.
    func citedWords(_ parts: [HandDocument.Part], _ change: (inout TopicOptions) -> Void = { _ in }) throws -> Set<String> {
        var h = HandDocument()
        h.title("Water Policy in Dry Regions")
        h.paragraph(parts)
        h.reference("Smith, A., 2019. Groundwater Depletion and Crop Yields. Agricultural Water Management.",
                    family: "Smith", year: "2019", title: "Groundwater Depletion and Crop Yields",
                    container: "Agricultural Water Management")
        var options = try #require(try Fixtures.stage.topic)
        change(&options)
        let j = try #require(try TopicScreen(vocabulary: Fixtures.stage.vocabulary, options: options).judge(h.document())
            .judgments.first)
        let words = j.citedFor.flatMap { $0.split(separator: " ").map { $0.lowercased() } }
        return Set(words)
    }

    static let citing = Set(["results", "study", "reported", "main", "text", "data", "made", "public"])

    @Test func inTheMiddleOfItsSentence() throws {
        let w = try citedWords([.text("\(Self.before) The results of the study were reported in the main text ("),
                                .cite("Smith, 2019", 0), .text(") and the data were made public. \(Self.after)")])
        #expect(!w.isEmpty && w.isSubset(of: Self.citing), "\(w)")
    }

    @Test func cutByTheWordLimit() throws {
        // two words on each side: `main text` before, `and the` (stop words) after
        let parts: [HandDocument.Part] = [.text("\(Self.before) The results of the study were reported in the main text ("),
                                          .cite("Smith, 2019", 0), .text(") and the data were made public. \(Self.after)")]
        let w = try citedWords(parts) { $0.maxContextWords = 2 }
        #expect(!w.isEmpty && w.isSubset(of: ["main", "text"]), "\(w)")
        // one word each side
        #expect(try citedWords(parts) { $0.maxContextWords = 1 } == ["text"])
    }

    @Test func atTheStartOfItsSentence() throws {
        let w = try citedWords([.text("\(Self.before) ("), .cite("Smith, 2019", 0),
                                .text(") reported the results of the study in the main text. \(Self.after)")])
        #expect(!w.isEmpty && w.isSubset(of: Self.citing), "\(w)")
        // and with no neighbouring sentence in the passage
        let alone = try citedWords([.text("\(Self.before) ("), .cite("Smith, 2019", 0),
                                    .text(") reported the results of the study in the main text. \(Self.after)")]) {
            $0.contextSentences = 0
        }
        #expect(alone == w)
    }

    @Test func atTheEndOfItsParagraph() throws {
        let w = try citedWords([.text("\(Self.before) The results of the study were reported in the main text and the data were made public ("),
                                .cite("Smith, 2019", 0), .text(").")])
        #expect(!w.isEmpty && w.isSubset(of: Self.citing), "\(w)")
    }

    @Test func atTheStartOfItsParagraph() throws {
        let w = try citedWords([.text("("), .cite("Smith, 2019", 0),
                                .text(") reported the results of the study in the main text. \(Self.after)")])
        #expect(!w.isEmpty && w.isSubset(of: Self.citing), "\(w)")
    }

    /// A full stop after the longest listed abbreviation (`approx.`, 6 letters) ends no sentence;
    /// after a longer word it does.
    @Test func theLongestAbbreviationEndsNoSentence() throws {
        func cited(_ word: String) throws -> Set<String> {
            try citedWords([.text("Zygomorphic xylophonists quibble \(word). The results of the study were reported in the main text ("),
                            .cite("Smith, 2019", 0), .text(") and the data were made public.")]) { $0.contextSentences = 0 }
        }
        #expect(try Fixtures.stage.vocabulary.abbreviationMaxLength == 6)
        #expect(try cited("approx").contains("zygomorphic"))
        let w = try cited("approxes")
        #expect(!w.isEmpty && w.isSubset(of: Self.citing), "\(w)")
    }

    /// `Vocabulary.abbreviationMaxLength` bounds every abbreviation the set can match, so that text
    /// longer than it is no abbreviation without a lookup.
    @Test func abbreviationsFitTheirLengthBound() throws {
        let v = try Fixtures.stage.vocabulary
        #expect(v.abbreviationMaxLength > 0)
        #expect(v.abbreviations.contains { $0.utf8.count == v.abbreviationMaxLength })
        for a in v.abbreviations where a.utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = Array(a.utf8)
            #expect(bytes.count <= v.abbreviationMaxLength, "\(a)")
            bytes.withUnsafeBufferPointer { #expect(v.abbreviationSet.contains(ascii: $0, 0, bytes.count), "\(a)") }
        }
        // computed from the list as loaded (final full stops dropped, lower case)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scr-abbr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("abbreviations.txt")
        try "e.g. Approx. al.\n".write(to: file, atomically: true, encoding: .utf8)
        let w = try Vocabulary.load(stopWords: nil, variants: nil, abbreviations: file, background: nil, fields: nil, related: nil)
        #expect(w.abbreviationMaxLength == 6)
    }
}
