import CByteScan
import Testing

@testable import Ingest

/// `assay_first_of` (C, 32 bytes a step with SSE2) finds the first byte of a set as a byte-by-byte
/// search does, at every offset and length; so do `ByteMarks`; the line splitter's `lineEnd`,
/// which asks those, finds the line's end and its first tab where the byte loop it replaced found them.
@Suite struct FirstOfScanTests {
    /// Prose-like pieces, the bytes the callers look for, and bytes near them (controls, high bytes).
    static let pieces: [[UInt8]] = [
        Array("words".utf8), [0x20], [0x0A], [0x0D], [0x09], [0x0B], [0x0C], [0x00], [0x80], [0xFF],
        Array("<".utf8), Array("*".utf8), Array("]".utf8), Array("_".utf8), Array("**".utf8), Array("](".utf8),
        Array("é中😀".utf8), Array("a.b,c".utf8), [0x0D, 0x0A],
    ]

    /// `count` bytes of text from the pieces, mostly words and spaces so that whole steps are taken.
    static func generated(count: Int, seed: UInt64) -> [UInt8] {
        var g = PieceText(seed: seed, length: count)
        return g.text(count) { v in
            let pick = Int(v % 100)
            return pick < 50 ? pieces[0] : pick < 80 ? pieces[1] : pieces[Int((v >> 8) % UInt64(pieces.count))]
        }
    }

    /// The sets the callers use (line ends and tabs, the sniffer's marks, emphasis delimiters) and
    /// larger ones, up to the eight bytes the routine takes.
    static let sets: [[UInt8]] = [
        [0x0A], [0x0A, 0x0D], [0x0A, 0x0D, 0x09], [0x0A, 0x3C, 0x2A, 0x5D], [0x2A, 0x5F],
        [0x00, 0x80, 0xFF, 0x5D, 0x0B], [0x21, 0x2A, 0x3C, 0x5B, 0x26, 0x5C, 0x5F, 0x60],
    ]

    @Test func firstOfFindsTheFirstByteOfTheSet() {
        var compared = 0
        for length in 0...100 {
            for seed in 0..<UInt64(20) {
                let text = Self.generated(count: length + 8, seed: seed)
                for from in [0, 1, 5, 8] {
                    let slice = text[from..<from + length]
                    for set in Self.sets {
                        var packed: UInt64 = 0
                        for (k, b) in set.enumerated() { packed |= UInt64(b) << (8 * UInt64(k)) }
                        let want = (slice.firstIndex { set.contains($0) } ?? slice.endIndex) - from
                        let got = slice.withUnsafeBufferPointer { s -> Int in
                            guard let base = s.baseAddress else { return 0 }
                            return assay_first_of(base, s.count, packed, Int32(set.count))
                        }
                        #expect(got == want, "length \(length) seed \(seed) from \(from) set \(set): \(Array(slice))")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 50000)
    }

    /// `ByteMarks` (C masks, 64 bytes a step) finds the next byte of a set from every position as a
    /// byte-by-byte search does, across block edges and at the end of the buffer.
    @Test func byteSetMasksFindTheNextByteOfTheSet() {
        var compared = 0
        for length in [0, 1, 2, 15, 16, 17, 63, 64, 65, 127, 128, 129, 200, 300] {
            for seed in 0..<UInt64(6) {
                let text = Self.generated(count: length, seed: seed)
                for set in Self.sets {
                    var packed: UInt64 = 0
                    for (k, b) in set.enumerated() { packed |= UInt64(b) << (8 * UInt64(k)) }
                    text.withUnsafeBufferPointer { s in
                        let masks = ByteMarks(s, set: packed, count: Int32(set.count))
                        for from in 0...(length + 1) {
                            let want = from >= length ? length : (text[from...].firstIndex { set.contains($0) } ?? length)
                            #expect(masks.next(from: from) == want, "length \(length) seed \(seed) from \(from) set \(set): \(text)")
                            compared += 1
                        }
                    }
                }
            }
        }
        #expect(compared > 10000)
    }

    /// The byte loop `lineEnd` was: the first line feed or carriage return, and the first tab before it.
    static func lineEndByteByByte(_ s: [UInt8], from: Int) -> (end: Int, firstTab: Int) {
        var tab = Int.max
        var i = from
        while i < s.count {
            if s[i] == 0x0A || s[i] == 0x0D { return (i, tab) }
            if s[i] == 0x09, tab == Int.max { tab = i }
            i += 1
        }
        return (s.count, tab)
    }

    @Test func lineEndFindsTheLineEndAndItsFirstTab() {
        for length in 0...120 {
            for seed in 0..<UInt64(10) {
                let text = Self.generated(count: length, seed: seed)
                for from in 0...length {
                    let want = Self.lineEndByteByByte(text, from: from)
                    let got = text.withUnsafeBufferPointer {
                        PlainTextNormalizer.lineEnd($0, from: from, ByteMarks($0, set: 0x09_0D_0A, count: 3))
                    }
                    #expect(got == want, "length \(length) seed \(seed) from \(from): \(text)")
                    // With 0x0B and 0x0C marked too, as the normalizer's one pass marks them.
                    let gotFromBlanks = text.withUnsafeBufferPointer { s in
                        PlainTextNormalizer.lineEnd(s, from: from, ByteMarks.stretchEndsAndBlanks(of: s, stops: 0x5B3C_2A21, count: 4).blanks)
                    }
                    #expect(gotFromBlanks == want, "blanks: length \(length) seed \(seed) from \(from): \(text)")
                }
            }
        }
    }
}
