import Testing

@testable import Ingest

/// Ingest stays linear on pathological documents. Its scans move forward a byte at a time; what could
/// grow faster is the reading ahead of the helpers that look for a closing mark (links, tags,
/// emphasis, open parentheses, standalone headings, hyphenated compounds), so that is counted, at
/// size n and 4n: the work, not the time.
@Suite struct LinearCostTests {
    static let documents: [(name: String, make: @Sendable (Int) -> String)] = [
        ("a paragraph with no full stop", { n in String(repeating: "word ", count: n) }),
        ("opening parentheses", { n in String(repeating: "(", count: n) }),
        ("et al.", { n in String(repeating: "et al. ", count: n) }),
        ("references", { n in
            "REFERENCES\n\n" + (0..<n).map { "Author, A. (20\($0 % 100)). Title \($0). Journal, 1(2), 3-4." }.joined(separator: "\n")
        }),
        ("page breaks inside citations", { n in String(repeating: "as argued (Smith\n\nand others\n\n", count: n) }),
        ("hard-wrapped hyphens", { n in String(repeating: "a line that ends with a hyphen-\nated word and goes on\n", count: n) }),
        ("short lines alone", { n in String(repeating: "Short Line Between Blanks\n\n", count: n) }),
        ("emphasis that never closes", { n in String(repeating: "*a _b **c ", count: n) }),
        ("tags and links that never close", { n in String(repeating: "<b x <http://a ` [a](b ", count: n) }),
        ("brackets that never close", { n in String(repeating: "[", count: n) }),
        ("nested brackets", { n in String(repeating: "[", count: n) + String(repeating: "]", count: n) + "(x)" }),
    ]

    /// Bytes read ahead while normalizing `text`, in plain or Markdown mode.
    func lookahead(_ text: String, markdown: Bool) -> Int {
        var work = 0
        _ = PlainTextNormalizer.normalize(Array(text.utf8), markdown: markdown, lookahead: &work)
        return work
    }

    @Test(arguments: 0..<documents.count, [false, true])
    func readingAheadGrowsAsTheInput(_ index: Int, markdown: Bool) {
        let (name, make) = Self.documents[index]
        let n = 5_000
        let small = make(n), large = make(4 * n)
        let w1 = lookahead(small, markdown: markdown)
        let w4 = lookahead(large, markdown: markdown)
        // Four times the input, about four times the work (and never more than a few bytes per byte).
        #expect(w4 <= 4 * w1 + 1_000, "\(name): \(w1) -> \(w4)")
        #expect(w4 <= 8 * large.utf8.count, "\(name): \(w4) for \(large.utf8.count) bytes")
    }
}
