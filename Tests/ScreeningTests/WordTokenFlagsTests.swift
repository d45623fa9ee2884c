import AssayCore
import Foundation
import Testing
@testable import Screening

/// The flags each `WordToken` carries (read with the word's form in the scan's one table look-up)
/// are its key's `DocWords.flags`, whether the form is new, already in the table, or read again in
/// a later document.
@Suite struct WordTokenFlagsTests {
    static let text = Array("""
        The enforced disappearances of human rights defenders and missing persons: a study in psychiatry and \
        criminal law. THE Human Rights of the Missing, of Psychiatry's patients and of an enforced disappearance.
        """.utf8)

    static func collect(_ words: inout DocWords) -> [WordToken] {
        var tokens: [WordToken] = []
        var m = 0
        text.withUnsafeBufferPointer { t in
            words.collect(t, 0, t.count, masks: UnsafeBufferPointer(start: nil, count: 0), m: &m, into: &tokens)
        }
        return tokens
    }

    @Test func tokensCarryTheirKeysFlags() throws {
        var words = DocWords(try Fixtures.stage.vocabulary)
        var seen: UInt8 = 0
        for _ in 0..<2 {  // two documents
            words.begin()
            for _ in 0..<2 {  // new forms, then forms from the table
                let tokens = Self.collect(&words)
                #expect(!tokens.isEmpty)
                for tk in tokens {
                    #expect(tk.flags == words.flags[tk.id], "\(String(decoding: Self.text[tk.start..<tk.end], as: UTF8.self))")
                    #expect(tk.stop == (words.flags[tk.id] & Vocabulary.stopFlag != 0))
                    seen |= tk.flags
                }
            }
        }
        // (the text has words with each flag: stop words, field terms, heads of two-word terms, first words of related terms)
        #expect(seen == Vocabulary.stopFlag | Vocabulary.bigramHeadFlag | Vocabulary.relatedFirstFlag | DocWords.singleFieldFlag)
    }
}
