import Testing
@testable import Entities

/// Words the run of plain words (`plainWordRun`) takes besides lower-case ones with a capital first:
/// capitals and digits ("UN", "NGOs", "G20", "2019"), a possessive "'s" or "’s" after a word, a
/// curly quote or a dash after it; and the shapes next to them it must leave to the scan ("it's",
/// "don’t", "1990s", "A4", "café", "WWW.x"). Tokens and flags must be those the general scan
/// makes, at every cut of the text and with a skipped range at every place; the index notes must be
/// those of the tokens, and the lines in capitals those the general scan finds (the "S" of "'S"
/// counts as a capital).
struct RunWordShapesTests {
    static let texts = [
        "the court's view and the UN’s report of the women's rights, the NGOs' work and IMF loans.",
        "the state’s agents held the MINISTER'S office in 2019 and 2020, with G20 and the EU in it.",
        "the report said “the court was clear” and the state — or its agents — acted in 1990s cases.",
        "it's the court’s view that don’t and won't hold; the O'Brien case and the A4 page in it.",
        "the café of the state's agents and the UN2 body of 12 states, 3.5 per cent and 2004s rules.",
        "see WWW.example.org and the www’s text, the UN.\nthe ICC's and ICJ's judges in a case’s end.",
        "the state's\nagents, the court’s\tview and the NGOs’s report, the X's and 's of the case's",
        "THE UN'S AND NGO’S\nthe state's agents and the court’s view, the EU'S 12 LAWS'\nof it.",
        "the internationalisation of the court's CHARACTERISATIONS' end and the state's 1234567890123456 case",
    ]

    /// The index notes `IndexBuffer.note` keeps for `tokens` (names and pattern candidates).
    static func expectedIndex(_ tokens: [Token]) -> TokenIndex {
        var index = TokenIndex()
        for (k, t) in tokens.enumerated() {
            if t.info & WordClass.startsName.rawValue != 0 && t.flags.rawValue & DocAnalysis.nameStartMask == TokenFlags.word.rawValue {
                index.nameStarts.append(Int32(k))
            }
            let f = t.flags.rawValue
            var c = (t.info & WordClass.patternStart.rawValue) | (f & TokenFlags.acronymShape.rawValue) | (t.punct == 0x28 ? 1 : 0)
            let digits = TokenFlags.word.rawValue | TokenFlags.hasDigit.rawValue
            if f & (digits | TokenFlags.hasLetter.rawValue) == digits && (t.length <= 2 || t.length == 4) { c = 1 }
            if c != 0 { index.candidates.append(Int32(k)) }
        }
        return index
    }

    static func check(_ bytes: [UInt8], skip: [Range<Int>]) {
        let (fast, general) = LineBreakRunTests.both(bytes, skip: skip)
        #expect(fast == general, "\(String(decoding: bytes, as: UTF8.self).debugDescription) skip \(skip)")
        let doc = Tokenizer.tokenizeDocument(bytes, skip: skip, table: LineBreakRunTests.table)
        let want = expectedIndex(doc.tokens)
        #expect(doc.index.candidates == want.candidates && doc.index.nameStarts == want.nameStarts,
                "\(String(decoding: bytes, as: UTF8.self).debugDescription) skip \(skip)")
    }

    @Test func wordShapesInRunsAsTheGeneralScanTakesThem() {
        for text in Self.texts {
            let bytes = Array(text.utf8)
            for cut in 0...bytes.count { Self.check(Array(bytes[0..<cut]), skip: []) }
            for s in 0..<bytes.count {
                for len in [1, 6, 21] { Self.check(bytes, skip: [s..<min(bytes.count, s + len)]) }
            }
        }
    }

    /// Texts of fragments in random order (a fixed seed): the shapes next to each other in every way.
    @Test func randomFragmentsAsTheGeneralScanTakesThem() {
        let parts = ["the ", "court", "UN", "NGOs", "’s", "'s", "'S", "’", "'", "2019", "G20", "A4", " ", "  ", ".", ", ", ". ",
                     "\n", "—", "”", "“", "(", "-", "www.", "café", "don't", "\t", "s", "Abc", "internationalisations",
                     "CHARACTERISATIONS", "x@y", "://", "state", "O'Brien", ") "]
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            // SplitMix64: the same texts on every run.
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<(8 + next(24)) { text += parts[next(parts.count)] }
            let bytes = Array(text.utf8)
            Self.check(bytes, skip: [])
            let s = next(bytes.count + 1)
            Self.check(bytes, skip: [s..<min(bytes.count, s + 1 + next(12))])
        }
    }

    /// The texts hold the shapes meant: one token each, with the flags of their shape.
    @Test func runTakesTheShapes() {
        let bytes = Array("the court's view of the UN’s and the NGOs report of 2019 for the “state” in it".utf8)
        let tokens = Tokenizer.tokenizeDocument(bytes, table: LineBreakRunTests.table).tokens
        func token(_ s: String) -> Token? {
            tokens.first { String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self) == s }
        }
        #expect(token("court")?.flags.contains(.possessive) == true)
        #expect(token("UN")?.flags.contains([.possessive, .acronymShape, .allUpper]) == true)
        #expect(token("NGOs")?.flags.contains(.acronymShape) == true)
        #expect(token("2019")?.flags.contains(.hasDigit) == true)
        #expect(token("state")?.flags.contains(.joined) == true)
        #expect(tokens.count == 19)
    }
}
