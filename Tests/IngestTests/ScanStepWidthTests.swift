import CByteScan
import Testing

@testable import Ingest

/// The character data scan and the block writer's stretch take AVX2 steps where the CPU has AVX2
/// and SSE2 steps elsewhere; the other tests see only the steps of the CPU they run on. Here both
/// kinds read the same texts, and each answers as the byte rules do.
@Test func avx2AndSSE2StepsReadAlike() {
    typealias Scan = CharacterDataScanTests
    let stopSets: [[UInt8]] = [[], Array("!*<[".utf8), Array("!*<[&\\_`".utf8)]
    var texts: [[UInt8]] = []
    for length in [0, 1, 31, 32, 33, 34, 35, 63, 64, 65, 66, 100, 200] {
        for seed in 0..<UInt64(12) {
            texts.append(Scan.generated(length: length, seed: seed &+ UInt64(length) << 8, stops: seed % 3 != 0))
            var g = PieceText(seed: seed, length: length)
            texts.append(g.text(length) { v in
                Int(v % 100) < 60 ? Scan.writerPieces[Int(v % 2)] : Scan.writerPieces[Int((v >> 8) % UInt64(Scan.writerPieces.count))]
            })
        }
    }

    /// What both scans make of every text (from a few offsets, measures and stop sets).
    func readings() -> (scans: [Scan.Found], stretches: [Int]) {
        var scans: [Scan.Found] = []
        var stretches: [Int] = []
        for text in texts {
            text.withUnsafeBufferPointer { s in
                guard let base = s.baseAddress else { return }
                for from in [0, 1, 7] where from <= s.count {
                    for start in Scan.starts {
                        let got = Scan.scanned(s, from: from, lateFrom: from + 17, measure: start)
                        #expect(got == Scan.byteByByte(s, from: from, lateFrom: from + 17, measure: start))
                        scans.append(got)
                    }
                    for stops in stopSets {
                        var packed: UInt64 = 0
                        for (k, b) in stops.enumerated() { packed |= UInt64(b) << (8 * UInt64(k)) }
                        for runStarted in [false, true] {
                            let got = assay_plain_stretch(base + from, s.count - from, runStarted ? 1 : 0, packed, Int32(stops.count))
                            #expect(got == Scan.stretchByteByByte(text[from...], runStarted: runStarted, stops: stops))
                            stretches.append(got)
                        }
                    }
                }
            }
        }
        return (scans, stretches)
    }

    let wide = assay_scans_allow_avx2(1)
    let first = readings()
    #expect(assay_scans_allow_avx2(0) == 0)
    let narrow = readings()
    #expect(assay_scans_allow_avx2(1) == wide)
    // (counted, so that a failure does not print every reading)
    #expect(first.scans.count == narrow.scans.count && first.scans.count > 1000)
    #expect(zip(first.scans, narrow.scans).filter { $0 != $1 }.count == 0)
    #expect(zip(first.stretches, narrow.stretches).filter { $0 != $1 }.count == 0)
}
