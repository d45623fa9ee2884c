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
    /// `DocWords.keys` (rarity, stem id, field term: one entry a key) holds what the vocabulary
    /// says of the key's stem, or the unseen rarity and no stem and no field term for a key no
    /// list names, whether the key is new or learnt in an earlier document.
    @Test func keysHoldTheirStemsInfo() throws {
        let vocabulary = try Fixtures.stage.vocabulary
        var words = DocWords(vocabulary)
        var named = 0
        for _ in 0..<2 {  // two documents
            words.begin()
            let tokens = Self.collect(&words)
            #expect(words.keys.count == words.count)
            for tk in tokens {
                let word = String(decoding: Self.text[tk.start..<tk.end], as: UTF8.self)
                let key = words.keys[tk.id]
                #expect(words.fieldTerm(tk.id) == key.fieldTerm)
                if let g = vocabulary.stems.find(vocabulary.key(word)) {
                    named += 1
                    let info = vocabulary.stemInfo[Int(g)]
                    #expect(key.stem == Int(g), "\(word)")
                    #expect(key.rarity == info.rarity, "\(word)")
                    #expect(key.fieldTerm == info.fieldTerm, "\(word)")
                } else {
                    #expect(key.stem == -1, "\(word)")
                    #expect(key.rarity == vocabulary.unseenRarity, "\(word)")
                    #expect(key.fieldTerm == -1, "\(word)")
                }
            }
        }
        // (the text's words include field terms: not every key is one no list names)
        #expect(named > 0)
        #expect(words.keys.contains { $0.fieldTerm >= 0 })
    }
}
