import AssayCore
import Testing
@testable import Entities

/// `titleCaseHashes` looks for a few words in the bytes and tests only the tokens starting where
/// one is spelled; it must find what the pass over every token finds (`searchLimit: 0`).
struct TitleCaseSearchTests {
    /// The hashes found both ways for the words at the first occurrences of `words` in `text`.
    static func bothWays(_ text: String, _ words: [String], references: String? = nil) -> (search: Set<UInt64>, pass: Set<UInt64>) {
        var d = plainDocument(text + (references ?? ""))
        if let references {
            d.sections = [Section(kind: .references, span: Span(text.utf8.count, text.utf8.count + references.utf8.count))]
        }
        let a = defaultStage.analyze(d)
        let bytes = Array(text.utf8)
        let ranges: [Range<Int>] = words.map { w in
            let u = Array(w.utf8)
            let at = (0...(bytes.count - u.count)).first { Array(bytes[$0..<($0 + u.count)]) == u }!
            return at..<(at + u.count)
        }
        let hashes = ranges.map { a.asciiLowerHash($0.lowerBound, $0.upperBound) }
        return (a.titleCaseHashes(among: hashes, words: ranges, searchLimit: .max),
                a.titleCaseHashes(among: hashes, words: ranges, searchLimit: 0))
    }

    @Test func searchFindsWhatThePassFinds() {
        let cases: [(String, [String])] = [
            ("The KHAN report cites Khan and others.", ["KHAN"]),
            ("Khan wrote it; the KHAN report.", ["KHAN"]),                  // at the start
            ("The KHAN report, by Khan", ["KHAN"]),                          // at the end
            ("The KHAN report, by KHAN and khan.", ["KHAN"]),               // capitals, lower case
            ("The KHAN report and the Khanate.", ["KHAN"]),                 // inside a longer word
            ("The KHAN report by McKhan.", ["KHAN"]),                       // split after lower case
            ("The KHAN report by 2Khan and X-Khan.", ["KHAN"]),             // after a digit, a hyphen
            ("The KHAN report by KHaN.", ["KHAN"]),                         // a capital inside
            ("The KHAN report by KhanKhan and Khan's.", ["KHAN"]),
            ("The 3RD report and the 3Rd one.", ["3RD"]),                   // starts with a digit
            ("L'ÉNA et l'Éna.", ["ÉNA"]),                                   // starts beyond ASCII
            ("The NGO and UN and Ngo and Un met.", ["NGO", "UN"]),
            ("The QXZ and ABC and DEF and GHI and JKL met Abc.", ["QXZ", "ABC", "DEF", "GHI", "JKL"]),
            ("KH", ["KH"]),
            ("KH Kh", ["KH"]),
        ]
        var someFound = 0
        for (text, words) in cases {
            let r = Self.bothWays(text, words)
            #expect(r.search == r.pass, "\(text)")
            someFound += r.pass.isEmpty ? 0 : 1
        }
        // With a reference list (one token): its words are read as before.
        for list in ["References\nKhan, A. (2021). Courts.", "References\nKHAN, A. (2021).", "References\nMcKhan, A."] {
            let r = Self.bothWays("The QXZ commission and the KHAN report.\n\n", ["QXZ", "KHAN"], references: list)
            #expect(r.search == r.pass, "\(list)")
            someFound += r.pass.isEmpty ? 0 : 1
        }
        #expect(someFound >= 8)
    }
}
