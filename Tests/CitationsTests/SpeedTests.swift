import AssayCore
import Foundation
import Testing
@testable import Citations

/// Throughput figures (printed, not asserted) and inputs that must stay linear.
struct SpeedTests {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    /// The seeds' reference entries (Harvard, APA, exploded initials, given names first) repeated.
    static func referenceList(_ n: Int) throws -> Document {
        var entries: [String] = []
        for seed in ["000", "004"] {
            let d = try TestDocs.seed(seed)
            let sec = d.referencesSection!
            for b in d.blocks where b.span.start > sec.span.start && b.span.end <= sec.span.end { entries.append(d.string(b.span)) }
        }
        var text = "Body (Kai et al., 2020).\n\nReferences\n\n"
        for i in 0..<n { text += "- " + entries[i % entries.count] + "\n" }
        return TestDocs.make(text)
    }

    @Test func referencesPerSecond() throws {
        let d = try Self.referenceList(8000)
        let sec = d.referencesSection!
        var refs: [Reference] = []
        let s = Self.seconds { refs = ReferenceParser().parse(d, section: sec) }
        let rate = Double(refs.count) / s
        print(String(format: "reference parsing: %d entries in %.3f s = %.0f references/s on one core", refs.count, s, rate))
        #expect(refs.count >= 8000)
        var whole = d
        let s2 = try Self.seconds { try CitationsStage().process(&whole) }
        print(String(format: "whole stage (parse, find, link, report) on %d entries: %.3f s", refs.count, s2))
    }

    @Test func pathologicalInputsStayLinear() throws {
        func time(_ text: String) throws -> (Double, Int) {
            var d = TestDocs.make(text)
            let s = try Self.seconds { try CitationsStage().process(&d) }
            return (s, d.citations.count)
        }
        let parens = String(repeating: "(", count: 100_000)
        let (a, _) = try time(parens)
        let (a2, _) = try time(parens + parens)
        let etAl = String(repeating: "Smith et al. ", count: 1_000_000) + "(2019)"
        let (b, bc) = try time(etAl)
        let groups = String(repeating: "(Smith, 2019; ", count: 50_000)
        let (c, _) = try time(groups)
        let narrative = String(repeating: "Smith et al. (2019) ", count: 100_000)
        let (e, ec) = try time(narrative)
        let years = String(repeating: "(2019, 2020, 2021, ", count: 50_000)
        let (f, _) = try time(years)
        print(String(format: "100k '(': %.3f s, 200k: %.3f s; 'et al.' x1M: %.3f s; 50k open groups: %.3f s; 100k narrative: %.3f s; 50k year runs: %.3f s", a, a2, b, c, e, f))
        #expect(bc == 1)
        #expect(ec == 100_000)
    }
}

#if DEBUG  // (the work is counted in debug builds only)
/// The stage's work, counted (bytes tokenized or scanned, tokens read: `WorkCounter`), grows in
/// proportion to the input on the inputs that would make a careless scanner quadratic: the same
/// input four times as long must take about four times the steps, not sixteen.
struct LinearWorkTests {
    /// Steps the whole stage takes on `text`.
    static func steps(_ text: String) throws -> Int {
        var d = TestDocs.make(text)
        let counter = WorkCounter()
        try WorkCounter.$current.withValue(counter) { try CitationsStage().process(&d) }
        return counter.steps
    }

    /// The ratio of the steps on the input made with `4n` and with `n` pieces.
    static func growth(_ n: Int, _ make: (Int) -> String) throws -> Double {
        let small = try steps(make(n))
        let large = try steps(make(4 * n))
        #expect(small > 0)
        return Double(large) / Double(max(small, 1))
    }

    static func expectLinear(_ ratio: Double, _ what: String) {
        #expect(ratio > 3 && ratio < 5, "\(what): 4x the input took \(ratio)x the steps")
    }

    /// For inputs of which the stage reads only a bounded part (a citation's look back is short).
    static func expectAtMostLinear(_ ratio: Double, _ what: String) {
        #expect(ratio < 5, "\(what): 4x the input took \(ratio)x the steps")
    }

    @Test func openBrackets() throws {
        Self.expectLinear(try Self.growth(25_000) { String(repeating: "(", count: $0) }, "'('")
        Self.expectLinear(try Self.growth(10_000) { String(repeating: "(Smith, 2019; ", count: $0) }, "unclosed groups")
    }

    @Test func etAlRepeated() throws {
        Self.expectAtMostLinear(try Self.growth(250_000) { String(repeating: "Smith et al. ", count: $0) + "(2019)" }, "'et al.'")
        Self.expectLinear(try Self.growth(5_000) { String(repeating: "Smith et al. (2019) ", count: $0) }, "narrative citations")
    }

    @Test func paragraphWithoutFullStop() throws {
        // one paragraph, no full stop: names, years and brackets all along it
        Self.expectLinear(try Self.growth(5_000) { String(repeating: "as Smith and Jones (2019) argue, (see Khan 2020; Lee, 2021, p 4) and ", count: $0) },
                          "a paragraph with no full stop")
    }

    @Test func longReferenceLists() throws {
        Self.expectLinear(try Self.growth(1_000) { n in
            var text = "Body (Kai et al., 2020).\n\nReferences\n\n"
            for i in 0..<n { text += "- Smith, J., Khan, A. and Lee, B. (\(1900 + i % 100)). Title number \(i) of the list. *Journal of Things*, 4(2), 1-10.\n" }
            return text
        }, "references")
        // one entry running on with no full stop: new-entry starts are looked for all along it
        Self.expectLinear(try Self.growth(5_000) { n in
            "Body (Smith, 2019).\n\nReferences\n\n- Smith, J. (2019) " + String(repeating: "Another Work, A. of Jones, B. 2019 and ", count: n)
        }, "one long entry")
        // entries on consecutive lines that ingest joined into one paragraph: each entry is read
        // once, not the rest of the paragraph after it (italic journal names too)
        Self.expectLinear(try Self.growth(1_000) { n in
            "Body (Khan, 2001).\n\nReferences\n\n"
                + (0..<n).map { "Khan, A. B. (\(2000 + $0 % 20)). A study of rights number \($0). *Journal of Law*, 1(2), 1-9." }
                .joined(separator: " ")
        }, "entries in one paragraph")
    }

    @Test func prolificAuthorCitedWithOtherYears() throws {
        // every citation names the author of the whole list with a year none of the works has:
        // each looks at the author's works only until two fit
        Self.expectLinear(try Self.growth(500) { n in
            String(repeating: "Rights were discussed (Khan, 1990). ", count: n) + "\n\nReferences\n\n"
                + (0..<n).map { "- Khan, A. (\(2000 + $0 % 20)). A study of rights number \($0). *Journal of Law*, 1(2), 1-9." }
                .joined(separator: "\n")
        }, "citations of a prolific author with another year")
    }

    @Test func missingWorksOfACrowdedYear() throws {
        // citations of works the list lacks, of the one year all its entries have: each is looked
        // for as a misspelt name among the entries that may be near it, not among all of them
        func surname(_ i: Int) -> String {
            var i = i, s = ""
            for _ in 0..<5 { s = String(UnicodeScalar(UInt8(97 + i % 26))) + s; i /= 26 }
            return "Q" + s
        }
        Self.expectLinear(try Self.growth(400) { n in
            (0..<n).map { "As shown (\(surname($0 + 3_000_000)), 2019)." }.joined(separator: " ") + "\n\nReferences\n\n"
                + (0..<n).map { "- \(surname($0)), J. (2019). A study of the law, part \($0). Journal of Law, 3(1), 1-9." }.joined(separator: "\n")
        }, "missing works of one crowded year")
    }

    @Test func givenNameSharedAcrossTheList() throws {
        // every entry has an author with the given name Ali, one of them of 2030: each citation
        // naming Ali with that year reads that year's, not the whole list's
        func list(_ n: Int) -> String {
            String(repeating: "As shown (Ali, 2030). ", count: n) + "\n\nReferences\n\n"
                + (0..<n).map { "- Writer, Ali (\($0 == 0 ? 2030 : 1950 + $0 % 70)). A study of law number \($0). *Journal of Law*, 1(2), 1-9." }
                .joined(separator: "\n")
        }
        var d = TestDocs.make(list(3))
        try CitationsStage().process(&d)
        #expect(d.citations.map(\.references) == [[0], [0], [0]])
        #expect(d.findings.filter { $0.kind == .givenNameAsSurname }.count == 3)
        Self.expectLinear(try Self.growth(500, list), "citations naming an author by a given name all the list shares")
    }
}
#endif

/// Random text made of the pieces citations and references are made of: the stage must not trap,
/// and every span it writes must lie inside the text, citations and entries sorted and in bounds.
@Test func randomTextNeverBreaksTheStage() throws {
    let pieces = ["(", ")", "[", "]", " ", "\n", "\n\n", "Smith", "van", "der", "Berg", "O’Brien", "Tomaševski", "et", "al", ".",
                  ",", ";", ":", "&", "and", "2019", "2019a", "1947-1958", "n.d.", "in press", "p.", "35", "’s", "'s", "J.",
                  "M. U. H. A. M. M. A. D.", "References\n\n", "- ", "*", "eds.", "(Eds.)", "In", "Vol.", "pp.", "doi:", "é", "🙂"]
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<300 {
        var s = ""
        for _ in 0..<Int.random(in: 1...400, using: &rng) { s += pieces.randomElement(using: &rng)! }
        var d = TestDocs.make(s)
        try CitationsStage().process(&d)
        let n = d.textBytes.count
        for c in d.citations { #expect(c.span.start >= 0 && c.span.start < c.span.end && c.span.end <= n) }
        for r in d.references { #expect(r.span.start >= 0 && r.span.start <= r.span.end && r.span.end <= n) }
        #expect(d.citations.map(\.span.start) == d.citations.map(\.span.start).sorted())
        #expect(d.references.map(\.span.start) == d.references.map(\.span.start).sorted())
        for f in d.findings {
            #expect(f.citations.allSatisfy { $0 < d.citations.count } && f.references.allSatisfy { $0 < d.references.count })
        }
        // spans fall on scalar boundaries (the record writer turns them into scalar offsets)
        for c in d.citations {
            #expect(c.span.start == n || d.textBytes[c.span.start] & 0xC0 != 0x80)
            #expect(c.span.end == n || d.textBytes[c.span.end] & 0xC0 != 0x80)
        }
    }
}
