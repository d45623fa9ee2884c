import AssayCore
import Testing
@testable import Citations

/// The found citations kept in place, and linking through the first author's later words.
struct FoundCitationsTests {
    /// `CitationsStage.keep` as a plain copy: each kept citation appended in `kept`'s order, one
    /// that starts before the last kept one ends left out.
    static func keptByCopy(_ kept: [Int], _ citations: [Citation], _ starts: [Int]) -> ([Citation], [Int]) {
        var out: [Citation] = []
        var from: [Int] = []
        var lastEnd = Int.min
        for k in kept {
            if !out.isEmpty, starts[k] < lastEnd { continue }
            out.append(citations[k])
            from.append(k)
            lastEnd = citations[k].span.end
        }
        return (out, from)
    }

    /// Kept in place (an increasing `kept`) or copied (any other order), the citations kept and
    /// where each came from are those of a plain copy: none kept, all, every other one, with
    /// overlaps to drop at the front, the middle and the end, and out of order.
    @Test func keepingInPlaceMatchesACopy() {
        // spans: some overlap the one before (a narrative reading over a parenthetical one)
        let spans = [(0, 10), (5, 12), (12, 20), (21, 30), (25, 28), (31, 40), (35, 45), (50, 60), (55, 70), (70, 80)]
        let citations = spans.enumerated().map { i, s in
            Citation(span: Span(s.0, s.1), style: i % 2 == 0 ? .parenthetical : .narrative, authors: ["Name\(i)", "Other"],
                     etAl: i % 3 == 0, year: "\(2000 + i)", yearSuffix: i % 4 == 0 ? "a" : nil, references: Array(0..<i),
                     defects: i % 5 == 0 ? ["defect \(i)"] : [])
        }
        let starts = citations.map(\.span.start)
        var lists: [[Int]] = [[], [0], [9], Array(0..<10), [0, 2, 4, 6, 8], [1, 3, 5, 7, 9], [0, 1, 5, 6, 8, 9]]
        // every subset of the first six, in order
        for mask in 0..<64 { lists.append((0..<6).filter { mask & (1 << $0) != 0 }) }
        // out of order (copied): ties and reversals of `kept` as a sort by start could leave them
        lists += [[1, 0], [3, 2, 4], [9, 8, 7], [0, 2, 1, 3], [5, 4, 6, 9, 7]]
        for kept in lists {
            var inPlace = citations
            let from = CitationsStage.keep(kept, of: &inPlace, starts: starts)
            let (copied, copiedFrom) = Self.keptByCopy(kept, citations, starts)
            #expect(inPlace == copied, "\(kept)")
            #expect(from == copiedFrom, "\(kept)")
        }
    }

    /// `take` moves an array out and leaves an empty one.
    @Test func takeLeavesAnEmptyArray() {
        var a = ["x", "y"]
        let b = take(&a)
        #expect(b == ["x", "y"] && a.isEmpty)
    }

    /// A first author's leading words dropped to find the entry, at the exact step (with a second
    /// author, and two words dropped) and at the later ones (another year): the citation keeps the
    /// name it linked by and starts where it does.
    @Test func leadingWordsOfTheFirstAuthorDropped() throws {
        let d = try TestDocs.run(TestDocs.make("""
        One (Wiley Smith & Jones, 2017). Two (Grand Old Barnett, 2020). Three (Professor Jones, 2021).

        References

        - Barnett, J., 2020. Global change. *Progress in Human Geography*, 44(6), pp.1172-1184.
        - Smith, J. and Jones, K., 2017. Joint work. *Journal C*, 3, pp.5-6.
        - Jones, K., 2020. Solo work. *Journal E*, 5, p.9.
        """))
        #expect(TestDocs.texts(d) == ["Smith & Jones, 2017", "Barnett, 2020", "Jones, 2021"])
        #expect(d.citations.map(\.authors) == [["Smith", "Jones"], ["Barnett"], ["Jones"]])
        #expect(d.citations.map(\.references) == [[1], [0], [2]])
        #expect(d.findings.filter { $0.kind == .yearMismatch }.map(\.citations) == [[2]])
    }
}
