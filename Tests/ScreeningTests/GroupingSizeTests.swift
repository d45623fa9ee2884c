import AssayCore
import Testing
@testable import Screening

/// `AuthorGrouping` splits a family of at most 64 ways of writing a name by comparing them
/// (`fewGroups`) and a larger one through its index (`FamilyIndex`): both give what comparing
/// each seed with every other way gives, on either side of that size.
@Suite struct GroupingSizeTests {
    @Test func smallAndLargeFamiliesMatchTheComparisonWithEveryName() {
        var seed: UInt64 = 7
        func random(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let firsts = ["A.", "B.", "A", "C.", "Asif", "Ahmed", "Bilal", "Å."]
        let more = ["A.", "B.", "C.", "D.", "Bc"]
        var sizes: [Int] = []
        for round in 0..<30 {
            var entries: [[PersonName]] = []
            for _ in 0..<(20 + random(180)) {
                var names: [PersonName] = []
                for _ in 0..<(1 + random(3)) {
                    let family = ["Khan", "KHAN", "Kahn"][random(3)]
                    if random(12) == 0 {
                        names.append(PersonName(family: random(2) == 0 ? family : "Asif " + family))
                        continue
                    }
                    var given = firsts[random(firsts.count)]
                    for _ in 0..<random(3) { given += " " + more[random(more.count)] }
                    names.append(PersonName(family: family, given: given))
                }
                entries.append(names)
            }
            let refs = entries.enumerated().map { i, names in
                Reference(span: Span(i * 10, i * 10 + 5), authors: names, year: "2020", title: "T\(i)")
            }
            var readings = NameReadings(capacity: 0)
            for r in refs { for p in r.authors { _ = readings.variantID(p) } }
            sizes.append(readings.variants.filter { $0.family == "khan" }.count)

            let got = ConcentrationScreen(options: .init()).authors(refs)
            let expected = ConcentrationGroupingTests.comparingEveryName(refs)
            #expect(got.map(\.display) == expected.map(\.display), "round \(round)")
            #expect(got.map(\.variants) == expected.map(\.variants), "round \(round)")
            #expect(got.map(\.references) == expected.map(\.references), "round \(round)")
        }
        // both ways of splitting were taken
        #expect(sizes.contains { $0 <= 64 } && sizes.contains { $0 > 64 }, "\(sizes)")
    }

    /// The family name shown for a person is the one most often written in mixed case (of two as
    /// often, the first in order), or else the most frequent capitalized: as counting each form in
    /// a dictionary gives it.
    @Test func displayFamilyCountsEachForm() {
        #expect(ConcentrationScreen.displayFamily(["KHAN", "KHAN", "Khan"]) == "Khan")
        #expect(ConcentrationScreen.displayFamily(["KHAN"]) == "Khan")
        #expect(ConcentrationScreen.displayFamily(["KHAN", "MCKHAN", "MCKHAN"]) == "Mckhan")
        #expect(ConcentrationScreen.displayFamily(["khan", "Khan"]) == "Khan")
        #expect(ConcentrationScreen.displayFamily([]) == "")
        func counted(_ forms: [String]) -> String {
            var counts: [String: Int] = [:]
            for f in forms { counts[f, default: 0] += 1 }
            let mixed = counts.keys.filter { $0 != $0.uppercased() }
            if let best = mixed.max(by: { counts[$0]! != counts[$1]! ? counts[$0]! < counts[$1]! : $0 > $1 }) { return best }
            return (counts.keys.max(by: { counts[$0]! != counts[$1]! ? counts[$0]! < counts[$1]! : $0 > $1 }) ?? "").capitalized
        }
        var seed: UInt64 = 3
        func random(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let pool = ["Khan", "KHAN", "khan", "Kahn", "KAHN", "Adler-Nissen", "ADLER-NISSEN", "Tomaševski", "TOMAŠEVSKI", "Tomas\u{030C}evski"]
        for round in 0..<500 {
            let forms = (0..<(1 + random(6))).map { _ in pool[random(pool.count)] }
            #expect(ConcentrationScreen.displayFamily(forms) == counted(forms), "round \(round): \(forms)")
        }
    }
}
