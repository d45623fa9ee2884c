import AssayCore
import Foundation
import Testing
@testable import Entities

/// Matching work and load time, printed (no timed assertion). Work is counted as trie probes: the
/// scan makes one probe per token step, so it is linear in the text whatever the gazetteer's size.
/// Times are wall-clock and CPU time of the thread; a debug build (-Onone, what `swift test` builds)
/// is many times slower than a release build.
@Suite(.serialized)
struct PerformanceTests {
    #if DEBUG
    static let build = "debug build"
    #else
    static let build = "release build"
    #endif

    static func cpuNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// (wall, cpu) seconds.
    static func timed(_ f: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let c0 = cpuNow()
        try f()
        return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, cpuNow() - c0)
    }

    static func seconds(_ f: () throws -> Void) rethrows -> Double { try timed(f).wall }

    static let words = ["National", "Human", "Rights", "Commission", "Council", "Women", "Child", "Justice", "Legal",
                        "Aid", "Society", "Forum", "Pakistan", "Punjab", "Sindh", "Peace", "Development", "Welfare",
                        "Democracy", "Media", "Freedom", "Labour", "Health", "Education", "Minority", "Faith"]

    /// A generated gazetteer of `count` entries (names built from common words so that many share
    /// first tokens with the text).
    static func generatedGazetteer(_ count: Int) -> String {
        var s = "# generated\nentries:\n"
        s.reserveCapacity(count * 170)
        var rng: UInt64 = 42
        func next() -> Int {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Int(rng >> 33)
        }
        for i in 0..<count {
            let a = words[next() % words.count], b = words[next() % words.count], c = words[next() % words.count]
            s += "  - key: gen-\(i)\n    type: organization\n    label: \(a) \(b) \(c) Network \(i)\n"
            s += "    aliases: [\(a) \(b) Group \(i), \(c) \(a) Trust \(i)]\n    acronyms: [G\(i)X]\n"
        }
        return s
    }

    @Test func loadingAHundredThousandEntriesAndMatchingWithThem() throws {
        let text = PerformanceTests.generatedGazetteer(100_000)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-gen-\(getpid()).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        var entries: [GazetteerEntry] = []
        var yams = true
        let tRead = try PerformanceTests.timed {
            let r = try GazetteerLoader.load(url)
            entries = r.entries
            yams = r.usedYams
        }
        #expect(entries.count == 100_000)
        #expect(!yams)
        // Compiled together with the shipped gazetteers (the matching test below compares the two).
        var big: EntitiesStage?
        let tCompile = try PerformanceTests.timed { big = try EntitiesStage(entries: entries + defaultStage.lexicon.entries) }
        let stage = try #require(big)
        let lex = stage.lexicon
        print(String(format: "100,000-entry gazetteer (%.1f MB, %d names), %@: read+check %.3f s (cpu %.3f), compile trie %.3f s (cpu %.3f), total %.3f s (cpu %.3f); %d trie nodes, %d vocabulary words",
                     Double(text.utf8.count) / 1e6, lex.surfaces.count, PerformanceTests.build as NSString, tRead.wall, tRead.cpu, tCompile.wall, tCompile.cpu,
                     tRead.wall + tCompile.wall, tRead.cpu + tCompile.cpu, lex.trie.nodeCount, lex.vocab.count))
        // The generated names are found.
        var d = plainDocument("The \(entries[77].label) and G123X met.")
        try stage.process(&d)
        #expect(d.entities.map(\.key) == ["gen-77", "gen-123"])

        try matchingIsLinearInTheTextAndFlatInTheGazetteer(big: stage)
    }

    /// Part of the test above (it reuses the 100,000 generated entries).
    func matchingIsLinearInTheTextAndFlatInTheGazetteer(big: EntitiesStage) throws {
        let base = try seed("004")
        let body = Array(base.textBytes[0..<(base.referencesSection?.span.start ?? base.textBytes.count)])
        func document(_ copies: Int) -> Document {
            var d = Document(source: "t", raw: [])
            var bytes: [UInt8] = []
            for _ in 0..<copies { bytes += body; bytes += Array("\n\n".utf8) }
            d.textBytes = bytes
            return d
        }

        print("Matching seed 004 repeated (\(PerformanceTests.build)):")
        print("copies  bytes      tokens   probes(default)  probes(+100k)  cpu ms(default)  cpu ms(+100k)")
        var probes1 = 0, probesBig1 = 0
        for copies in [1, 2, 4, 8] {
            let d = document(copies)
            var a: DocAnalysis?
            var b: DocAnalysis?
            let t1 = PerformanceTests.timed { a = defaultStage.analyze(d) }.cpu
            let t2 = PerformanceTests.timed { b = big.analyze(d) }.cpu
            let pa = a!.trieSteps, pb = b!.trieSteps
            if copies == 1 { probes1 = pa; probesBig1 = pb }
            print(String(format: "%6d  %9d  %7d  %15d  %13d  %15.1f  %13.1f", copies, d.textBytes.count, a!.tokens.count, pa, pb, t1 * 1000, t2 * 1000))
            // Work doubles with the text: exactly proportional to the copies.
            #expect(pa == probes1 * copies)
            #expect(pb == probesBig1 * copies)
        }
        // 100,000 more names add little work per token.
        print(String(format: "probes per token: default %.3f, with 100,000 more entries %.3f",
                     Double(probes1) / Double(defaultStage.analyze(document(1)).tokens.count),
                     Double(probesBig1) / Double(big.analyze(document(1)).tokens.count)))
        #expect(Double(probesBig1) <= Double(probes1) * 1.5)
    }
}
