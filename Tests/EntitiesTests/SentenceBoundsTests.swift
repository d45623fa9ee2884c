import AssayCore
import Foundation
import Testing
@testable import Entities

/// A fact statement is compared only with what its own sentence names: the treaty or law, and
/// Pakistan for a ratification or signature. The sentence is found around each dated statement
/// (its first token, and the first token of the next sentence), not for every mention.
struct SentenceBoundsTests {
    static func facts(_ text: String) -> [Finding] {
        analyzed(text).findings.filter { $0.kind == .factMismatch }
    }

    @Test func pakistanCountsOnlyInTheStatementsSentence() {
        // Before or after the verb, in the sentence: the ratification is Pakistan's.
        #expect(SentenceBoundsTests.facts("Pakistan ratified the ICCPR in 2008.").count == 1)
        #expect(SentenceBoundsTests.facts("The ICCPR was ratified in 2008 by Pakistan.").count == 1)
        // In the sentence before or after: someone else's.
        #expect(SentenceBoundsTests.facts("Pakistan is a member. The ICCPR was ratified in 2008.").isEmpty)
        #expect(SentenceBoundsTests.facts("The ICCPR was ratified in 2008. Pakistan is a member.").isEmpty)
    }

    @Test func theTreatyMustBeInTheStatementsSentence() {
        #expect(SentenceBoundsTests.facts("It was adopted in 1978, and CEDAW is a framework.").count == 1)
        // Within reach of the verb, but in the next sentence (or the one before).
        #expect(SentenceBoundsTests.facts("It was adopted in 1978. CEDAW is a framework.").isEmpty)
        #expect(SentenceBoundsTests.facts("CEDAW is a framework. It was adopted in 1978.").isEmpty)
    }

    @Test func statementsInOneSentenceEachFindTheirOwnTreaty() {
        // Several statements in one sentence (the first answer about its bounds is kept for the
        // next statements), each with the treaty nearest to it.
        let f = SentenceBoundsTests.facts(
            "The ICCPR entered into force in 1977 and CEDAW was adopted in 1978 while the CRC was adopted in 1989.")
        #expect(f.count == 2)
        #expect(f.contains { $0.message.contains("International Covenant on Civil and Political Rights") })
        #expect(f.contains { $0.message.contains("Discrimination against Women") })
    }

    /// The byte fast paths of the acronym finder answer as the String operations they replace.
    @Test func acronymFinderFastPathsAgreeWithStringOperations() {
        let texts = [
            "", "a", "Human Rights Commission", "  two  spaces  here ", "Commission on the Status of Women",
            "National Commission on the Status of Women NCSW", "Café des Droits", "x \u{301}y z", "tab\tseparated words",
        ]
        let parts = ["HRC", "Rights", "on the", "Women", "NCSW", "é", "ab", "y z", "s"]
        for t in texts {
            #expect(AcronymFinder.wordCount(t) == t.split(separator: " ").count, "\(t)")
            for p in parts { #expect(AcronymFinder.contains(t, p) == t.contains(p), "\(t) / \(p)") }
        }
    }
}
