import CByteScan
import Testing

@testable import Ingest

/// The C scans that replaced byte loops in Swift (SSE2, 32 or 64 bytes a step) answer as those loops did:
/// the scan of HTML character data finds what a byte-by-byte reading with `TextMeasure.addCharacter`
/// finds (where the data ends, its line feeds, whether it keeps a run in the page, and the measure,
/// bit for bit), and the block writer's stretch of bytes copied as they are ends where its byte rule
/// ends it, and the decoder's quiet ASCII ends at the first byte it has to note.
@Suite struct CharacterDataScanTests {
    struct Found: Equatable {
        var end: Int
        var newlines: Int
        var late: Int
        var kept: Bool
        var measure: TextMeasure
    }

    /// Byte by byte, as the run scan read character data before the C routine.
    static func byteByByte(_ s: UnsafeBufferPointer<UInt8>, from: Int, lateFrom: Int, measure start: TextMeasure) -> Found {
        var m = start
        var j = from
        var newlines = 0
        var late = 0
        var kept = false
        while j < s.count {
            let b = s[j]
            if b == 0x3C || b == 0x26 { break }
            let taken = m.addCharacter(s.baseAddress!, j, s.count)
            if b == 0x0A {
                newlines += 1
                if j >= lateFrom { late += 1 }
            } else if (b < 0x20 && b != 0x09) || b == 0x3E || b == 0xEF {
                kept = true
            }
            j += taken
        }
        return Found(end: j, newlines: newlines, late: late, kept: kept, measure: m)
    }

    static func scanned(_ s: UnsafeBufferPointer<UInt8>, from: Int, lateFrom: Int, measure start: TextMeasure) -> Found {
        var m = start
        let d = m.addCharacterData(s.baseAddress!, from: from, count: s.count, lateFrom: lateFrom)
        return Found(end: d.end, newlines: d.newlines, late: d.late, kept: d.kept, measure: m)
    }

    /// Pieces the scan decides on: ASCII words and white space, every kind of control, no-break
    /// spaces, the four commas, other UTF-8, stray continuation bytes, and the stops.
    static let pieces: [[UInt8]] = [
        Array("word".utf8), [0x20], [0x20, 0x20], [0x0A], [0x09], [0x0D], [0x0C], [0x00], [0x01], [0x0B], [0x1F],
        [0x2C], Array("，".utf8), Array("،".utf8), Array("、".utf8), [0xC2, 0xA0], [0xC2], [0xA0], Array("é".utf8),
        Array("—".utf8), Array("中".utf8), Array("😀".utf8), [0xEF], [0xEF, 0xBC], [0xE3, 0x80], [0xD8], [0x80],
        [0xFF], [0x7F], [0x3E], [0x3C], [0x26], Array("x".utf8), Array("a.b".utf8),
    ]

    /// A string of `length` bytes drawn from the pieces with a small deterministic generator.
    static func generated(length: Int, seed: UInt64, stops: Bool) -> [UInt8] {
        var g = PieceText(seed: seed, length: length)
        return g.text(length) { v in
            // Mostly words and spaces, as in prose; the rest spread over every other piece.
            let pick = Int(v % 100)
            let piece = pick < 40 ? pieces[0] : pick < 60 ? pieces[1] : pieces[1 + Int((v >> 8) % UInt64(pieces.count - 1))]
            return !stops && (piece == [0x3C] || piece == [0x26]) ? nil : piece
        }
    }

    /// Measures to start from: nothing read yet, leading white space, inside a word, after a space.
    static let starts: [TextMeasure] = {
        var leading = TextMeasure()
        _ = leading.addCharacter([0x20], 0, 1)
        var word = TextMeasure()
        _ = word.addCharacter([0x61], 0, 1)
        var spaced = word
        _ = spaced.addCharacter([0x20], 0, 1)
        return [TextMeasure(), leading, word, spaced]
    }()

    @Test func agreesWithTheByteByByteReading() {
        var compared = 0
        for length in 0...100 {
            for seed in 0..<UInt64(40) {
                let text = Self.generated(length: length, seed: seed &+ UInt64(length) << 8, stops: seed % 4 != 0)
                text.withUnsafeBufferPointer { s in
                    guard s.baseAddress != nil else { return }
                    for from in 0...length where from == 0 || from % 3 == 0 || from == length {
                        for start in Self.starts {
                            for lateFrom in [0, from + 5, from + 17, Int.max / 2] {
                                let want = Self.byteByByte(s, from: from, lateFrom: lateFrom, measure: start)
                                let got = Self.scanned(s, from: from, lateFrom: lateFrom, measure: start)
                                #expect(got == want, "length \(length) seed \(seed) from \(from) late \(lateFrom): \(text)")
                                compared += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(compared > 10000)
    }

    /// Each special byte or sequence at every offset of a plain ASCII text (so that it falls on
    /// every lane of a 32-byte step, and across the steps' ends), followed by a stop or not.
    @Test func everyPieceAtEveryOffset() {
        for piece in Self.pieces {
            for offset in 0...40 {
                for tail: [UInt8] in [[], [0x3C], Array(" tail words<".utf8)] {
                    var text = Array("Leading words, and more of them here and there ".utf8.prefix(offset))
                    text += piece + Array(" some words after it, to fill two steps or more".utf8) + tail
                    text.withUnsafeBufferPointer { s in
                        for start in Self.starts {
                            for lateFrom in [0, offset, offset + 1, 30] {
                                let want = Self.byteByByte(s, from: 0, lateFrom: lateFrom, measure: start)
                                let got = Self.scanned(s, from: 0, lateFrom: lateFrom, measure: start)
                                #expect(got == want, "piece \(piece) offset \(offset) tail \(tail.count) late \(lateFrom)")
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: the block writer's stretch

    /// The block writer's rule byte by byte: a byte is copied as it is unless it is white space,
    /// 0xC2, 0xE2 or a stop byte; a single space goes with such a byte after it (not at the start
    /// of a run).
    static func stretchByteByByte(_ s: ArraySlice<UInt8>, runStarted: Bool, stops: [UInt8]) -> Int {
        func asIs(_ b: UInt8) -> Bool {
            (b > 0x20 ? b != 0xC2 && b != 0xE2 : b < 0x09 || (b > 0x0D && b != 0x20)) && !stops.contains(b)
        }
        var i = s.startIndex
        while i < s.endIndex {
            if asIs(s[i]) {
                i += 1
            } else if s[i] == 0x20, i > s.startIndex || runStarted, i + 1 < s.endIndex, asIs(s[i + 1]) {
                i += 2
            } else {
                break
            }
        }
        return i - s.startIndex
    }

    static let writerPieces: [[UInt8]] = [
        Array("word".utf8), [0x20], [0x20, 0x20], [0x09], [0x0A], [0x0B], [0x0C], [0x0D], [0x01], [0x1F], [0x7F],
        [0xC2, 0xA0], [0xC2, 0xAD], [0xC2, 0xA9], [0xC2], [0xE2, 0x80, 0x8B], [0xE2, 0x80, 0x80], [0xE2, 0x80, 0x94],
        [0xE2], Array("é中😀".utf8), Array("!".utf8), Array("*".utf8), Array("<".utf8), Array("[".utf8),
        Array("&".utf8), Array("\\".utf8), Array("_".utf8), Array("`".utf8), Array("a.b,c".utf8),
    ]

    @Test func plainStretchEndsWhereTheByteRuleEndsIt() {
        let stopSets: [[UInt8]] = [[], Array("!*<[".utf8), Array("!*<[&\\_`".utf8)]
        var compared = 0
        for length in 0...100 {
            for seed in 0..<UInt64(30) {
                var g = PieceText(seed: seed, length: length)
                let text = g.text(length + 8) { v in
                    let pick = Int(v % 100)
                    return pick < 45 ? Self.writerPieces[0] : pick < 75 ? [0x20]
                        : Self.writerPieces[Int((v >> 8) % UInt64(Self.writerPieces.count))]
                }
                for from in [0, 1, 3, 8] {
                    let slice = text[from..<from + length]
                    for stops in stopSets {
                        var packed: UInt64 = 0
                        for (k, b) in stops.enumerated() { packed |= UInt64(b) << (8 * UInt64(k)) }
                        for runStarted in [false, true] {
                            let want = Self.stretchByteByByte(slice, runStarted: runStarted, stops: stops)
                            let got = slice.withUnsafeBufferPointer { s -> Int in
                                guard let base = s.baseAddress else { return 0 }
                                return assay_plain_stretch(base, s.count, runStarted ? 1 : 0, packed, Int32(stops.count))
                            }
                            #expect(got == want, "length \(length) seed \(seed) from \(from) stops \(stops.count): \(Array(slice))")
                            compared += 1
                        }
                    }
                }
            }
        }
        #expect(compared > 10000)
    }

    // MARK: the decoder's quiet ASCII

    @Test func quietASCIIEndsAtTheFirstByteTheDecoderNotes() {
        let pieces: [[UInt8]] = [
            Array("text".utf8), [0x20], [0x09], [0x0A], [0x0C], [0x0D], [0x00], [0x01], [0x0B], [0x1B], [0x1F], [0x7F],
            [0x80], [0xC3, 0xA9], [0xE2, 0x80, 0x94], [0xFF],
        ]
        for length in 0...100 {
            for seed in 0..<UInt64(20) {
                var g = PieceText(seed: seed, length: length)
                // Long quiet stretches, so that the 64-byte steps are taken, then anything.
                let text = g.text(length) { v in v % 10 < 8 ? pieces[Int((v >> 8) % 6)] : pieces[Int((v >> 8) % UInt64(pieces.count))] }
                let want = text.firstIndex { $0 >= 0x80 || ($0 < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains($0)) } ?? text.count
                let got = text.withUnsafeBufferPointer { s -> Int in
                    guard let base = s.baseAddress else { return 0 }
                    return assay_quiet_ascii(base, s.count)
                }
                #expect(got == want, "length \(length) seed \(seed): \(text)")
            }
        }
    }
}
