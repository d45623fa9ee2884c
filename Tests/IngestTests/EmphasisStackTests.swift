import AssayCore
import Testing

@testable import Ingest

/// Emphasis delimiters open in one line do not carry over to the next (one without a closer is
/// text), and those open around a link do not close inside its text (the writer keeps one stack
/// for the document, each line and each link text working on its own part of it).
@Suite struct EmphasisStackTests {
    @Test func aDelimiterInsideLinkTextDoesNotCloseOneOutsideIt() throws {
        let d = try ingest("# T\n\n*one [two* three](http://x.org) four* and **five [six **seven**](http://y.org) eight**\n", source: "t.md")
        #expect(blockTexts(d).last == "one two* three four and five six seven eight")
        #expect(d.emphasis.first.map { d.string($0) } == "one two* three four")
    }

    @Test func delimitersLeftOpenEndWithTheirLine() throws {
        let d = try ingest("# T\n\n*open and [link *inner](http://x.org) text\n\n_second_ line *closed*\n", source: "t.md")
        #expect(blockTexts(d).suffix(2) == ["*open and link *inner text", "second line closed"])
        #expect(d.emphasis.map { d.string($0) } == ["second", "closed"])
    }
}
