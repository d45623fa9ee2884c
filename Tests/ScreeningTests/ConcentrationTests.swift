import AssayCore
import Foundation
import Testing
@testable import Screening

@Suite struct ConcentrationTests {
    /// Seed 004 cites A. Khan in 19 of its 33 references.
    @Test func seed004IsFlaggedWithTheAuthorAndShare() throws {
        let d = try Fixtures.screened(Fixtures.seed("004"))
        #expect(d.references.count == 33)
        let found = d.findings.filter { $0.kind == .citationConcentration }
        let khan = try #require(found.first)
        #expect(khan.severity == .warning)
        #expect(khan.message.hasPrefix("A. Khan is an author of 19 of the 33 references (58%)"))
        #expect(khan.references.count == 19)
        #expect(khan.references == khan.references.sorted())
        #expect(khan.score == 0.58)
        #expect(khan.citations.isEmpty)
        // the entries it names are the ones with an A. Khan among their authors
        for r in khan.references {
            #expect(d.references[r].authors.contains { $0.family.lowercased() == "khan" && ($0.given ?? "").uppercased().hasPrefix("A") })
        }
        #expect(!khan.references.contains { d.references[$0].authors.first?.family == "Zwingel" })
        print("seed 004 concentration: " + found.map(\.message).joined(separator: " | "))
    }

    @Test func seed000HasNone() throws {
        let d = try Fixtures.screened(Fixtures.seed("000"))
        #expect(d.references.count >= 10)
        #expect(!d.findings.contains { $0.kind == .citationConcentration })
        let top = try #require(ConcentrationScreen(options: .init()).authors(d.references).first)
        print("seed 000 most frequent author: \(top.display) in \(top.references.count) of \(d.references.count)")
        #expect(Double(top.references.count) / Double(d.references.count) < 0.1)
    }

    /// The ways reference lists write one person are recognized as one; different people are not.
    @Test func nameVariantsAreOnePerson() throws {
        func v(_ family: String, _ given: String?) -> AuthorVariant { AuthorVariant(PersonName(family: family, given: given))! }
        let forms = [v("Khan", "A."), v("KHAN", "A."), v("Khan", "A. S. I. F."), v("Asif Khan", nil), v("Khan", "Asif"), v("Khan", "A")]
        for a in forms { for b in forms { #expect(a.compatible(with: b), "\(a.written) / \(b.written)") } }
        #expect(v("Khan", "A. S. I. F.").name == "asif")
        #expect(v("Asif Khan", nil).family == "khan" && v("Asif Khan", nil).name == "asif")
        #expect(v("Khan", "L.B.").initials == "lb")
        #expect(!v("Khan", "M. I.").compatible(with: v("Khan", "A.")))
        #expect(!v("Khan", "Asif").compatible(with: v("Khan", "Ahmed")))
        #expect(!v("Khan", "A. S.").compatible(with: v("Khan", "A. R.")))
        #expect(!v("Khan", "A.").compatible(with: v("Kahn", "A.")))
        #expect(v("Tomaševski", "K.").family == "tomasevski")
    }

    func list(_ authors: [[(String, String?)]]) -> [Reference] {
        authors.enumerated().map { i, names in
            Reference(span: Span(i * 10, i * 10 + 5), authors: names.map { PersonName(family: $0.0, given: $0.1) }, year: "2020", title: "T\(i)")
        }
    }

    @Test func groupingAndThresholds() throws {
        // 12 entries: Khan, A. in five ways across 5, another Khan (M. I.) in 2, fillers
        var entries: [[(String, String?)]] = [
            [("Khan", "A.")], [("KHAN", "A.")], [("Khan", "A. S. I. F."), ("Usman", "M.")], [("Asif Khan", nil)],
            [("Bhatti", "S. H."), ("Khan", "A.")], [("Khan", "M. I.")], [("Khan", "M. I."), ("Riaz", "N.")],
        ]
        for name in ["Avdeyeva", "Blanchfield", "Keller", "Maisley", "Shope"] { entries.append([(name, "B.")]) }
        let refs = list(entries)
        let authors = ConcentrationScreen(options: .init()).authors(refs)
        let top = try #require(authors.first)
        #expect(top.display == "A. Khan")
        #expect(top.references == [0, 1, 2, 3, 4])
        #expect(Set(top.variants) == ["Khan, A.", "KHAN, A.", "Khan, A. S. I. F.", "Asif Khan"])
        #expect(authors.contains { $0.display == "M. Khan" && $0.references == [5, 6] })

        var d = Document(source: "t", raw: [])
        d.references = refs
        let f = ConcentrationScreen(options: .init()).findings(d)
        #expect(f.count == 1)
        #expect(f.first?.message.hasPrefix("A. Khan is an author of 5 of the 12 references (42%)") == true)
        #expect(f.first?.references == [0, 1, 2, 3, 4])
        // thresholds from the settings
        #expect(ConcentrationScreen(options: .init(share: 0.5, minReferences: 10, minCount: 3)).findings(d).isEmpty)
        #expect(ConcentrationScreen(options: .init(share: 0.25, minReferences: 13, minCount: 3)).findings(d).isEmpty)
        #expect(ConcentrationScreen(options: .init(share: 0.25, minReferences: 10, minCount: 6)).findings(d).isEmpty)
    }

    /// Two people of one family name and initial listed in the same entry are two people: the
    /// second is not merged into the first.
    @Test func coAuthorsInOneEntryAreDifferentPeople() throws {
        let refs = list([
            [("Khan", "A.")], [("Khan", "A.")], [("Khan", "A.")],
            [("Khan", "A. S."), ("Bibi", "A."), ("Khan", "A.")], [("Khan", "A. S.")],
        ])
        let authors = ConcentrationScreen(options: .init()).authors(refs)
        #expect(authors.first?.references == [0, 1, 2, 3])
        #expect(authors.contains { $0.variants == ["Khan, A. S."] && $0.references == [3, 4] })
    }

    @Test func shortListsAreNotJudged() throws {
        var d = Document(source: "t", raw: [])
        d.references = list(Array(repeating: [("Khan", "A.")], count: 9))
        #expect(ConcentrationScreen(options: .init()).findings(d).isEmpty)
        d.references = list(Array(repeating: [("Khan", "A.")], count: 10))
        #expect(ConcentrationScreen(options: .init()).findings(d).count == 1)
    }
}

@Suite struct ConcentrationGroupingTests {
    func list(_ authors: [[(String, String?)]]) -> [Reference] {
        authors.enumerated().map { i, names in
            Reference(span: Span(i * 10, i * 10 + 5), authors: names.map { PersonName(family: $0.0, given: $0.1) }, year: "2020", title: "T\(i)")
        }
    }

    /// A group takes, most entries first, each way of writing the name that fits all of it: `A.`
    /// then `A. B.` (so not `A. C.`), `Asif` (so not `Ahmed`), one with no initials; `A. C.` then
    /// gathers `Ahmed`.
    @Test func aGroupNarrowsAsItGrows() throws {
        let refs = list([
            [("Khan", "A.")], [("Khan", "A.")], [("Khan", "A.")], [("Khan", "A.")],
            [("Khan", "A. B.")], [("Khan", "A. B.")], [("Khan", "A. B.")],
            [("Khan", "A. C.")], [("Khan", "A. C.")],
            [("Khan", "Asif")], [("Khan", "Ahmed")], [("KHAN", nil)], [("Khan", "B.")],
        ])
        let authors = ConcentrationScreen(options: .init()).authors(refs)
        #expect(authors.map(\.display) == ["A. Khan", "A. Khan", "B. Khan"])
        #expect(authors.map(\.variants) == [["Khan, A.", "Khan, A. B.", "Khan, Asif", "KHAN"], ["Khan, A. C.", "Khan, Ahmed"], ["Khan, B."]])
        #expect(authors.map(\.references) == [[0, 1, 2, 3, 4, 5, 6, 9, 11], [7, 8, 10], [12]])
    }

    /// A name beside one of a group's names in an entry stays out of that group and may join a
    /// later one: `Khan` (no initials) is beside `A.`, so it seeds a group of its own and gathers `B.`.
    @Test func aNameBesideOneOfTheGroupJoinsAnother() throws {
        let refs = list([
            [("Khan", "A.")], [("Khan", "A.")], [("Khan", "A.")], [("Khan", "A."), ("Khan", nil)],
            [("Khan", "A. S.")], [("Khan", "A. S.")], [("Khan", nil)], [("Khan", "B.")],
        ])
        let authors = ConcentrationScreen(options: .init()).authors(refs)
        #expect(authors.map(\.display) == ["A. Khan", "B. Khan"])
        #expect(authors.map(\.variants) == [["Khan, A.", "Khan, A. S."], ["Khan", "Khan, B."]])
        #expect(authors.map(\.references) == [[0, 1, 2, 3, 4, 5], [3, 6, 7]])
    }

    /// The grouping gives what comparing each seed with every other way of writing the name gives,
    /// on made-up lists mixing initials, first names, names with none, and names side by side.
    @Test func groupingMatchesTheComparisonWithEveryName() throws {
        var seed: UInt64 = 42
        func random(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let givens = ["A.", "A. B.", "A. B. C.", "A. C.", "A. S. I. F.", "Asif", "Ahmed", "Asif B.", "B.", "B. A.", "Bilal",
                      "A B", "AB", "L.B.", "", "A. Bc", "A. Bc D.", "Å.", "Ä. B.", "Ébène", "E."]
        for round in 0..<40 {
            var entries: [[(String, String?)]] = []
            for _ in 0..<(10 + random(40)) {
                var names: [(String, String?)] = []
                for _ in 0..<(1 + random(3)) {
                    let g = givens[random(givens.count)]
                    let family = ["Khan", "KHAN", "Kahn"][random(3)]
                    names.append(g.isEmpty ? (random(2) == 0 ? (family, nil) : ("Asif " + family, nil)) : (family, g))
                }
                entries.append(names)
            }
            let refs = list(entries)
            let got = ConcentrationScreen(options: .init()).authors(refs)
            let expected = Self.comparingEveryName(refs)
            #expect(got.map(\.display) == expected.map(\.display), "round \(round)")
            #expect(got.map(\.variants) == expected.map(\.variants), "round \(round)")
            #expect(got.map(\.references) == expected.map(\.references), "round \(round)")
        }
    }

    /// The grouping as first written: each seed compared with every other variant of its family.
    static func comparingEveryName(_ references: [Reference]) -> [ConcentrationScreen.Author] {
        var names = NameReadings(capacity: 0)
        var entries: [[Int]] = []
        var perReference: [[Int]] = []
        for (ri, r) in references.enumerated() {
            var here: [Int] = []
            for p in r.authors {
                guard let id = names.variantID(p) else { continue }
                while entries.count <= id { entries.append([]) }
                if entries[id].last != ri { entries[id].append(ri) }
                if !here.contains(id) { here.append(id) }
            }
            perReference.append(here)
        }
        let variants = names.variants
        var together = [Set<Int>](repeating: [], count: variants.count)
        for here in perReference { for a in here { for b in here where a != b { together[a].insert(b) } } }
        var byFamily: [String: [Int]] = [:]
        for (i, v) in variants.enumerated() { byFamily[v.family, default: []].append(i) }
        var out: [ConcentrationScreen.Author] = []
        for family in byFamily.keys.sorted() {
            let members = byFamily[family]!.sorted {
                entries[$0].count != entries[$1].count ? entries[$0].count > entries[$1].count : $0 < $1
            }
            var assigned = Set<Int>()
            for seed in members where !assigned.contains(seed) {
                var cluster = [seed]
                assigned.insert(seed)
                for other in members where !assigned.contains(other) {
                    if cluster.allSatisfy({ variants[$0].compatible(with: variants[other]) && !together[$0].contains(other) }) {
                        cluster.append(other)
                        assigned.insert(other)
                    }
                }
                let refs = Set(cluster.flatMap { entries[$0] })
                let familyName = ConcentrationScreen.displayFamily(cluster.map { variants[$0].familyWritten })
                let initial = cluster.lazy.compactMap { variants[$0].initials.first }.first.map { "\(String($0).uppercased()). " } ?? ""
                var written: [String] = []
                for v in cluster where variants[v].written != variants[seed].written && !written.contains(variants[v].written) {
                    written.append(variants[v].written)
                }
                out.append(.init(display: initial + familyName, variants: [variants[seed].written] + written, references: refs.sorted()))
            }
        }
        out.sort { $0.references.count != $1.references.count ? $0.references.count > $1.references.count : $0.display < $1.display }
        return out
    }
}
