import AssayCore
import Testing
@testable import Entities

/// A skipped section on lines of its own (a reference list) is scanned as one token
/// (`Tokenizer.skippedSection`): the tokens around it must be exactly those the scan makes when
/// nothing is skipped, and the section's own tokens, asked for (`Tokenizer.sectionTokens`), those
/// the scan makes there. A section sharing its last line with other text is tokenized as before,
/// each of its tokens marked `.skip` (one sharing its first line, from its second line on).
struct SkippedSectionTests {
    static let table = defaultStage.lexicon.words
    static let body = "The Committee on the Rights of the Child (CRC) met in Geneva.\n\n"
    static let references = "References\nKhan, A. (2021). Courts and CEDAW in Pakistan. Journal of Law, 2(1), 1-10.\nRahman, T. (2018). Mob violence."

    static func show(_ t: Token) -> String { "\(t.start)-\(t.end) id \(t.id) f \(t.flags.rawValue) p \(t.punct) i \(t.info)" }

    /// The tokens of `text` with `skip` and without, and the skipped range.
    static func scan(_ text: String, skip: Range<Int>) -> (skipped: [Token], whole: [Token]) {
        let bytes = Array(text.utf8)
        return (Tokenizer.tokenizeDocument(bytes, skip: [skip], table: table).tokens, Tokenizer.tokenizeDocument(bytes, table: table).tokens)
    }

    /// `text` = before + section + after; the section is skipped and must become one token.
    static func expectOneToken(_ before: String, _ section: String, _ after: String) {
        let text = before + section + after
        let start = before.utf8.count
        let range = start..<(start + section.utf8.count)
        let (skipped, whole) = scan(text, skip: range)
        let sections = skipped.filter { $0.has(.skippedSection) }
        #expect(sections.count == 1, "\(text.debugDescription)")
        guard let s = sections.first else { return }
        let inside = whole.filter { range.contains(Int($0.start)) }
        #expect(Int(s.start) == Int(inside.first!.start) && s.end == inside.last!.end, "\(text.debugDescription)")
        #expect(s.has(.skip) && !s.isWord && s.id == -1)
        // The tokens around it: as if nothing were skipped.
        #expect(skipped.filter { !$0.has(.skippedSection) }.map(show) == whole.filter { !range.contains(Int($0.start)) }.map(show),
                "\(text.debugDescription)")
        // Its own: as the scan makes them there, marked skipped.
        let own = Tokenizer.sectionTokens(Array(text.utf8), s, table: table)
        #expect(own.map(show) == inside.map { var t = $0; t.flags.insert(.skip); return show(t) }, "\(text.debugDescription)")
    }

    @Test func aSectionOnLinesOfItsOwnIsOneToken() {
        let after = "\n\nAppendix\nThe KHAN report, and the HRCP said so.\n"
        Self.expectOneToken(Self.body, Self.references, after)
        // Ending the text; ending in white space and blank lines (the next token's flags come from them).
        Self.expectOneToken(Self.body, Self.references, "")
        Self.expectOneToken(Self.body, Self.references + " \t\n\n", "\tAppendix one\n")
        Self.expectOneToken(Self.body, Self.references + "\n", "\n\nAppendix\n")
        // Starting the text, or after leading white space on its line.
        Self.expectOneToken("", Self.references, after)
        Self.expectOneToken(Self.body + "  ", Self.references, after)
        // A line in capitals after it (marked as before), and one inside it.
        Self.expectOneToken(Self.body, "REFERENCES AND SOURCES CITED\n" + Self.references, "\nANNEX ONE OF THE REPORT\nthe text")
    }

    @Test func aSectionSharingALineIsTokenizedAsBefore() {
        for (before, section, after, fromSecondLine) in [
            (Self.body + "See: ", Self.references, "\nAppendix", true),      // text before it on its first line
            (Self.body, Self.references, " and more text\nAppendix", false),  // text after it on its last line
            (Self.body, Self.references, "-based\nAppendix", false),           // a word going on past its end
        ] {
            let text = before + section + after
            let range = before.utf8.count..<(before.utf8.count + section.utf8.count)
            let (skipped, whole) = Self.scan(text, skip: range)
            let marked = whole.map { t -> Token in
                var t = t
                if range.contains(Int(t.start)) { t.flags.insert(.skip) }
                return t
            }
            let sections = skipped.filter { $0.has(.skippedSection) }
            guard fromSecondLine else {
                #expect(sections.isEmpty && skipped.map(Self.show) == marked.map(Self.show), "\(text.debugDescription)")
                continue
            }
            // Its first line tokenized as before, the rest one token.
            let second = text.utf8.count - (section.drop { $0 != "\n" }.dropFirst().utf8.count + after.utf8.count)
            #expect(sections.count == 1 && sections.first.map { Int($0.start) } == second, "\(text.debugDescription)")
            let covered = sections.first.map { Int($0.start)..<Int($0.end) } ?? 0..<0
            #expect(skipped.filter { !$0.has(.skippedSection) }.map(Self.show) == marked.filter { !covered.contains(Int($0.start)) }.map(Self.show),
                    "\(text.debugDescription)")
        }
    }

    /// A word in capitals is no undefined acronym when the document writes it in title case, in its
    /// reference list too ("KHAN" and "Khan, A."), now that the list is one token.
    @Test func titleCaseInTheReferenceListStillCounts() {
        func undefined(_ text: String, references: String) -> [String] {
            var d = plainDocument(text + references)
            d.sections = [Section(kind: .references, span: Span(text.utf8.count, text.utf8.count + references.utf8.count))]
            try! defaultStage.process(&d)
            return d.findings.filter { $0.kind == .undefinedAcronym }.map(\.message)
        }
        let text = "The QXZ commission heard the case, and the KHAN report was cited by the court.\n\n"
        let withKhan = undefined(text, references: "References\nKhan, A. (2021). Courts. Journal of Law, 2(1), 1-10.")
        #expect(!withKhan.contains { $0.contains("\"KHAN\"") } && withKhan.contains { $0.contains("\"QXZ\"") })
        // Written in capitals in the list, or inside a longer word: no evidence.
        for list in ["References\nKHAN, A. (2021). Courts. Journal of Law.", "References\nKhanna, A. (2021). Courts. Journal of Law."] {
            #expect(undefined(text, references: list).contains { $0.contains("\"KHAN\"") }, "\(list)")
        }
        // Split off by a capital after lower case ("McKhan" reads as "Mc" "Khan") or a letter after
        // a digit ("2021Khan"): evidence.
        for list in ["References\nMcKhan, A. (2021). Courts.", "References\nSee 2021Khan, A. Courts."] {
            #expect(!undefined(text, references: list).contains { $0.contains("\"KHAN\"") }, "\(list)")
        }
        // A word of letters and a digit ("AB2"), followed in the list by a capital after its digit
        // ("Ab2X" reads as "Ab2" "X"): evidence.
        let digits = "The AB2 panel and the court met.\n\n"
        #expect(!undefined(digits, references: "References\nAb2X, A. (2021). Courts.").contains { $0.contains("\"AB2\"") })
        #expect(undefined(digits, references: "References\nAb23, A. (2021). Courts.").contains { $0.contains("\"AB2\"") })
    }
}
