import CByteScan
import Testing

@testable import Ingest

/// The plain text normalizer's scans that replaced byte loops: one C pass for the writer's stretch ends
/// and the line splitter's bytes, the branch-free letter count of standalone lines, the parenthesis
/// count and the table cell split that jump to their bytes. Each is held to the loop it replaced.
@Suite struct PlainTextScanTests {
    /// The one pass's stretch ends are the bytes `stretchEndsByteByByte` marks, and its blanks the
    /// bytes 0x09-0x0D, across 64-byte blocks and at the input's end, in plain and Markdown mode.
    @Test(arguments: [false, true])
    func oneScanMarksStretchEndsAndBlanks(markdown: Bool) {
        let stops = PlainTextNormalizer.MarkupBytes.stops(markdown: markdown)
        var compared = 0
        for length in [0, 1, 2, 15, 16, 17, 63, 64, 65, 127, 128, 129, 200, 300] {
            for seed in 0..<UInt64(8) {
                // (the block writer's pieces: white space, lead bytes 0xC2 and 0xE2, every stop byte)
                var g = PieceText(seed: seed, length: length)
                let pieces = CharacterDataScanTests.writerPieces
                let text = g.text(length) { v in
                    let pick = Int(v % 100)
                    return pick < 45 ? pieces[0] : pick < 65 ? [0x20] : pieces[Int((v >> 8) % UInt64(pieces.count))]
                }
                text.withUnsafeBufferPointer { s in
                    let (ends, blanks) = ByteMarks.stretchEndsAndBlanks(of: s, stops: stops.set, count: stops.count)
                    let endAt = Self.stretchEndsByteByByte(text, stops: stops)
                    let wantBlanks = ByteMarks(s, set: 0x0D_0C_0B_0A_09, count: 5)
                    #expect(blanks.count == length && ends.count == length)
                    for from in 0...(length + 1) {
                        let wantEnd = from < length ? (from..<length).first { endAt[$0] } ?? length : length
                        #expect(ends.next(from: from) == wantEnd, "ends: length \(length) seed \(seed) from \(from)")
                        #expect(blanks.next(from: from) == wantBlanks.next(from: from), "blanks: length \(length) seed \(seed) from \(from)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 1000)
    }

    /// Where stretches end, byte by byte, as the C header describes it: a byte the block writer does
    /// not copy as it is (white space 0x09-0x0D and 0x20, a lead byte 0xC2 or 0xE2, a stop byte), but
    /// not a space followed by a byte it does copy (the input's end is not one).
    static func stretchEndsByteByByte(_ text: [UInt8], stops: (set: UInt64, count: Int32)) -> [Bool] {
        let stopBytes = (0..<Int(stops.count)).map { UInt8(truncatingIfNeeded: stops.set >> (8 * $0)) }
        func blocked(_ k: Int) -> Bool {
            guard k < text.count else { return true }
            let b = text[k]
            return b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0xC2 || b == 0xE2 || stopBytes.contains(b)
        }
        return text.indices.map { k in blocked(k) && !(text[k] == 0x20 && !blocked(k + 1)) }
    }

    /// The loop `countLetters` replaced (in `classifyStandaloneHeadings`).
    static func countLettersByteByByte(_ s: [UInt8]) -> (words: Int, upper: Int, letters: Int) {
        var words = 0, upper = 0, letters = 0
        var inWord = false
        for b in s {
            if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A {
                letters += 1
                if b <= 0x5A { upper += 1 }
                if !inWord { words += 1 }
                inWord = true
            } else if b == 0x20 || b == 0x09 {
                inWord = false
            }
        }
        return (words, upper, letters)
    }

    static let titlePieces: [[UInt8]] = [
        Array("Word".utf8), Array("and".utf8), Array("CAPS".utf8), [0x20], [0x09], Array("(".utf8), Array("'s".utf8),
        Array("-".utf8), Array("2020".utf8), Array("é".utf8), [0x40], [0x5B], [0x60], [0x7B], [0x0B], Array(":".utf8),
    ]

    @Test func countLettersCountsAsTheByteLoop() {
        var compared = 0
        for length in 0...60 {
            for seed in 0..<UInt64(30) {
                var g = PieceText(seed: seed, length: length)
                let text = g.text(length) { v in Self.titlePieces[Int(v % UInt64(Self.titlePieces.count))] }
                for start in [0, 3] where start <= length {
                    let got = text.withUnsafeBufferPointer { PlainTextNormalizer.countLetters($0, start, $0.count) }
                    let want = Self.countLettersByteByByte(Array(text[start...]))
                    #expect(got == want, "start \(start): \(text)")
                    compared += 1
                }
            }
        }
        #expect(compared > 1000)
    }

    /// The loop `openParentheses` was, over the same tail of the line.
    static func openParenthesesByteByByte(_ s: [UInt8], from: Int, to end: Int) -> Int {
        var depth = 0
        for i in from..<end {
            if s[i] == 0x28 { depth += 1 } else if s[i] == 0x29, depth > 0 { depth -= 1 }
        }
        return depth
    }

    @Test func openParenthesesCountsAsTheByteLoop() {
        let pieces: [[UInt8]] = [Array("word ".utf8), Array("(".utf8), Array(")".utf8), Array("(Suess 2020".utf8), Array("é".utf8)]
        var compared = 0
        for length in [0, 1, 2, 31, 32, 33, 64, 100, 399, 400, 401, 450, 900] {
            for seed in 0..<UInt64(20) {
                var g = PieceText(seed: seed, length: length)
                let text = g.text(length) { v in Int(v % 4) == 0 ? pieces[Int((v >> 8) % UInt64(pieces.count))] : pieces[0] }
                for start in [0, 1, 3] where start <= length {
                    let line = PlainTextNormalizer.Line(start: start, end: length, rawStart: 0, kind: .text)
                    var lookahead = 0
                    let got = text.withUnsafeBufferPointer { PlainTextNormalizer.openParentheses($0, line, &lookahead) }
                    let want = Self.openParenthesesByteByByte(text, from: max(start, length - 400), to: length)
                    #expect(got == want, "length \(length) seed \(seed) start \(start): \(text)")
                    #expect(lookahead == length - max(start, length - 400))
                    compared += 1
                }
            }
        }
        #expect(compared > 500)
    }

    /// The loop `writeTableRow` was: every byte of the row asked whether it separates cells.
    static func writeTableRowByteByByte(_ s: UnsafeBufferPointer<UInt8>, _ l: PlainTextNormalizer.Line, _ w: inout BlockWriter,
                                        _ markup: PlainTextNormalizer.MarkupBytes, _ state: inout PlainTextNormalizer.WriteState) {
        let pipe = l.kind == .pipeRow
        var start = l.start
        var end = l.end
        if pipe {
            if start < end, s[start] == 0x7C { start += 1 }
            if end > start, s[end - 1] == 0x7C, end - 2 < start || s[end - 2] != 0x5C { end -= 1 }
        }
        var cellStart = start
        var i = start
        while i <= end {
            let atSeparator = i == end || (pipe ? (s[i] == 0x7C && (i == start || s[i - 1] != 0x5C)) : s[i] == 0x09)
            if atSeparator {
                var a = cellStart, b = i
                while a < b, PlainTextNormalizer.isSpace(s[a]) { a += 1 }
                while b > a, PlainTextNormalizer.isSpace(s[b - 1]) { b -= 1 }
                if a < b {
                    w.cellBreak(sourceOffset: cellStart)
                    PlainTextNormalizer.writeInline(s, a..<b, &w, markup, &state)
                }
                cellStart = i + 1
            }
            i += 1
        }
    }

    @Test(arguments: [PlainTextNormalizer.LineKind.tableRow, .pipeRow])
    func tableRowsSplitAsTheByteLoop(kind: PlainTextNormalizer.LineKind) {
        let pieces: [[UInt8]] = [
            Array("cell".utf8), [0x20], [0x09], Array("|".utf8), Array("\\|".utf8), Array("*b*".utf8), Array("é".utf8),
        ]
        var compared = 0
        for length in 0...70 {
            for seed in 0..<UInt64(12) {
                var g = PieceText(seed: seed, length: length)
                let text = g.text(length) { v in pieces[Int(v % UInt64(pieces.count))] }
                text.withUnsafeBufferPointer { s in
                    let line = PlainTextNormalizer.Line(start: 0, end: s.count, rawStart: 0, kind: kind)
                    let markup = PlainTextNormalizer.MarkupBytes(s, markdown: true)
                    var got = BlockWriter(), want = BlockWriter()
                    var gotState = PlainTextNormalizer.WriteState(), wantState = PlainTextNormalizer.WriteState()
                    got.begin(.tableRow, sourceOffset: 0)
                    want.begin(.tableRow, sourceOffset: 0)
                    PlainTextNormalizer.writeTableRow(s, line, &got, markup, &gotState)
                    Self.writeTableRowByteByByte(s, line, &want, markup, &wantState)
                    let a = got.finish(), b = want.finish()
                    #expect(a.bytes == b.bytes && a.map == b.map && a.blocks == b.blocks, "\(kind) length \(length) seed \(seed): \(text)")
                    compared += 1
                }
            }
        }
        #expect(compared > 800)
    }
}
