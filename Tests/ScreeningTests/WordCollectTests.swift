import AssayCore
import Foundation
import Testing
@testable import Screening

/// `DocWords.collect`, the scan of the article's text (runs of letters from `assay_letter_runs`,
/// scalars one by one in a run with bytes from 0x80), against `Words.scan`, the plain byte-by-byte one.
@Suite struct WordCollectTests {
    /// Random text of ASCII letters, white space, punctuation and two-byte and three-byte
    /// characters (letters and not), in runs that make words of every length around eight.
    static func randomText(_ count: Int, using rng: inout some RandomNumberGenerator) -> [UInt8] {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("Z".utf8), Array("q".utf8), Array("E".utf8), [0x20], [0x20], [0x0A], [0x2E], [0x2D],
            [0x27], [0x31], [0x7B], [0x40], [0x60], [0x5B],
            Array("é".utf8), Array("Ö".utf8), Array("–".utf8), Array("’".utf8), Array("ş".utf8),
        ]
        var out: [UInt8] = []
        while out.count < count {
            let piece = pieces.randomElement(using: &rng)!
            // letters mostly come in runs, so words are often seven to nine letters long
            let repeats = piece[0] < 0x80 && Words.isASCIILetter(piece[0]) ? Int.random(in: 1...9, using: &rng) : 1
            for _ in 0..<repeats { out += piece }
        }
        return out
    }

    /// The words of `bytes[from..<to]` that fold to two letters or more, as `Words.scan` finds them.
    static func expectedWords(_ bytes: [UInt8], _ from: Int, _ to: Int) -> [(start: Int, end: Int, folded: [UInt8])] {
        var out: [(start: Int, end: Int, folded: [UInt8])] = []
        Words.scan(bytes, from..<to) { s, e, folded in
            if folded.count >= 2 { out.append((s, e, folded)) }
        }
        return out
    }

    @Test func collectFindsTheWordsTheByteScanFinds() throws {
        var words = DocWords(try Fixtures.stage.vocabulary)
        words.begin()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            // (up to three 64-byte blocks of the run scan, and more runs than it gives a call)
            let bytes = Self.randomText(Int.random(in: 1...160, using: &rng), using: &rng)
            // every span end (mid-word, eight bytes before the end, at the end) and a few starts
            for to in 0...bytes.count {
                for from in [0, min(to, 1), to / 2] where from <= to {
                    var tokens: [WordToken] = []
                    var m = 0
                    bytes.withUnsafeBufferPointer { t in
                        words.collect(t, from, to, masks: UnsafeBufferPointer(start: nil, count: 0), m: &m, into: &tokens)
                    }
                    let expected = Self.expectedWords(bytes, from, to)
                    #expect(tokens.map(\.start) == expected.map(\.start), "\(bytes) [\(from), \(to))")
                    #expect(tokens.map(\.end) == expected.map(\.end), "\(bytes) [\(from), \(to))")
                    // one id per key (the stem of the folded word or of its variant)
                    guard from == 0, to == bytes.count, tokens.count == expected.count else { continue }
                    let keys = expected.map { words.vocabulary.keyBytes($0.folded) }
                    for a in tokens.indices {
                        for b in tokens.indices {
                            #expect((tokens[a].id == tokens[b].id) == (keys[a] == keys[b]), "\(keys[a]) and \(keys[b])")
                        }
                    }
                }
            }
        }
    }

    /// Words overlapping a mask (sorted spans, which may overlap one another) are left out, the
    /// others kept: what checking each word against every mask gives.
    @Test func collectLeavesOutTheMaskedWords() throws {
        var words = DocWords(try Fixtures.stage.vocabulary)
        words.begin()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let bytes = Self.randomText(Int.random(in: 1...120, using: &rng), using: &rng)
            var masks: [Span] = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                let a = Int.random(in: 0...bytes.count, using: &rng)
                return Span(a, min(bytes.count, a + Int.random(in: 0...30, using: &rng)))
            }
            masks.sort()
            let from = Int.random(in: 0...bytes.count, using: &rng)
            var tokens: [WordToken] = []
            var m = 0
            bytes.withUnsafeBufferPointer { t in
                masks.withUnsafeBufferPointer { masks in
                    words.collect(t, from, bytes.count, masks: masks, m: &m, into: &tokens)
                }
            }
            let expected = Self.expectedWords(bytes, from, bytes.count).filter { w in
                !masks.contains { $0.start < w.end && w.start < $0.end }
            }
            #expect(tokens.map(\.start) == expected.map(\.start), "\(bytes) \(masks) from \(from)")
            #expect(tokens.map(\.end) == expected.map(\.end), "\(bytes) \(masks) from \(from)")
        }
    }
}
