import AssayCore
import Testing
@testable import Screening

/// The first look at a reference list (`ConcentrationScreen.findings`): family-name hashes and the
/// entries they are counted in.
@Suite struct FamilyCountTests {
    /// The table counts each key once per entry, as a dictionary would, through its growth.
    @Test func familyCountsCountEachKeyOncePerEntry() {
        var counts = FamilyCounts(capacity: 1)
        var expected: [UInt64: (count: Int, last: Int)] = [:]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for entry in 0..<3000 {
            for _ in 0..<4 {
                x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // few distinct keys (repeated within and across entries), some differing only in their high bits
                let key = (x >> 53) << (x & 1 == 0 ? 0 : 50)
                counts.count(key, entry: entry)
                if let c = expected[key] {
                    if c.last != entry { expected[key] = (c.count + 1, entry) }
                } else {
                    expected[key] = (1, entry)
                }
            }
        }
        var seen: [UInt64: Int] = [:]
        counts.forEach { key, count in
            #expect(seen[key] == nil)
            seen[key] = count
        }
        #expect(seen.count == expected.count)
        for (key, c) in expected { #expect(seen[key] == c.count, "key \(key)") }
    }

    /// For a name in ASCII, the hash is that of the family its variant reads; a name outside ASCII
    /// has none (it is read in full).
    @Test func asciiFamilyHashIsThatOfTheVariantsFamily() throws {
        let names: [PersonName] = [
            PersonName(family: "Khan", given: "A."), PersonName(family: " KHAN\t", given: "A. S. I. F."),
            PersonName(family: "Asif Khan"), PersonName(family: "Asif  Khan ", given: " \t"),
            PersonName(family: "Adler-Nissen", given: "R."), PersonName(family: "O'Brien"),
            PersonName(family: "van 2der Berg"), PersonName(family: "de la Cruz", given: ""),
            PersonName(family: "Smith\tJones"), PersonName(family: "Mary O'Neill Smith"),
        ]
        for p in names {
            let v = try #require(AuthorVariant(p))
            let hash = try #require(AuthorVariant.asciiFamilyHash(p), "\(p)")
            #expect(hash == AuthorVariant.familyHash(ofKey: v.family), "\(p) -> \(v.family)")
        }
        #expect(AuthorVariant.asciiFamilyHash(PersonName(family: "12 ..", given: "A.")) == .some(nil))
        #expect(AuthorVariant.asciiFamilyHash(PersonName(family: "Tomaševski", given: "K.")) == nil)
        #expect(AuthorVariant.asciiFamilyHash(PersonName(family: "Khan", given: "Ä.")) == nil)
    }

    /// A name in ASCII is read on its bytes as `init` reads any name: its family folded, its
    /// initials, its first name in full or spelled out, as written.
    @Test func asciiNamesAreReadOnTheirBytes() throws {
        func v(_ family: String, _ given: String?) throws -> AuthorVariant { try #require(AuthorVariant(PersonName(family: family, given: given))) }
        let full = try v("Mary O'Neill  Smith ", nil)
        #expect(full.family == "smith" && full.familyWritten == "Smith" && full.initials == "mo" && full.name == "mary")
        #expect(full.written == "Mary O'Neill  Smith")
        let hyphen = try v(" Adler-Nissen", "R. -")
        #expect(hyphen.family == "adlernissen" && hyphen.familyWritten == "Adler-Nissen" && hyphen.initials == "r" && hyphen.name == nil)
        #expect(hyphen.written == "Adler-Nissen, R. -")
        let parts = try v("Khan", "Asif Ali")
        #expect(parts.initials == "aa" && parts.name == "asif")
        let spelled = try v("KHAN", "A.B. C")
        #expect(spelled.initials == "a" && spelled.name == "abc" && spelled.family == "khan")
        let two = try v("Khan", "A.-S.")
        #expect(two.initials == "as" && two.name == nil)
        let digits = try v("van 2der Berg", "")
        #expect(digits.family == "vanderberg" && digits.initials == "" && digits.name == nil)
        #expect(AuthorVariant(PersonName(family: "12 ..", given: "A.")) == nil)
    }

    /// `authors` given the names' hashes already worked out (as `findings` hands them over) finds
    /// what it finds working them out itself: each name read with its own hash, in list order,
    /// names outside ASCII and without letters included.
    @Test func authorsWithHashesGivenMatchAuthorsWorkingThemOut() throws {
        let entries: [[(String, String?)]] = [
            [("Khan", "A."), ("Smith", "J.")], [], [("KHAN", "A."), ("Tomaševski", "K."), ("12 ..", "A.")],
            [("Smith", "J."), ("Asif Khan", nil)], [("Khan", "Ä."), ("Bhatti", "S. H.")], [("Smith", nil)],
        ]
        let refs = entries.enumerated().map { i, names in
            Reference(span: Span(i * 10, i * 10 + 5), authors: names.map { PersonName(family: $0.0, given: $0.1) },
                      year: "2020", title: "T\(i)")
        }
        let hashes = refs.flatMap { $0.authors.map(AuthorVariant.asciiFamilyHash) }
        let screen = ConcentrationScreen(options: .init())
        func summary(_ authors: [ConcentrationScreen.Author]) -> [String] {
            authors.map { "\($0.display) \($0.variants) \($0.references)" }
        }
        for family in ["khan", "smith", "bhatti", "tomasevski"] {
            let families: Set<UInt64> = [AuthorVariant.familyHash(ofKey: family)]
            let expected = summary(screen.authors(refs, families: families))
            #expect(!expected.isEmpty, "\(family)")
            #expect(summary(screen.authors(refs, families: families, asciiHashes: hashes)) == expected, "\(family)")
        }
        // the filter is a real one: Smith's entries are left out for Khan
        #expect(!summary(screen.authors(refs, families: [AuthorVariant.familyHash(ofKey: "khan")], asciiHashes: hashes))
            .contains { $0.contains("Smith") })
    }
}
