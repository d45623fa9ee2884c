import Foundation
import Testing

@testable import Ingest

/// Foundation's normalizer moves the rest of its buffer at each change, so NFC of one long text
/// full of marks cost the square of its length (1 MB of "e\u{301}": minutes). `toNFC` normalizes
/// pieces cut where nothing can combine across: their lengths are counted here, not the time.
@Suite struct NFCPiecesTests {
    /// The normalizer's cost on `utf8` as `toNFC` cuts it: each piece's length squared, summed.
    static func cost(_ utf8: [UInt8]) -> Int {
        var start = 0, total = 0
        while start < utf8.count {
            let end = Ingestion.nfcPieceEnd(utf8, from: start)
            total += (end - start) * (end - start)
            start = end
        }
        return total
    }

    @Test(arguments: ["e\u{301}", "\u{3B1}\u{301}", "\u{AC00}\u{11A8}", "word e\u{301} "])
    func costGrowsAsTheText(_ unit: String) {
        let n = 20_000
        let small = Array(String(repeating: unit, count: n).utf8)
        let large = Array(String(repeating: unit, count: 4 * n).utf8)
        let c1 = Self.cost(small), c4 = Self.cost(large)
        // Four times the text, about four times the cost (one piece would make it sixteen).
        #expect(Double(c4) <= 4.5 * Double(c1), "\(unit): \(c1) -> \(c4)")
    }

    /// One run of marks of two classes after one letter: no character of it may start a piece, so
    /// a joiner is put after every 30 of them (the Stream-Safe Text Format) and the run is cut there
    /// (80 KB of "\u{301}\u{316}" had cost 3.6 s, four times that 55 s).
    @Test func aLongRunOfMarks() {
        let make = { (n: Int) in Array(("e" + String(repeating: "\u{301}\u{316}", count: n)).utf8) }
        let c1 = Self.cost(Ingestion.streamSafe(make(20_000))), c4 = Self.cost(Ingestion.streamSafe(make(80_000)))
        #expect(Double(c4) <= 4.5 * Double(c1), "marks: \(c1) -> \(c4)")
    }

    /// A run of more than 30 non-starters gets a joiner after each 30; runs of up to 30 (the acute
    /// accent of `é` counts) and the text around them are left as they are, and composed as before.
    @Test func streamSafeJoinersAfterThirtyMarks() {
        let marks = { (n: Int) in String(repeating: "\u{316}", count: n) }
        let cgj = "\u{34F}"
        #expect(Ingestion.toNFC(Array(("a" + marks(70) + " b").utf8)) == Array(("a" + marks(30) + cgj + marks(30) + cgj + marks(10) + " b").utf8))
        #expect(Ingestion.toNFC(Array(("e\u{301}" + marks(29) + " x" + marks(30)).utf8)) == Array(("é" + marks(29) + " x" + marks(30)).utf8))
        let short = Array(("e" + marks(29) + "\u{301}").utf8)
        #expect(Ingestion.streamSafe(short) == short)
    }

    /// The quick check lets no character NFC replaces through (Devanagari QA U+0958, the Greek oxia
    /// letters, Hebrew presentation forms, CJK compatibility ideographs, …): each scalar above
    /// U+02FF whose NFC differs from it is one the check flags.
    @Test func quickCheckFlagsEveryScalarNFCReplaces() {
        var missed: [String] = []
        for v in UInt32(0x300)...0x2FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let s = String(Character(scalar))
            if s.precomposedStringWithCanonicalMapping != s, !Ingestion.scalarMayChangeUnderNFC(v) {
                missed.append(String(v, radix: 16, uppercase: true))
            }
        }
        #expect(missed.isEmpty, "not flagged: \(missed.joined(separator: " "))")
        #expect(Ingestion.toNFC(Array("Qa \u{958}".utf8)) == Array("Qa \u{915}\u{93C}".utf8))
    }

    /// Cut into pieces or not, the text's NFC is the same.
    @Test func piecesJoinedAreTheWholeTextsNFC() {
        let pieces = ["e", "\u{301}", "\u{316}", "\u{3B1}", "A", " ", "\n", "é", "\u{1100}", "\u{1161}", "\u{11A8}", "\u{AC00}",
                      "\u{2126}", "\u{958}", "\u{F900}", "\u{CC6}", "\u{CC2}", "\u{CD5}", "\u{344}", "🙂"]
        // (a fixed sequence of pieces: the same texts on every run)
        var seed: UInt64 = 7
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % pieces.count
        }
        for _ in 0..<20 {
            var s = ""
            for _ in 0..<6_000 { s += pieces[next()] }
            let whole = Array(s.precomposedStringWithCanonicalMapping.utf8)
            #expect(Ingestion.toNFC(Array(s.utf8)) == whole)
        }
    }
}
