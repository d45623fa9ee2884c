import Testing
@testable import Entities

/// Line breaks met by the fast scan (between words, after a mark, blank lines, "\r\n", a line in
/// capitals, a URL after a break): the tokens and their flags must be those the general scan makes,
/// at every cut of the text and with a skipped range at every place (bounds at line starts, before
/// and after a break).
struct LineBreakRunTests {
    static let table = defaultStage.lexicon.words

    /// (start, end, id, flags, punct) of each token, from the document scan and from the general
    /// scan (a closure lookup never takes the fast path).
    static func both(_ bytes: [UInt8], skip: [Range<Int>]) -> (fast: [String], general: [String]) {
        let show = { (t: Token) in "\(t.start)-\(t.end) id \(t.id) f \(t.flags.rawValue) p \(t.punct)" }
        let fast = Tokenizer.tokenizeDocument(bytes, skip: skip, table: table).tokens.map(show)
        let general = Tokenizer.tokenize(bytes, skip: skip, lookup: { table.find($0) }).map(show)
        return (fast, general)
    }

    static let texts = [
        "the court held that\nthe state was responsible for the acts of its agents in the region.",
        "the court held that\n\nthe state was responsible for the acts of its agents in the region.",
        "the court held that.\nthe state was responsible, for the acts.\n\nof its agents in the region.",
        "the court held that:\n\n\nthe state was responsible for the acts of its agents in the region.",
        "the court held that\r\nthe state was responsible for the acts of its agents\r\n\r\nin the region.",
        "the court held that \nthe state was\n responsible for the acts of its agents in the region.",
        "CONVENTION AGAINST TORTURE AND OTHER CRUEL Treatment\nthe state was responsible for the acts of it.",
        "A B C D E F G H I J K L M\nthe state was responsible for the acts of its agents in the region.",
        "see the page\nwww.example.org/path for the text of the decision in full and more.",
        "see the page at\nhttp://example.org/x for the text of the decision in full and more.",
        "write to the\nmail@example.org office or call for the text of the decision in full.",
        "the court’s view\nthe state was\ncafé responsible for the acts of its agents in the region.",
        "a well-\nknown fact, the x-\nray of the\tstate was responsible for the acts of its agents in it.",
        "the court held that\nUN and CEDAW 1984 and\n2004 the state was responsible for the acts of its agents.",
    ]

    @Test func lineBreaksInRunsAsTheGeneralScanTakesThem() {
        for text in Self.texts {
            let bytes = Array(text.utf8)
            for cut in 0...bytes.count {
                let b = Array(bytes[0..<cut])
                let (fast, general) = Self.both(b, skip: [])
                #expect(fast == general, "\(String(decoding: b, as: UTF8.self).debugDescription)")
            }
            for s in 0..<bytes.count {
                for len in [1, 6, 21] {
                    let skip = [s..<min(bytes.count, s + len)]
                    let (fast, general) = Self.both(bytes, skip: skip)
                    #expect(fast == general, "\(text.debugDescription) skip \(skip)")
                }
            }
        }
    }

    @Test func lineFlagsAfterRuns() {
        func flags(_ text: String) -> [(String, TokenFlags)] {
            let bytes = Array(text.utf8)
            return Tokenizer.tokenizeDocument(bytes, table: Self.table).tokens.map {
                (String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self), $0.flags)
            }
        }
        let tail = " was responsible for the acts of its agents in the region."
        let one = flags("the court held that\nthe state" + tail)
        #expect(one[4].0 == "the" && one[4].1.contains(.newlineBefore) && !one[4].1.contains(.blankBefore))
        #expect(!one[3].1.contains(.newlineBefore) && !one[4].1.contains(.joined))
        let two = flags("the court held that.\n\nthe state" + tail)
        #expect(two[4].0 == "." && two[4].1.contains(.joined) && !two[4].1.contains(.spaceBefore))
        #expect(two[5].0 == "the" && two[5].1.contains(.blankBefore) && two[5].1.contains(.newlineBefore))
        let caps = flags("A B C D E F G H I J K L M\nthe state" + tail)
        #expect(caps[0..<13].allSatisfy { $0.1.contains(.capsLine) })
        #expect(caps[13...].allSatisfy { !$0.1.contains(.capsLine) })
    }
}
