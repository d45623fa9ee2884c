import AssayCore
import Testing
@testable import Citations

/// The token arrays and year strings the reference parser reuses read what making them anew reads.
struct TokenReuseTests {
    /// A token's fields, to compare (`Token` is not `Equatable`).
    static func fields(_ tk: Token) -> [Int] {
        [Int(tk.kind.rawValue), tk.start, tk.end, Int(tk.scalar), tk.count,
         tk.upperFirst ? 1 : 0, tk.allCaps ? 1 : 0, tk.spaceBefore ? 1 : 0, tk.newlineBefore ? 1 : 0]
    }

    /// One array filled stretch after stretch holds each stretch's tokens, whether the stretch has
    /// fewer or more tokens than one per four bytes (`a b c …`: one per two bytes) or none.
    @Test func tokenizeIntoAReusedArrayMatchesTokenize() {
        let texts = [
            "Kai, S., Wang, B. and Liu, W., 2020. Title of the work. *Journal*, 51(4), 877-900.",
            (0..<300).map { _ in "a" }.joined(separator: " "),
            "",
            "   ",
            "Padía, L.B. (2019a). Tomaševski’s — “quoted” title… (pp. 1–20).\nNext line",
            (0..<50).map { "\($0 % 10)" }.joined(separator: ","),
        ]
            // (one token short of a roomful of the scratch room, a roomful, one more, two roomfuls)
            + [41, 42, 43, 84].map { n in (0..<n).map { _ in "w" }.joined(separator: " ") }
        var reused: [Token] = []
        for text in texts + texts.reversed() {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { t in
                Bytes.tokenize(t, 0, t.count, into: &reused)
                let fresh = Bytes.tokenize(t, 0, t.count)
                #expect(reused.map(Self.fields) == fresh.map(Self.fields), "\(text.prefix(40))")
            }
        }
    }

    /// A token's fields but the white space before it.
    static func fieldsButSpace(_ tk: Token) -> [Int] { Array(fields(tk).dropLast(2)) }

    static let entryTexts = [
        "Kai, S., Wang, B. and Liu, W., 2020. Title of the work. *Journal*, 51(4), 877-900.",
        "Padía, L.B. (2019a). Tomaševski’s — “quoted” title…\n (pp. 1–20).\nNext  line\u{00A0}end",
        "In  J. Smith (Eds.),\n\n*Book* (Doctoral dissertation, Bochum, Univ., Diss., 2005). O'Brien-Ng",
        "In: *Proc. IEEE*, Vol. 3, No. 2, pp. 10–12. London: Palgrave Macmillan. doi:10.1/x",
        "Annals of Botany 80:231–244. Oxford University Press. eLife e00007. Int'l L. Rev. 9(1-2), p.66",
        "Smith, J. (2019). Chapter. In J. Smith (Eds.), *Book* (pp. 1–20). Publisher. In: Proc. 3, 4.",
    ]

    /// The stretch of a longer stretch's tokens that `tokenRange` gives for a shorter stretch is
    /// the shorter stretch's own tokens but for the white space before the first, at every cut it
    /// gives one; it gives one at every cut between tokens, and none inside a word, a number or a
    /// scalar of several bytes.
    @Test func tokenRangeWithinMatchesTokenize() {
        for text in Self.entryTexts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { t in
                let all = Bytes.tokenize(t, 0, t.count)
                let edges = Set(all.flatMap { [$0.start, $0.end] } + [0, t.count])
                let inside = Set(all.flatMap { ($0.start + 1)..<$0.end })
                for from in 0...t.count {
                    for to in stride(from: from, through: t.count, by: 3) {
                        let fresh = Bytes.tokenize(t, from, to)
                        if let r = Bytes.tokenRange(t, from, to, within: all) {
                            #expect(all[r].map(Self.fieldsButSpace) == fresh.map(Self.fieldsButSpace), "\(from)..<\(to) of \(text.prefix(30))")
                        }
                        if edges.contains(from), !inside.contains(to), to == t.count || !Bytes.isContinuation(t[to]) {
                            #expect(Bytes.tokenRange(t, from, to, within: all) != nil, "\(from)..<\(to) of \(text.prefix(30))")
                        }
                        if inside.contains(from) || inside.contains(to) {
                            #expect(Bytes.tokenRange(t, from, to, within: all) == nil, "\(from)..<\(to) of \(text.prefix(30))")
                        }
                    }
                }
            }
        }
    }

    /// An entry's source read from the entry's tokens in place is what it is read from its own
    /// tokens, made anew, from every token on (the first token's white space before it differs),
    /// with and without an italic title, with and without emphasis.
    @Test func sourceReadInPlaceMatchesSourceReadFromItsOwnTokens() {
        let parser = ReferenceParser()
        for text in Self.entryTexts {
            let bytes = Array(text.utf8)
            let starred = text.utf8.indices.compactMap { text.utf8[$0] == 0x2A ? text.utf8.distance(from: text.utf8.startIndex, to: $0) : nil }
            let emphasis = stride(from: 0, to: starred.count - 1, by: 2).map { Span(starred[$0] + 1, starred[$0 + 1]) }
            bytes.withUnsafeBufferPointer { t in
                let all = Bytes.tokenize(t, 0, t.count)
                for a in all.indices {
                    let fresh = Bytes.tokenize(t, all[a].start, t.count)
                    for italic in [false, true] {
                        for ems in [[], emphasis] {
                            var inPlace = Reference(span: Span(0, t.count))
                            var anew = inPlace
                            all.withUnsafeBufferPointer {
                                parser.parseSource(t, UnsafeBufferPointer(rebasing: $0[a...]), titleStart: 0, end: t.count, ems,
                                                   italicTitle: italic, &inPlace)
                            }
                            fresh.withUnsafeBufferPointer {
                                parser.parseSource(t, $0, titleStart: 0, end: t.count, ems, italicTitle: italic, &anew)
                            }
                            #expect(inPlace == anew, "token \(a) of \(text.prefix(30))")
                        }
                    }
                }
            }
        }
    }

    /// The length test a body's tokens are looked at with for `thesis` and `dissertation` passes
    /// every word that folds to either (ASCII in any case, with letters of two bytes or an inner
    /// hyphen or apostrophe), and a word it stops is none of them.
    @Test func thesisLengthTestKeepsEveryThesisWord() {
        let words = ["thesis", "Thesis", "THESIS", "dissertation", "Dissertation", "DISSERTATION", "thésis", "Thèsis",
                     "dissertatión", "the-sis", "thesis's", "theses", "thesiss", "these", "dissertations", "Diss",
                     "hypothesis", "a", "Journal", "Review", "Doctoral", "Padía", "O'Brien", "x-y", "ǅissertation"]
        let text = words.joined(separator: " ")
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { t in
            let toks = Bytes.tokenize(t, 0, t.count)
            #expect(toks.count == words.count)
            for tk in toks {
                let full = Bytes.foldsToAny(t, tk, ["dissertation", "thesis"])
                if full { #expect(ReferenceParser.mayFoldToThesis(tk), "\(Bytes.string(t, tk.start, tk.end))") }
                if !ReferenceParser.mayFoldToThesis(tk) { #expect(!full) }
            }
            #expect(toks.filter { Bytes.foldsToAny(t, $0, ["dissertation", "thesis"]) }.count >= 7)
        }
    }

    /// The emphasis of an entry read into a reused array is the emphasis read plainly: the
    /// document's spans cut to the entry and the `*…*` pairs in its text, sorted.
    @Test func localEmphasisIntoAReusedArrayMatchesAPlainReading() {
        let text = "A, B. (2020). *Title* and _more_. *Journal*, 5(1), 1-2. C, D. (2021). Plain. Source *x"
        let bytes = Array(text.utf8)
        let document = [Span(0, 3), Span(14, 20), Span(30, 60), Span(70, 90)]
        var reused: [Span] = [Span(1, 2), Span(3, 4), Span(5, 6)]
        bytes.withUnsafeBufferPointer { t in
            for from in stride(from: 0, to: t.count, by: 7) {
                for to in stride(from: from + 1, through: t.count, by: 11) {
                    ReferenceParser().localEmphasis(t, Span(from, to), document, into: &reused)
                    #expect(reused == Self.emphasis(bytes, Span(from, to), document), "\(from)..<\(to)")
                }
            }
        }
    }

    /// The emphasis of `span` read plainly: the document's spans that overlap it, cut to it, and
    /// the stretches between pairs of `*` runs in it, sorted.
    static func emphasis(_ bytes: [UInt8], _ span: Span, _ document: [Span]) -> [Span] {
        var out = document.filter { $0.overlaps(span) }.map { Span(max(span.start, $0.start), min(span.end, $0.end)) }
        var open: Int?
        var i = span.start
        while i < span.end {
            guard bytes[i] == 0x2A else { i += 1; continue }
            var j = i
            while j < span.end, bytes[j] == 0x2A { j += 1 }
            if let o = open {
                out.append(Span(o, i))
                open = nil
            } else {
                open = j
            }
            i = j
        }
        return out.sorted()
    }

    /// The year strings read from a table are the years' digits, their suffixes the letters.
    @Test func yearValuesAreTheYearsDigits() {
        for y in 1500...2099 {
            for suffix in ["", "a", "k", "z"] {
                let bytes = Array("(\(y)\(suffix))".utf8)
                bytes.withUnsafeBufferPointer { t in
                    let toks = Bytes.tokenize(t, 0, t.count)
                    let (year, s) = YearToken.value(t, toks, 1)
                    #expect(year == String(y))
                    #expect(s == (suffix.isEmpty ? nil : suffix))
                }
            }
        }
    }
}
