import AssayCore
import Testing
@testable import Screening

/// `DocWords.counted` (the branch-free listing of the words `count` looks at) against the plain
/// test it replaces, and the title bit of `DocWords.Counts` against `start`.
@Suite struct CountedWordsTests {
    @Test func countedListsTheWordsThatAreNoBareStopWords() {
        // every combination of the four flags (and bits no flag uses), in runs of every length from 0 to 3
        let skips: [UInt8] = [Vocabulary.stopFlag,
                              Vocabulary.stopFlag | Vocabulary.relatedFirstFlag,
                              Vocabulary.stopFlag | Vocabulary.relatedFirstFlag | Vocabulary.bigramHeadFlag | DocWords.singleFieldFlag]
        var flags: [UInt8] = []
        for f in UInt8(0)...0xFF { for _ in 0..<(Int(f) % 4) { flags.append(f) } }
        flags += [UInt8](repeating: Vocabulary.stopFlag, count: 5) + [0] + [UInt8](repeating: Vocabulary.stopFlag, count: 3)
        for skip in skips {
            for n in [0, 1, 2, 3, 7, flags.count] {
                let toks = flags.prefix(n).enumerated().map { WordToken(start: $0.offset, end: $0.offset + 1, id: $0.offset, flags: $0.element, wordCase: 0) }
                var at = [Int32](repeating: -1, count: n)
                let m = toks.withUnsafeBufferPointer { toks in
                    at.withUnsafeMutableBufferPointer { DocWords.counted(toks, skip: skip, into: $0) }
                }
                let expected = toks.indices.filter { toks[$0].flags & skip != Vocabulary.stopFlag }.map { Int32($0) }
                #expect(m == expected.count)
                #expect(Array(at.prefix(m)) == expected)
            }
        }
    }

    @Test func startKeepsTheTitleBitOfTheDocumentOnly() {
        var c = DocWords.Counts(doc: 7)
        c.doc |= DocWords.Counts.titleBit
        c.blockCount = 2
        c.capitals = 1
        DocWords.start(&c, doc: 7)  // the same document: counts and title bit kept
        #expect(c.doc == 7 | DocWords.Counts.titleBit && c.blockCount == 2 && c.capitals == 1)
        DocWords.start(&c, doc: 8)  // another one: all reset
        #expect(c.doc == 8 && c.blockCount == 0 && c.capitals == 0 && c.lastBlock == 0)
    }
}
