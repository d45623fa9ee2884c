import AssayCore
import Testing
@testable import Citations

/// `Bytes.clean`'s eight-byte runs (words with the single spaces between them), the byte search
/// the reference parser's title and link scans skip with, those scans, and the linker's index of
/// the entries by year give what a plain reading gives.
struct CleanAndYearIndexTests {
    /// Strings of pieces joined at random (a fixed seed: the same strings every run).
    static func randomTexts(_ pieces: [String], count: Int, maxPieces: Int) -> [String] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        return (0..<count).map { _ in (0..<next(maxPieces + 1)).map { _ in pieces[next(pieces.count)] }.joined() }
    }

    /// `Bytes.cleanTellingASCII` writes what `clean` writes and tells whether that is all ASCII as
    /// the bytes written say, at every cut of texts with runs of eight and more, spaces of several
    /// bytes (which become ASCII spaces), letters and dashes of several bytes, tabs and line ends.
    @Test func cleanTellsWhetherWhatItWroteIsASCII() {
        let texts = ["", " ", "abc", "Padía, L.B.", "a\u{00A0}b", "\u{2009}\u{00A0}x\u{3000}", "Tomaševski’s — “title”",
                     "Title of the work:\tA study\nof  things. (pp. 1–20)"]
            + Self.randomTexts(["a", "bc", "defghijk", " ", "  ", "\t", "\n", "\u{00A0}", "\u{2009}", "é", "–", ".", "(1)"],
                               count: 300, maxPieces: 14)
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { t in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, t.count)) { room in
                    for from in 0...t.count where from == t.count || !Bytes.isContinuation(t[from]) {
                        for to in from...t.count where to == t.count || !Bytes.isContinuation(t[to]) {
                            let (n, ascii) = Bytes.cleanTellingASCII(t, from, to, into: room)
                            let written = Array(room[0..<n])
                            #expect(ascii == !written.contains { $0 >= 0x80 }, "\(text.debugDescription) \(from) \(to)")
                            #expect(Bytes.clean(t, from, to, into: room) == n)
                            #expect(Array(room[0..<n]) == written)
                        }
                    }
                }
            }
        }
    }

    /// A token's text cleaned is its text (the reference parser takes a one-token name as it is
    /// written): no token holds white space, whatever its letters, marks, digits or line ends around.
    @Test func aTokenHasNothingToClean() {
        let texts = ["Padía, L.B. O'Brien-Ng O’Neil\nvan der Berg\u{00A0}Ž. 2019a 1A (Eds.) – … Tomaševski’s",
                     "Smith-\nJones  K\tL\r\nM. d'Alembert x-y 12-13 ǅ Ⅻ ß"]
            + Self.randomTexts(["a", "É", "-", "'", "’", " ", "\n", "\u{00A0}", "\u{2009}", "1", ".", ","], count: 300, maxPieces: 12)
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { t in
                for tk in Bytes.tokenize(t, 0, t.count) {
                    #expect(Bytes.string(t, tk.start, tk.end) == Bytes.cleanString(t, tk.start, tk.end), "\(text.debugDescription)")
                }
            }
        }
    }

    @Test func firstOfMatchesAByteByByteSearch() {
        let texts = ["", ".", "a", "abcdefgh", "abcdefg.", "abcdefgh.", "........", "é?x", "no stop here at all, none"]
            + Self.randomTexts(["a", "bc", ".", "?", "!", " ", "é", "xxxxxxxxx"], count: 500, maxPieces: 12)
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { t in
                for from in 0...t.count {
                    for to in [from, min(t.count, from + 1), min(t.count, from + 9), t.count] {
                        let expected = (from..<to).first { t[$0] == 0x2E || t[$0] == 0x3F || t[$0] == 0x21 } ?? to
                        #expect(Bytes.firstOf(t, from, to, 0x2E, 0x3F, 0x21) == expected, "\(text.debugDescription) \(from) \(to)")
                    }
                }
            }
        }
    }

    /// `ReferenceParser.sentenceEnd` as it read every byte.
    static func sentenceEndReference(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ ems: [Span]) -> Int {
        var j = s
        var wordStart = s
        while j < e {
            let c = t[j]
            if c == 0x20 { wordStart = j + 1 }
            if c == 0x2E, j + 1 == e || t[j + 1] == 0x20 || t[j + 1] == 0x2A || t[j + 1] == 0x0A {
                var ws = wordStart
                while ws < j, t[ws] == 0x28 || t[ws] == 0x22 { ws += 1 }
                if j - ws > 6, Bytes.isASCII(t, ws, j) { return j }
                let isAbbrev = ReferenceParser.titleAbbreviationSet.contains(t, ws, j) || (j - ws == 1 && Bytes.isUpperASCII(t[ws]))
                if !isAbbrev { return j }
            }
            if c == 0x3F || c == 0x21 {
                var k = j + 1
                while k < e, t[k] == 0x20 || t[k] == 0x2A || t[k] == 0x22 { k += 1 }
                if k >= e || t[k] == 0x2E || t[k] == 0x2C || ems.contains(where: { $0.start >= j + 1 && $0.start <= k })
                    || (k + 2 < e && t[k] == 0x49 && t[k + 1] == 0x6E && (t[k + 2] == 0x20 || t[k + 2] == 0x3A)) {
                    return j + 1
                }
            }
            j += 1
        }
        return e
    }

    /// `ReferenceParser.cutTrailingLinks` as it read every byte.
    static func cutTrailingLinksReference(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        var best = e
        var i = s
        while i < e {
            guard i == s || t[i - 1] == 0x20 || t[i - 1] == 0x28 || t[i - 1] == 0x2E else { i += 1; continue }
            for n in ReferenceParser.linkNeedles where i + n.count <= e && Array(t[i..<(i + n.count)]) == n {
                best = i
                break
            }
            if best != e { break }
            i += 1
        }
        var j = best
        while j > s, t[j - 1] == 0x20 || t[j - 1] == 0x2E || t[j - 1] == 0x2C || t[j - 1] == 0x28 { j -= 1 }
        return best == e ? e : j
    }

    @Test func titleEndAndLinkCutMatchAByteByByteReading() {
        let texts = [
            "", ".", "Title. Next", "A. B. Smith et al. Title", "vol. 3. Next", "What? In: x", "Why! *Book*",
            "e.g. this. that", "end.", "a.b.c", "Tomaševski. Next", "word.\nnext", "(Eds.). Title", "Abbrev.*x*",
            "Title. doi:10.1/x", "x (https://a.b)", "Available at: www.x", "no link here", "arXiv:1234", "xdoi: no",
            "(doi:", ".URL", "Title. Retrieved from x", "PMID 123", "[Online]. DOI 10.1", "Accessed. a", "www",
        ] + Self.randomTexts(["Title", " ", ".", "?", "!", "*", "\"", "(", "e.g", "vol", "Smith", "A", "é", "\n", ",",
                               "In", ":", "doi:", "https://", "www.", "Available at", "URL", "arXiv:", "DOI "],
                              count: 1500, maxPieces: 14)
        let parser = ReferenceParser()
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { t in
                let ems = [Span(0, min(3, t.count)), Span(min(5, t.count), t.count)]
                for s in [0, min(1, t.count), min(4, t.count)] where s == t.count || !Bytes.isContinuation(t[s]) {
                    #expect(parser.sentenceEnd(t, s, t.count, ems) == Self.sentenceEndReference(t, s, t.count, ems), "\(text.debugDescription) \(s)")
                    #expect(parser.sentenceEnd(t, s, t.count, []) == Self.sentenceEndReference(t, s, t.count, []), "\(text.debugDescription) \(s)")
                    #expect(parser.cutTrailingLinks(t, s, t.count) == Self.cutTrailingLinksReference(t, s, t.count), "\(text.debugDescription) \(s)")
                }
            }
        }
    }

    /// The run `plainRunWithSpaces` should find, byte by byte: ASCII above the space, or a space
    /// with such bytes on both sides within the eight.
    static func plainRunReference(_ b: [UInt8]) -> Int {
        func plain(_ x: UInt8) -> Bool { x >= 0x21 && x < 0x80 }
        var n = 0
        while n < 8 {
            let x = b[n]
            if plain(x) || x == 0x20 && n > 0 && n < 7 && plain(b[n - 1]) && plain(b[n + 1]) {
                n += 1
            } else {
                break
            }
        }
        return n
    }

    /// Every word of eight bytes drawn from the space, the bytes at both ends of the plain ones
    /// (`!`, DEL), a control byte below the space and bytes at both ends of the high ones.
    @Test func plainRunWithSpacesMatchesAByteByByteReading() {
        let alphabet: [UInt8] = [0x20, 0x21, 0x7F, 0x1F, 0x80, 0xFF]
        var b = [UInt8](repeating: 0, count: 8)
        var mismatches = 0
        var words = 1
        for _ in 0..<8 { words *= alphabet.count }
        for code in 0..<words {  // eight digits in base 6
            var c = code
            for k in 0..<8 {
                b[k] = alphabet[c % alphabet.count]
                c /= alphabet.count
            }
            var w: UInt64 = 0
            for k in 0..<8 { w |= UInt64(b[k]) << UInt64(8 * k) }
            if Bytes.plainRunWithSpaces(w) != Self.plainRunReference(b) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// The text with each run of white space (ASCII, no-break and the U+2000 spaces) made one
    /// space and the ends trimmed, scalar by scalar.
    static func cleanReference(_ s: String) -> String {
        var out = ""
        var pending = false
        for sc in s.unicodeScalars {
            if Bytes.isSpace(sc.value) {
                pending = !out.isEmpty
            } else {
                if pending { out.unicodeScalars.append(" ") }
                pending = false
                out.unicodeScalars.append(sc)
            }
        }
        return out
    }

    static func clean(_ bytes: [UInt8], _ from: Int, _ to: Int) -> String {
        bytes.withUnsafeBufferPointer { Bytes.cleanString($0, from, to) }
    }

    @Test func cleanMatchesAScalarByScalarReading() {
        let cases = [
            "", "a", " ", "  ", "\n", "é", "ab", " a", "a ", "a b", "a  b", "a\tb", "a \n b",
            "abcdefg h", "abcdefgh ijklmnop", "abcdefg  hijklmn", " abcdefghijk", "abcdefghijk ",
            "a b c d e f g h i j", "word\u{00A0}word", "word \u{2009} word", "Tomaševski, K. (2019)",
            "Title of a work.  *Journal*,\n  51(4), 877–900.", "\u{FEFF}Start", "end\u{3000}",
            "a\u{7F}b c\u{7F} d", "xxxxxxx y", "xxxxxxxx y", "x yyyyyyy", "x yyyyyyyy", "xxxxxx  ",
        ]
        for s in cases {
            let bytes = Array(s.utf8)
            #expect(Self.clean(bytes, 0, bytes.count) == Self.cleanReference(s), "\(s.debugDescription)")
        }
        // pieces joined at random, read whole and from every start to the end
        let pieces = ["a", "bb", "Word", " ", "  ", "\t", "\n", "é", "\u{00A0}", "\u{2009}", "-", ".", "xyzxyzxyz"]
        for s in Self.randomTexts(pieces, count: 2000, maxPieces: 23) {
            let bytes = Array(s.utf8)
            var from = 0
            for sc in s.unicodeScalars {
                let rest = String(decoding: bytes[from...], as: UTF8.self)
                #expect(Self.clean(bytes, from, bytes.count) == Self.cleanReference(rest), "\(rest.debugDescription)")
                from += String(sc).utf8.count
            }
        }
    }

    /// The entries of each normalized year, in list order (those without a year under ""), and
    /// each entry's year id, against a dictionary of the normalized years' strings.
    @Test func entriesByYearMatchADictionaryOfYears() {
        let years: [String?] = ["2019", nil, "n.d.", "2019", "2020", "N.D.", "in press", "Forthcoming", nil, "2019", "nd"]
        let refs = years.enumerated().map { i, y in
            Reference(span: Span(i, i + 1), authors: [PersonName(family: "Author\(i)")], year: y)
        }
        let linker = Linker(refs)
        var expected: [String: [Int]] = [:]
        for (i, y) in years.enumerated() { expected[y.map(Linker.normalizeYear) ?? "", default: []].append(i) }
        #expect(expected["n.d."] == [2, 5, 10] && expected["in press"] == [6, 7])
        for (year, entries) in expected {
            #expect(Array(linker.entries(year: linker.yearID(year))) == entries, "\(year)")
        }
        for (i, y) in years.enumerated() {
            #expect(linker.entryYear[i] == (y == nil ? -1 : linker.yearID(Linker.normalizeYear(y!))))
        }
        // a year no entry has: no entries, and an id no entry's year (nor the -1 of none) equals
        #expect(linker.yearID("1999") == -2 && linker.entries(year: -2).isEmpty)
        // with no entry without a year, "" is no year of the list
        #expect(Linker(Array(refs.prefix(1))).yearID("") == -2)
    }

    /// Works cited by a yearless mark link to the entries that mark their year however it is
    /// written; a work listed without a year links to no citation of its year.
    @Test func yearlessMarksLinkAcrossSpellings() throws {
        let d = try TestDocs.run(TestDocs.make("""
        Cited (Smith, n.d.) and (Jones, forthcoming).

        References

        - Smith, J., N.D. A work without a date. *Journal A*, 1, p.1.
        - Jones, K., in press. A work in press. *Journal B*, 2, p.2.
        """))
        #expect(d.citations.map(\.references) == [[0], [1]])
    }
}
