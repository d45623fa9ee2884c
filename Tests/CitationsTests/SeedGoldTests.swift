import AssayCore
import Foundation
import Testing
@testable import Citations

/// Hand-made gold for seeds 000 and 004 (`Gold/seed000.json`, `Gold/seed004.json`), met exactly:
/// the reference entries (first author, year, title start), every citation's text and the entries
/// it resolves to, and every finding of this stage's kinds.
struct SeedGold: Decodable {
    struct Ref: Decodable { var author: String; var year: String; var title: String }
    struct Cit: Decodable { var text: String; var refs: [Int] }
    struct Find: Decodable { var kind: String; var citation: String?; var refs: [Int] }
    var references: [Ref]
    var citations: [Cit]
    var findings: [Find]

    static func load(_ seed: String) throws -> SeedGold {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Gold/seed\(seed).json")
        return try JSONDecoder().decode(SeedGold.self, from: Data(contentsOf: url))
    }
}

let structuralKinds: Set<Finding.Kind> = [
    .orphanCitation, .uncitedReference, .ambiguousCitation, .yearMismatch, .nameMismatch,
    .givenNameAsSurname, .duplicateReference, .malformedCitation,
]

@Test(arguments: ["000", "004"])
func seedMatchesHandMadeGold(_ seed: String) throws {
    let gold = try SeedGold.load(seed)
    let d = try TestDocs.run(TestDocs.seed(seed))

    // reference entries
    #expect(d.references.count == gold.references.count)
    for (i, g) in gold.references.enumerated() where i < d.references.count {
        let r = d.references[i]
        #expect(r.authors.first?.family == g.author, "entry \(i + 1): \(d.string(r.span).prefix(80))")
        #expect(r.year == g.year, "entry \(i + 1)")
        #expect(r.title?.hasPrefix(g.title) == true, "entry \(i + 1): title \(r.title ?? "nil")")
    }

    // citations and what they resolve to
    #expect(TestDocs.texts(d) == gold.citations.map(\.text))
    for (i, g) in gold.citations.enumerated() where i < d.citations.count {
        #expect(d.citations[i].references.map { $0 + 1 } == g.refs, "citation \(i + 1) '\(g.text)'")
    }
    // citedBy is the inverse
    for (ci, c) in d.citations.enumerated() {
        for r in c.references { #expect(d.references[r].citedBy.contains(ci)) }
    }

    // findings, exactly
    func key(_ kind: String, _ citation: String?, _ refs: [Int]) -> String { "\(kind) | \(citation ?? "-") | \(refs)" }
    let got = d.findings.filter { structuralKinds.contains($0.kind) }.map { f in
        key(f.kind.rawValue, f.citations.first.map { TestDocs.clean(d.string(d.citations[$0].span)) }, f.references.map { $0 + 1 })
    }.sorted()
    let want = gold.findings.map { key($0.kind, $0.citation, $0.refs) }.sorted()
    #expect(got == want)
    #expect(!d.findings.contains { $0.kind == .orphanCitation || $0.kind == .uncitedReference })
    // severities follow the contract; every finding names what it is about and says what to do
    for f in d.findings where structuralKinds.contains(f.kind) {
        #expect(f.severity == f.kind.severity)
        #expect(!f.citations.isEmpty || !f.references.isEmpty)
        #expect(f.message.count > 30)
    }
}

@Test func seed000EveryCitationResolvesAndDuplicatesAreFlagged() throws {
    let d = try TestDocs.run(TestDocs.seed("000"))
    #expect(d.citations.count == 47)
    #expect(d.citations.allSatisfy { $0.references.count == 1 })
    let dups = d.findings.filter { $0.kind == .duplicateReference }
    #expect(dups.count == 2)
    // the copies resolve to nothing, yet are not reported uncited
    for f in dups { #expect(d.references[f.references[1]].citedBy.isEmpty) }
    // the citation broken by a page break
    #expect(TestDocs.texts(d).contains("Suess Schwend, 2020"))
}

@Test func seed004AmbiguitiesAndNameFindings() throws {
    let d = try TestDocs.run(TestDocs.seed("004"))
    #expect(d.findings.filter { $0.kind == .ambiguousCitation }.count >= 8)
    let nm = d.findings.first { $0.kind == .nameMismatch }
    #expect(nm?.message.contains("'Jillani' in the citation; the reference list spells it 'Jiliani' (Khan, Bhatti, & Jiliani, 2021)") == true)
    let usman = d.citations.first { $0.authors == ["Usman"] && $0.year == "2021" }
    #expect(usman?.references.count == 4)
    // exploded initials and given-name-first authors parse to the right families
    let exploded = d.references.first { d.string($0.span).hasPrefix("Usman, M. U. H. A. M. M. A. D., Amjad") }
    #expect(exploded?.authors.map(\.family) == ["Usman", "Amjad", "Khan"])
    #expect(exploded?.authors.first?.given == "Muhammad")
    let givenFirst = d.references.first { d.string($0.span).hasPrefix("Asif Khan") }
    #expect(givenFirst?.authors.map(\.family) == ["Khan", "Usman", "Amjad"])
    #expect(givenFirst?.authors.map { $0.given ?? "" } == ["Asif", "Muhammad", "sohail"])
}
