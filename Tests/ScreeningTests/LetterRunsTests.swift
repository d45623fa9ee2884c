import CByteScan
import Testing

@testable import Screening

/// `assay_letter_runs` (C, 64 bytes a step with SSE2), the scan under `DocWords.collect`, against
/// a byte-by-byte search for the same runs, at every start and end of random texts, with room for
/// one run a call and more.
@Suite struct LetterRunsTests {
    /// The runs of ASCII letters and bytes from 0x80 of `bytes[from..<to]`, a byte at a time.
    static func expectedRuns(_ bytes: [UInt8], _ from: Int, _ to: Int) -> [(start: Int, end: Int, nonASCII: Bool)] {
        var out: [(start: Int, end: Int, nonASCII: Bool)] = []
        var i = from
        while i < to {
            guard bytes[i] >= 0x80 || Words.isASCIILetter(bytes[i]) else { i += 1; continue }
            let start = i
            var nonASCII = false
            while i < to, bytes[i] >= 0x80 || Words.isASCIILetter(bytes[i]) {
                if bytes[i] >= 0x80 { nonASCII = true }
                i += 1
            }
            out.append((start, i, nonASCII))
        }
        return out
    }

    /// All the runs of `bytes[from..<to]`, asking for at most `room` a call and going on from `next`;
    /// nil when a call breaks its contract (a run outside the span, `next` not where it should be).
    static func runs(_ bytes: [UInt8], _ from: Int, _ to: Int, room: Int) -> [(start: Int, end: Int, nonASCII: Bool)]? {
        // (the text in a buffer of its own, exactly `to` bytes long: nothing past it is there to read)
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, to))
        defer { copy.deallocate() }
        _ = copy.initialize(from: bytes[..<to])
        var out: [(start: Int, end: Int, nonASCII: Bool)] = []
        var runs = [assay_letter_run](repeating: assay_letter_run(), count: room)
        var i = from
        repeat {
            var next = 0
            let n = runs.withUnsafeMutableBufferPointer { assay_letter_runs(copy.baseAddress!, i, to, $0.baseAddress!, room, &next) }
            guard n <= room, next <= to, next > i || (n == 0 && next == to) else { return nil }
            for r in runs[..<n] {
                guard Int(r.start) >= i, Int(r.end) <= to else { return nil }
                out.append((Int(r.start), Int(r.end), r.nonASCII != 0))
            }
            // a call that filled up goes on after its last run; one that did not got to the end
            guard n == room ? next == Int(runs[n - 1].end) : next == to else { return nil }
            i = next
        } while i < to
        return out
    }

    static func same(_ a: [(start: Int, end: Int, nonASCII: Bool)]?, _ b: [(start: Int, end: Int, nonASCII: Bool)]) -> Bool {
        guard let a, a.count == b.count else { return false }
        return zip(a, b).allSatisfy { $0.start == $1.start && $0.end == $1.end && $0.nonASCII == $1.nonASCII }
    }

    @Test func edgeCases() {
        let letters = [UInt8](repeating: 0x61, count: 200)
        // empty, one byte, runs reaching the end, a run over whole 64-byte blocks
        #expect(Self.same(Self.runs([], 0, 0, room: 4), []))
        #expect(Self.same(Self.runs([0x61], 0, 1, room: 4), [(0, 1, false)]))
        #expect(Self.same(Self.runs([0x20], 0, 1, room: 4), []))
        #expect(Self.same(Self.runs([0xC3, 0xA9], 0, 2, room: 4), [(0, 2, true)]))
        #expect(Self.same(Self.runs([0xC3, 0xA9], 1, 2, room: 4), [(1, 2, true)]))
        for n in [63, 64, 65, 127, 128, 129, 200] {
            #expect(Self.same(Self.runs(letters, 0, n, room: 4), [(0, n, false)]), "\(n) letters")
            #expect(Self.same(Self.runs(letters, 3, n, room: 1), [(3, n, false)]), "\(n) letters from 3")
        }
        // a byte from 0x80 in the second block of a run that starts in the first
        var wide = letters
        wide[100] = 0xE9
        #expect(Self.same(Self.runs(wide, 0, 200, room: 2), [(0, 200, true)]))
        #expect(Self.same(Self.runs(wide, 0, 100, room: 2), [(0, 100, false)]))
        // every ASCII byte that is no letter separates; `@`, `[`, `` ` ``, `{` sit next to the letters
        let separators: [UInt8] = (0..<0x80).filter { !Words.isASCIILetter($0) }
        var text: [UInt8] = []
        for s in separators { text += [s, 0x5A, 0x61] }
        let expected = separators.indices.map { (3 * $0 + 1, 3 * $0 + 3, false) }
        #expect(Self.same(Self.runs(text, 0, text.count, room: 32), expected))
    }

    @Test func runsAreTheByteScansRuns() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            // (up to three 64-byte blocks, and more runs than one call with room for 32 takes)
            let bytes = WordCollectTests.randomText(Int.random(in: 1...200, using: &rng), using: &rng)
            for to in 0...bytes.count {
                for from in Set([0, min(to, 1), to / 2, max(0, to - 1)]) where from <= to {
                    let want = Self.expectedRuns(bytes, from, to)
                    for room in [1, 3, 32] {
                        #expect(Self.same(Self.runs(bytes, from, to, room: room), want), "\(bytes) [\(from), \(to)) room \(room)")
                    }
                }
            }
        }
    }
}
