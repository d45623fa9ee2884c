import AssayCore
import Testing
@testable import Entities

/// The stage's work on pathological single documents grows in proportion to their size: counted
/// (tokens, trie probes, steps of the walks whose length the text decides, mentions), not timed.
/// Each document is analysed at a size N and at 4N.
struct LinearityTests {
    /// Tokens, and the counted steps, of analysing `document`.
    static func work(_ document: Document) -> (tokens: Int, steps: Int) {
        let a = defaultStage.analyze(document)
        return (a.tokens.count, a.trieSteps + a.workSteps + a.mentions.count)
    }

    static func expectLinear(_ name: String, size: Int, _ make: (Int) -> Document) {
        let small = work(make(size)), large = work(make(size * 4))
        #expect(small.tokens > 0)
        #expect(large.tokens >= small.tokens * 4 - 8 && large.tokens <= small.tokens * 4 + 8,
                "\(name): tokens \(small.tokens) -> \(large.tokens)")
        // Roughly 4x: a fixed part (the start, the end) may differ a little.
        #expect(Double(large.steps) <= Double(small.steps) * 4.2 + 16, "\(name): steps \(small.steps) -> \(large.steps)")
    }

    /// Text repeated `count` times, as a document.
    static func repeated(_ unit: String, _ count: Int) -> Document {
        plainDocument(String(repeating: unit, count: count))
    }

    @Test func aLongParagraphWithNoFullStop() {
        // Every clause states a fact about a treaty: each statement looks for its sentence's start.
        let unit = "the Convention on the Rights of the Child was ratified by Pakistan on 12 November 1990 and "
            + "the ICCPR adopted in 1966 entered into force in 1976 while the Anti-Terrorism Act, 1997 was passed and "
        LinearityTests.expectLinear("paragraph", size: 200) { LinearityTests.repeated(unit, $0) }
    }

    @Test func manyOpeningParentheses() {
        LinearityTests.expectLinear("parentheses", size: 20_000) { LinearityTests.repeated("(", $0) }
        LinearityTests.expectLinear("acronym and parentheses", size: 5_000) { LinearityTests.repeated("UNHRC (", $0) }
    }

    @Test func etAlRepeated() {
        LinearityTests.expectLinear("et al.", size: 10_000) { LinearityTests.repeated("et al. ", $0) }
    }

    @Test func aLongLineOfCapitals() {
        LinearityTests.expectLinear("capitals", size: 5_000) { LinearityTests.repeated("ABC XYZ NGOS ", $0) }
    }

    @Test func manyReferences() {
        let entry = "Khan, A. and Usman, M. (2020). The Convention against Torture in Pakistan. Journal of Human Rights, 12(3), 45-67.\n"
        // As a references section (skipped) and as plain text.
        LinearityTests.expectLinear("references section", size: 1_000) { count in
            var d = LinearityTests.repeated(entry, count)
            d.sections = [Section(kind: .references, span: Span(0, d.textBytes.count))]
            return d
        }
        LinearityTests.expectLinear("reference lines", size: 1_000) { LinearityTests.repeated(entry, $0) }
    }

    @Test func manyHeadingsAndUndefinedAcronyms() {
        // A book: thousands of headings, and acronym-shaped words in and between them, each of which
        // asks whether it stands in a heading.
        LinearityTests.expectLinear("headings", size: 500) { count in
            var text = "", headings: [Section] = []
            for k in 0..<count {
                let heading = "Part \(k) of the QXZW report"
                headings.append(Section(kind: .heading, span: Span(text.utf8.count, text.utf8.count + heading.utf8.count)))
                text += heading + "\n\nThe QXZW office and the WZXQ desk met on it.\n\n"
            }
            var d = plainDocument(text)
            d.sections = headings
            return d
        }
    }

    /// Resolving an ambiguous name looks for the candidates' other mentions within 60 tokens by a
    /// binary search; it must answer as the scan of every position did.
    @Test func nearbyPositionsAsTheScanFoundThem() {
        #expect(DocAnalysis.hasPosition([10, 100, 300], near: 40))
        #expect(!DocAnalysis.hasPosition([10, 100, 300], near: 170))
        #expect(DocAnalysis.hasPosition([10, 100, 300], near: 240))
        #expect(!DocAnalysis.hasPosition([10, 100, 300], near: 361))
        #expect(!DocAnalysis.hasPosition([], near: 0))
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let ps = (0..<Int.random(in: 0...12, using: &rng)).map { _ in Int.random(in: 0...600, using: &rng) }.sorted()
            let p = Int.random(in: -100...700, using: &rng)
            #expect(DocAnalysis.hasPosition(ps, near: p) == ps.contains { abs($0 - p) <= 60 }, "\(ps) \(p)")
        }
    }

    @Test func aLongDocument() throws {
        let base = try seed("001")
        let text = base.string(Span(0, base.textBytes.count)) + "\n\n"
        LinearityTests.expectLinear("seed 001 repeated", size: 8) { LinearityTests.repeated(text, $0) }
    }
}
