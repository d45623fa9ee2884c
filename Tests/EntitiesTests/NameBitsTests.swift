import AssayCore
import Testing
@testable import Entities

/// The gazetteer scan rules a start out from its token's bits (`namesAlone`) and the next token's
/// bit in its `followers` before walking the trie: every name must set the bits its walk needs,
/// else the scan loses it.
struct NameBitsTests {
    @Test func everyNameSetsTheBitsItsWalkNeeds() {
        let lex = defaultStage.lexicon
        var names = 0, oneWord = 0, longer = 0
        for e in lex.entries {
            guard case .entity = e.type else { continue }
            for name in e.aliases + e.exactAliases + e.acronyms {
                let path = Tokenizer.tokenize(Array(name.utf8), table: lex.words).filter { $0.punct != 0x2C }
                guard let first = path.first, path.allSatisfy({ $0.id >= 0 }) else { continue }
                names += 1
                if path.count == 1 {
                    oneWord += 1
                    #expect(first.info & WordClass.namesAlone.rawValue != 0, "\(name)")
                } else {
                    longer += 1
                    #expect(lex.followers[Int(first.id)] & Lexicon.followerBit(path[1].id) != 0, "\(name)")
                }
            }
        }
        // The gazetteers have names of one word and of several (else this tests nothing).
        #expect(names > 100 && oneWord > 10 && longer > 100)
    }
}
