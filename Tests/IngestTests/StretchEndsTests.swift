import Testing

@testable import Ingest

/// The plain text writer finds where its stretches end from marks made once per input
/// (`MarkupBytes.stretch`, `assay_stretch_ends_and_blanks`): they must end where the block writer's byte rule
/// ends them, for every start, end and run state, in plain and Markdown mode, across the 64-byte
/// blocks the marks are kept in and at the input's end.
@Suite struct StretchEndsTests {
    @Test(arguments: [false, true])
    func marksEndStretchesWhereTheByteRuleEndsThem(markdown: Bool) {
        let stops: [UInt8] = markdown ? Array("!*<[&\\_`".utf8) : Array("!*<[".utf8)
        var compared = 0
        for length in [0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 66, 127, 128, 129] {
            for seed in 0..<UInt64(4) {
                var g = PieceText(seed: seed, length: length)
                let text = g.text(length) { v in
                    let pick = Int(v % 100)
                    return pick < 45 ? CharacterDataScanTests.writerPieces[0] : pick < 75 ? [0x20]
                        : CharacterDataScanTests.writerPieces[Int((v >> 8) % UInt64(CharacterDataScanTests.writerPieces.count))]
                }
                text.withUnsafeBufferPointer { s in
                    let markup = PlainTextNormalizer.MarkupBytes(s, markdown: markdown)
                    for from in 0...length {
                        for end in from...length {
                            for runStarted in [false, true] {
                                let want = CharacterDataScanTests.stretchByteByByte(text[from..<end], runStarted: runStarted, stops: stops)
                                let got = markup.stretch(s, from: from, to: end, runStarted: runStarted)
                                #expect(got == want, "length \(length) seed \(seed) from \(from) to \(end) run \(runStarted): \(text)")
                                compared += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(compared > 100_000)
    }
}
