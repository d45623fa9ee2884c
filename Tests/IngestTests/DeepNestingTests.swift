import Testing

@testable import Ingest

/// Nesting costs a nested call per level in a few places; a document nested deeper than any real
/// one must ingest, not overflow the stack and take the whole batch down.
@Suite struct DeepNestingTests {
    static func nestedLinks(_ depth: Int) -> String {
        "# Title\n\n" + String(repeating: "[", count: depth) + "x" + String(repeating: "](u)", count: depth) + "\n"
    }

    @Test func nestedLinksKeepTheirInnermostText() throws {
        let d = try ingest(Self.nestedLinks(3), source: "t.md")
        #expect(blockTexts(d).last == "x")
    }

    @Test func linksNestedBeyondTheLimitAreWrittenAsText() throws {
        let depth = PlainTextNormalizer.maxLinkDepth + 5
        let d = try ingest(Self.nestedLinks(depth), source: "t.md")
        let text = try #require(blockTexts(d).last)
        #expect(text.hasPrefix(String(repeating: "[", count: 5) + "x"))
        #expect(text.contains("](u)"))
    }

    @Test func twoHundredThousandNestedLinksIngest() throws {
        let d = try ingest(Self.nestedLinks(200_000), source: "t.md")
        #expect(blockTexts(d).last?.contains("x") == true)
    }
}
