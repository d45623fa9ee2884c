import AssayCore
import Foundation
import Testing
@testable import Entities

struct StageTests {
    /// Every span is on UTF-8 boundaries and inside the text, entities are sorted, findings point
    /// at existing entities.
    @Test func spansAreValidAndSorted() throws {
        var docs = try ["000", "001", "002", "003", "004"].map { try seed($0) }
        docs.append(plainDocument("Tomaševski’s “CEDAW” – the UN’s ‘HRC’ … Türkiye and Zürich; Article 19 of the Constitution, 18 December 1979."))
        for var d in docs {
            try defaultStage.process(&d)
            var previous: Span?
            for e in d.entities {
                #expect(e.span.start >= 0 && e.span.end <= d.textBytes.count && e.span.start < e.span.end)
                // Not in the middle of a multi-byte character.
                #expect(d.textBytes[e.span.start] & 0xC0 != 0x80)
                #expect(e.span.end == d.textBytes.count || d.textBytes[e.span.end] & 0xC0 != 0x80)
                if let p = previous { #expect(p.end <= e.span.start, "no overlapping entities") }
                previous = e.span
                // Text round-trips through String.
                #expect(Array(d.string(e.span).utf8) == Array(d.textBytes[e.span.range]))
            }
            for f in d.findings { #expect(f.entities.allSatisfy { $0 < d.entities.count }) }
        }
    }

    @Test func referenceListIsNotSearched() throws {
        var d = try seed("000")
        try defaultStage.process(&d)
        let refs = try #require(d.referencesSection)
        #expect(!d.entities.contains { refs.span.contains($0.span) })
        // "Supreme Court v. Necropolitics ... in Brazil" is a title in the references.
        #expect(!d.entities.contains { d.string($0.span).contains("Supreme Court") })
        // With the references searched, the titles there are tagged too.
        var settings = StageSettings(file: "t.yaml", stage: "entities", stageLine: 1,
                                     values: ["skipSections": (.list([]), 2)])
        let all = try EntitiesStage(settings: &settings, context: pipelineContext)
        var d2 = try seed("004")
        try all.process(&d2)
        let refs2 = try #require(d2.referencesSection)
        #expect(d2.entities.contains { refs2.span.contains($0.span) && $0.key == "rome-statute" })
    }

    @Test func keepsEarlierEntitiesAndRemapsFindings() {
        var d = plainDocument("Pakistan acceded to CEDAW. Later text here.")
        d.entities = [Entity(type: .person, span: Span(27, 32), key: nil)]
        d.findings = [Finding(kind: .topicMismatch, message: "x", entities: [0])]
        try! defaultStage.process(&d)
        let idx = d.entities.firstIndex { $0.type == .person }!
        #expect(d.findings[0].entities == [idx])
        #expect(d.entities.map(\.span) == d.entities.map(\.span).sorted())
    }

    /// The stage is built once and used from several threads: the results are the same as one by one.
    @Test func concurrentUseGivesTheSameResult() async throws {
        let docs = try ["000", "001", "002", "003", "004"].map { try seed($0) }
        let sequential = docs.map { d -> [Entity] in
            var d = d
            try! defaultStage.process(&d)
            return d.entities
        }
        let stage = defaultStage
        let parallel = await withTaskGroup(of: (Int, [Entity]).self) { group in
            for round in 0..<4 {
                for (i, d) in docs.enumerated() {
                    group.addTask {
                        var d = d
                        try! stage.process(&d)
                        return (i + round * 0, d.entities)
                    }
                }
            }
            var out: [(Int, [Entity])] = []
            for await r in group { out.append(r) }
            return out
        }
        for (i, entities) in parallel { #expect(entities == sequential[i]) }
    }

    @Test func settingsAreReadAndChecked() throws {
        var settings = StageSettings(file: "p.yaml", stage: "entities", stageLine: 3, values: [
            "gazetteers": (.list([.string("gazetteers/treaties.yaml"), .string("gazetteers/places.yaml")]), 4),
            "dates": (.bool(false), 5),
            "constitution": (.string(""), 6),
        ])
        let stage = try EntitiesStage(settings: &settings, context: pipelineContext)
        #expect(settings.unknown.isEmpty)
        var d = plainDocument("In 2016 Pakistan ratified nothing new under CEDAW; the HRCP disagreed.")
        try stage.process(&d)
        #expect(d.entities.map { d.string($0.span) } == ["Pakistan", "CEDAW"])

        var missing = StageSettings(file: "p.yaml", stage: "entities", stageLine: 3,
                                    values: ["gazetteers": (.list([.string("gazetteers/nope.yaml")]), 7)])
        #expect {
            _ = try EntitiesStage(settings: &missing, context: pipelineContext)
        } throws: { e in
            guard let c = e as? ConfigError else { return false }
            return c.line == 7 && c.message.contains("nope.yaml")
        }
        var badKind = StageSettings(file: "p.yaml", stage: "entities", stageLine: 3,
                                    values: ["skipSections": (.list([.string("refs")]), 8)])
        #expect(throws: ConfigError.self) { _ = try EntitiesStage(settings: &badKind, context: pipelineContext) }
    }
}

struct GazetteerFileTests {
    static let dir = repoRoot.appendingPathComponent("pipelines/gazetteers")

    /// The fast reader and Yams read the shipped gazetteers the same way (and the fast one is used).
    @Test func fastReaderAgreesWithYams() throws {
        for name in EntitiesStage.defaultGazetteers {
            let url = pipelineContext.resolve(name)
            let bytes = [UInt8](try Data(contentsOf: url))
            let fast = try YAMLReader.parse(bytes)
            #expect(!fast.usedYams, "\(name) needs the Yams fallback")
            let yams = try YAMLReader.parseWithYams(bytes)
            #expect(fast.value == yams, "\(name)")
        }
    }

    @Test func yamsFallbackForTheRest() throws {
        let text = """
        base: &b
          type: organization
        entries:
          - key: folded
            type: organization
            label: >
              A Folded
              Label Organization
            aliases:
              - "Folded Org"
        """
        let parsed = try YAMLReader.parse(Array(text.utf8))
        #expect(parsed.usedYams)
        let entries = try GazetteerLoader.entries(from: parsed.value, file: "x.yaml")
        #expect(entries.first?.label == "A Folded Label Organization\n")
    }

    @Test func errorsNameTheFileAndEntry() throws {
        func load(_ text: String) throws -> [GazetteerEntry] {
            let parsed = try YAMLReader.parse(Array(text.utf8))
            return try GazetteerLoader.entries(from: parsed.value, file: "bad.yaml")
        }
        let cases: [(String, String)] = [
            ("entries:\n  - {key: a, type: treaty, label: A, alias: [x]}\n", "unknown field 'alias'"),
            ("entries:\n  - {key: a, type: treety, label: A}\n", "unknown type 'treety'"),
            ("entries:\n  - {key: a, type: treaty, label: A, facts: {adopted: {value: 1979}}}\n", "needs its 'source'"),
            ("entries:\n  - {key: a, type: treaty, label: A, facts: {adopted: {value: 18 Dec 1979, source: x}}}\n", "must be a date"),
            ("entries:\n  - {key: a, type: treaty, label: A, aliases: [Act, 2016]}\n", "has no letter"),
            ("entries:\n  - {key: A B, type: treaty, label: A}\n", "a key is lower-case"),
        ]
        for (text, message) in cases {
            #expect(throws: GazetteerError.self) { _ = try load(text) }
            do { _ = try load(text) } catch let e as GazetteerError {
                #expect(e.description.contains("bad.yaml") && e.description.contains(message), "\(e.description)")
            }
        }
        let dup = try load("entries:\n  - {key: a, type: treaty, label: A}\n  - {key: a, type: law, label: B}\n")
        #expect(throws: GazetteerError.self) { _ = try Lexicon(entries: dup) }
    }

    @Test func shippedGazettersCoverTheBrief() throws {
        let keys = Set(defaultStage.lexicon.entries.map(\.key))
        for k in ["udhr", "icerd", "iccpr", "icescr", "cedaw", "cat", "crc", "icmw", "cped", "crpd", "op-cedaw", "iccpr-op1",
                  "iccpr-op2", "op-icescr", "opac", "opsc", "opcat", "op-crpd", "beijing-declaration", "hrd-declaration",
                  "rome-statute", "geneva-conventions",
                  "pk-constitution-1973", "pk-ppc-1860", "pk-ppc-295a", "pk-ppc-295b", "pk-ppc-295c", "pk-peca-2016",
                  "pk-peca-amendment-2025", "pk-ata-1997", "pk-hudood-1979", "pk-powa-2006", "pk-punjab-ppwva-2016",
                  "pk-tpa-2018", "pk-nchr-act-2012",
                  "unga", "unhrc", "ohchr", "ccpr-committee", "cedaw-committee", "un-special-rapporteurs", "nchr", "mohr",
                  "pk-supreme-court", "kp-directorate-human-rights", "hrcp", "amnesty", "hrw", "aurat-foundation",
                  "edhi-foundation", "acid-survivors-foundation", "blue-veins", "the-awakening", "dri", "imf", "world-bank",
                  "eu", "taliban", "ttp", "upr", "special-procedures", "gsp-plus", "punjab", "sindh", "khyber-pakhtunkhwa",
                  "balochistan", "islamabad", "lahore", "karachi"] {
            #expect(keys.contains(k), "\(k)")
        }
        // Every checked fact has a source; CEDAW and ICCPR carry the dates the brief gives.
        for e in defaultStage.lexicon.entries { for f in e.facts { #expect(!f.source.isEmpty) } }
        let cedaw = defaultStage.lexicon.entries.first { $0.key == "cedaw" }!
        #expect(cedaw.fact("adopted")?.value == "1979-12-18")
        #expect(cedaw.fact("inForce")?.value == "1981-09-03")
        #expect(cedaw.fact("pkRatification")?.value == "1996-03-12")
        let iccpr = defaultStage.lexicon.entries.first { $0.key == "iccpr" }!
        #expect(iccpr.fact("adopted")?.value == "1966-12-16")
        #expect(iccpr.fact("inForce")?.value == "1976-03-23")
        #expect(iccpr.fact("pkRatification")?.value == "2010-06-23")
    }
}

struct CompilerTests {
    /// Names compiled by the fast path (ASCII letters, digits, spaces) meet the document tokenizer.
    @Test func plainNamesMatchLikeOthers() throws {
        let names = ["18th Amendment", "iPhone Users Forum", "G20 Summit", "Act 2016 Watch", "UNHRC Friends", "Mo HR"]
        let entries = names.enumerated().map { i, name in
            GazetteerEntry(key: "n\(i)", type: .entity(.organization), label: name, aliases: [], exactAliases: [],
                           acronyms: [], facts: [], cues: [], preferred: false, preferredNames: [], parent: nil,
                           ordinal: nil, instrument: nil, number: nil, amendedBy: [], file: "t")
        }
        let stage = try EntitiesStage(entries: entries)
        for (i, name) in names.enumerated() {
            // A lower->upper change splits a token ("iPhone" = "i Phone"), so such a name is found
            // as written; the others in any case.
            let camel = name != name.uppercased() && name.first!.isLowercase
            var d = plainDocument("Before \(camel ? name : name.uppercased()) and \(name), after.")
            try stage.process(&d)
            #expect(d.entities.filter { $0.key == "n\(i)" }.count == 2, "\(name)")
        }
    }
}

struct RobustnessTests {
    /// Random mixes of names, punctuation, numbers and multi-byte characters: no crash, valid spans.
    @Test func randomTextsGiveValidSpans() throws {
        let pieces = ["CEDAW", "(", ")", "Article", "Art.", "19", "-A", "(a)", "of the", "Constitution", "Act", ",", "2016",
                      "Optional Protocol to the", "ICCPR", "HRC", "Human Rights Committee", "’s", "'s", "\n", "\n\n", "\t",
                      "UN", "Foundation", "Ministry of", "Human Rights", "Pakistan", "adopted in", "1979", "entered into force",
                      "December", "18", "Tomaševski", "“", "”", "–", "-", ".", "PECA", "section", "295", "C", "The", "and",
                      "NGOs", "Committee on", "By:", "Amanda Siddharta", "in", "Second", "GSP+", "https://x.org/a", "a@b.co",
                      "ÆØÅ", "🙂", "\u{00A0}", "XVI", "of", "No.", "ss.", "s.", "KHAN", "et al.", "Directorate General of"]
        var rng: UInt64 = 7
        for _ in 0..<300 {
            var text = ""
            let count = Int(rng % 60) + 1
            for _ in 0..<count {
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int(rng >> 33) % pieces.count]
                if (rng >> 20) % 3 != 0 { text += " " }
            }
            var d = plainDocument(text)
            try defaultStage.process(&d)
            var previous: Span?
            for e in d.entities {
                #expect(e.span.start >= 0 && e.span.start < e.span.end && e.span.end <= d.textBytes.count)
                #expect(d.textBytes[e.span.start] & 0xC0 != 0x80)
                #expect(e.span.end == d.textBytes.count || d.textBytes[e.span.end] & 0xC0 != 0x80)
                if let p = previous { #expect(p.end <= e.span.start, "no overlapping entities") }
                previous = e.span
            }
            for f in d.findings { #expect(f.entities.allSatisfy { $0 < d.entities.count }) }
        }
        var empty = plainDocument("")
        try defaultStage.process(&empty)
        #expect(empty.entities.isEmpty && empty.findings.isEmpty)
    }
}
