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
