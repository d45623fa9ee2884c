import AssayCore

/// The citations found in a text, in the order found, and what is known of each beyond its
/// citation: two arrays, so the citations kept become the document's without a copy of each.
struct FoundCitations: Sendable {
    var citations: [Citation] = []
    /// `notes[k]` is about `citations[k]`.
    var notes: [FoundCitation] = []

    var count: Int { citations.count }
    var indices: Range<Int> { citations.indices }

    mutating func append(_ c: consuming Citation, _ note: FoundCitation) {
        citations.append(c)
        notes.append(note)
    }
}

/// The array `a` held, `a` left empty: its storage moved out, with no copy to retain and release.
@inline(__always) func take<T>(_ a: inout [T]) -> [T] {
    var moved: [T] = []
    swap(&moved, &a)
    return moved
}

/// What is known of a citation as found, before linking, beyond the citation itself.
struct FoundCitation: Sendable {
    /// The words of the first author's name with their start offsets when it has more than one
    /// (`Suess Schwend`, `Barbier de Reuille`): the linker may drop leading words to find the
    /// entry. Empty for a name of one word, which has none to drop.
    var firstAuthorWords: [(text: String, start: Int)]
    /// Name-shaped but doubtful (an acronym alone, a law or a body, a month, a name after `the`):
    /// kept only when it resolves to a reference entry.
    var weak: Bool
    /// Index (in the found list) of the citation whose authors this one repeats (`2019b` in
    /// `Smith 2019a, 2019b`, `1977` in `Gillespie, 1976; 1977`).
    var inheritsFrom: Int?
    /// One name and the year with no comma between (`Babikian 2023`, but also `HiSeq 2000`): kept
    /// unresolved only where the document itself writes single-author citations that way.
    var loose: Bool = false
}

/// Finds author-year citations by scanning the UTF-8 bytes for `(` and `[`; a bracketed group is
/// looked at only when it closes within `maxGroupBytes` with no bracket inside and holds a digit
/// or a yearless mark. Each look is bounded, so the scan is linear in the text.
///
/// Parenthetical shapes (one citation per author-year; the span covers that citation's authors and
/// year, not the brackets, prefixes or locators):
/// - `(Babikian, 2023)`, `(Igbinenikaro & Adewusi 2024)`, `(Smith and Jones, 2019)`,
///   `(Khan, Bhatti, & Jillani, 2021)`, `(Smith et al., 2019, p. 35)` (locator `p. 35`),
///   `(KHAN et al., 2021)`, `[Andrews et al., 1999]`;
/// - groups: `(Sullivan, 1994; Avdeyeva, 2007)`, `(see Smith, 2019; also Jones, 2020)`,
///   `(Figure 1; Allmann and Baldwin, 2010)`, `(Smith, 2019, Jones, 2020)`;
/// - repeated authors: `(Smith 2019a, 2019b)`, `(Smith 2019a, b)`, `(Gillespie, 1976; 1977)`: the
///   later citations' span is the year alone, their authors are inherited;
/// - years: `2019`, `2019a`, `n.d.`, `in press`, `forthcoming`;
/// - names: diacritics (`Tomaševski`, `Završnik`), hyphens and apostrophes (`Adler-Nissen`,
///   `O'Brien`, `al-Khan`), particles (`van der Berg`, `de Reuille`), several words
///   (`Suess Schwend`, `Royal Society`), a name broken by a page break (`(Suess\n\nSchwend, 2020)`);
/// - mis-punctuated but read, with the fault in `defects`: `(Kai, et. Al 2020)`,
///   `(Kretzmer. & Klein, 2021)`, `(Khan, & Riaz, 2024)`, `(Zwingel, S., & Zwingel. 2016)`.
///
/// Narrative shapes (a `(` group holding only years and a locator, the names right before it; the
/// span runs from the first name to the `)`): `Barnett (2020) argues`, `Besnard et al. (2014)`,
/// `Smith and Jones (2019)`, `Smith's (2019)`, `Smith (2019, p. 35)`, `Nowak, (2021) states`
/// (the comma is a defect), `Smith (2019a, 2019b)`.
///
/// Not citations: a year with no name right before it (`in 1979`, `(2021)` after a lower-case
/// word, `(1947-1958)`, `(2005/69)`), numbers before the year (`Article 19 (2021)`,
/// `(Table 1, 2019)`), words that are never names (`(Since 2010)`, `(Figure 2019)`). Doubtful names
/// (`(CEDAW, 1979)`, `the Constitution (1973)`, `(May 2019)`) are marked weak.
struct CitationFinder {
    var maxGroupBytes = 300
    var maxLookbackBytes = 160

    func find(_ bytes: [UInt8], excluding: Span?) -> FoundCitations {
        bytes.withUnsafeBufferPointer { t -> FoundCitations in
            var out = FoundCitations()
            var scratch = GroupScratch()
            let regions: [(Int, Int)]
            if let ex = excluding {
                regions = [(0, min(ex.start, t.count)), (min(ex.end, t.count), t.count)]
            } else {
                regions = [(0, t.count)]
            }
            for (rs, re) in regions where rs < re {
                var i = rs
                while i < re {
                    i = Self.nextBracket(t, i, re)
                    guard i < re else { break }
                    if let close = groupClose(t, i, re) {
                        processGroup(t, i, close, rs, &out, &scratch)
                        i = close + 1
                    } else {
                        i += 1
                    }
                }
            }
            return out
        }
    }

    /// The first `(` or `[` in `t[i..<end]`, or `end`: thirty-two bytes at a time (vector compares
    /// and one test each), then eight, then one by one.
    @inline(__always)
    static func nextBracket(_ t: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        let raw = UnsafeRawPointer(t.baseAddress!)
        let paren = SIMD32<UInt8>(repeating: 0x28)
        let square = SIMD32<UInt8>(repeating: 0x5B)
        while i + 32 <= end {
            let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
            if any((v .== paren) .| (v .== square)) { break }
            i += 32
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= end {
            let v = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let a = v ^ (ones &* 0x28)
            let b = v ^ (ones &* 0x5B)
            let found = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
            if found != 0 { break }
            i += 8
        }
        while i < end {
            let c = t[i]
            if c == 0x28 || c == 0x5B { return i }
            i += 1
        }
        return end
    }

    /// The closing bracket of the group opened at `open`, when the group is short, holds no other
    /// bracket and has a digit or a yearless mark in it.
    func groupClose(_ t: UnsafeBufferPointer<UInt8>, _ open: Int, _ end: Int) -> Int? {
        let closeByte: UInt8 = t[open] == 0x28 ? 0x29 : 0x5D
        let stop = min(end, open + maxGroupBytes)
        var j = open + 1
        var interesting = false
        defer { WorkCounter.add(j - open) }
        while j < stop {
            let c = t[j]
            if c == closeByte { return interesting ? j : nil }
            if c == 0x28 || c == 0x29 || c == 0x5B || c == 0x5D {
                // a short balanced group of the other kind inside (`[+]`, `[Scott et al., 2007]`) is
                // read along; anything else leaves this group to the inner one
                let innerClose: UInt8 = c == 0x28 ? 0x29 : 0x5D
                guard c != t[open], c == 0x28 || c == 0x5B else { return nil }
                var k = j + 1
                while k < stop, t[k] != innerClose, t[k] != 0x28, t[k] != 0x5B, t[k] != 0x29, t[k] != 0x5D { k += 1 }
                guard k < stop, t[k] == innerClose else { return nil }
                for q in (j + 1)..<k where t[q] >= 0x30 && t[q] <= 0x39 { interesting = true; break }
                j = k + 1
                continue
            }
            if !interesting {
                if c >= 0x30 && c <= 0x39 {
                    interesting = true
                } else if c == 0x2E, j >= 1, t[j - 1] | 0x20 == 0x6E, j + 1 < stop, t[j + 1] | 0x20 == 0x64 {
                    interesting = true  // n.d
                } else if c | 0x20 == 0x70, j + 4 < stop, t[j + 1] == 0x72, t[j + 2] == 0x65, t[j + 3] == 0x73, t[j + 4] == 0x73 {
                    interesting = true  // press
                } else if c | 0x20 == 0x66, j + 10 < stop, t[j + 1] == 0x6F, t[j + 2] == 0x72, t[j + 3] == 0x74, t[j + 4] == 0x68 {
                    interesting = true  // forth(coming)
                }
            }
            j += 1
        }
        return nil
    }

    private struct YearAt {
        var index: Int
        var count: Int
        var end: Int { index + count }
    }

    /// The arrays a group's tokens and years are read into, kept from one group to the next: no
    /// arrays made and freed per group.
    private struct GroupScratch {
        var tokens: [Token] = []
        var years: [YearAt] = []
    }

    private func processGroup(_ t: UnsafeBufferPointer<UInt8>, _ open: Int, _ close: Int, _ regionStart: Int,
                              _ out: inout FoundCitations, _ scratch: inout GroupScratch) {
        Bytes.tokenize(t, open + 1, close, into: &scratch.tokens)
        scratch.years.removeAll(keepingCapacity: true)
        var i = 0
        while i < scratch.tokens.count {
            // (only a token that may start a year or a yearless mark is looked up)
            if YearToken.mayStart(t, scratch.tokens[i]), let n = YearToken.at(t, scratch.tokens, i) {
                scratch.years.append(YearAt(index: i, count: n))
                i += n
            } else {
                i += 1
            }
        }
        guard !scratch.years.isEmpty else { return }
        // (copies that share the scratch arrays' storage while the group is read, gone when it is
        // done: the next group writes into that storage again, with no copy made)
        let toks = scratch.tokens
        let years = scratch.years
        if t[open] == 0x28, isYearOnly(t, toks, years) {
            narrative(t, open, close, regionStart, toks, years, &out)
        } else {
            parenthetical(t, toks, years, &out)
        }
    }

    // MARK: Group shapes

    static let locatorWords: Set<String> = [
        "p", "pp", "para", "paras", "paragraph", "ch", "chap", "chapter", "sec", "section", "fig", "figs", "figure",
        "table", "at", "n", "nn", "note", "notes", "vol", "col", "art", "article", "l", "ll", "line", "lines",
        "appendix", "s", "ss", "f", "ff", "pt", "part", "no", "page", "pages", "cl", "clause", "rule",
    ]

    /// Only years (with `,` `;` `and` between them) and a locator after them: `(2021)`,
    /// `(2019a, 2019b)`, `(2020, p. 5)`. A range (`1947-1958`) is not.
    private func isYearOnly(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ years: [YearAt]) -> Bool {
        guard years[0].index == 0 else { return false }
        var i = 0
        var y = 0
        while i < toks.count {
            if y < years.count, years[y].index == i {
                let e = years[y].end
                if e < toks.count, toks[e].isDash || toks[e].isPunct(0x2F) { return false }
                i = e
                y += 1
                continue
            }
            let tk = toks[i]
            if tk.isComma || tk.isPunct(0x3A) {
                if let (_, next) = locator(t, toks, i, toks.count, afterYear: true), next == toks.count { return true }
                if tk.isComma { i += 1; continue }
                return false
            }
            if tk.isSemicolon || tk.isAmpersand { i += 1; continue }
            if Bytes.isWord(t, tk, "and") { i += 1; continue }
            if tk.kind == .word, tk.count == 1, Bytes.isLowerASCII(t[tk.start]), i > 0, toks[i - 1].isComma { i += 1; continue }  // 2019a, b
            return false
        }
        return true
    }

    /// A locator starting at token `i` (a `,` or `:` then `p. 35`, `pp. 3-5`, `chap. 2`, or `: 35`),
    /// returning its text and the index after it.
    func locator(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ i: Int, _ end: Int, afterYear: Bool) -> (String, Int)? {
        var j = i
        guard j < end else { return nil }
        var colon = false
        if toks[j].isComma {
            j += 1
        } else if toks[j].isPunct(0x3A) {
            colon = true
            j += 1
        }
        guard j < end else { return nil }
        let locStart = j
        if !colon || toks[j].kind != .number {
            let tk = toks[j]
            if tk.kind == .punct, tk.scalar == 0xA7 {  // §
                j += 1
                if j < end, toks[j].kind == .punct, toks[j].scalar == 0xA7 { j += 1 }
            } else {
                guard tk.kind == .word, Self.locatorWords.contains(Bytes.folded(t, tk.start, tk.end)) else { return nil }
                j += 1
                if j < end, toks[j].isPeriod { j += 1 }
            }
        }
        guard j < end, toks[j].kind == .number || toks[j].kind == .word && toks[j].allCaps && toks[j].count <= 5 else { return nil }
        j += 1
        // ranges and lists of numbers: `35-40`, `35, 40`, `35f`
        while j < end {
            if toks[j].isDash, j + 1 < end, toks[j + 1].kind == .number { j += 2; continue }
            if toks[j].isComma, j + 1 < end, toks[j + 1].kind == .number, YearToken.at(t, toks, j + 1) == nil { j += 2; continue }
            if toks[j].kind == .word, ["f", "ff"].contains(Bytes.string(t, toks[j].start, toks[j].end)) { j += 1; if j < end, toks[j].isPeriod { j += 1 }; continue }
            break
        }
        if j < end, toks[j].isPeriod { j += 1 }
        return (Bytes.cleanString(t, toks[locStart].start, toks[j - 1].end), j)
    }

    private func narrative(_ t: UnsafeBufferPointer<UInt8>, _ open: Int, _ close: Int, _ regionStart: Int,
                           _ toks: [Token], _ years: [YearAt], _ out: inout FoundCitations) {
        var lo = max(regionStart, open - maxLookbackBytes)
        while lo < open, Bytes.isContinuation(t[lo]) { lo += 1 }
        // not across a blank line
        var q = open - 1
        while q >= lo {
            if t[q] == 0x0A {
                var r = q - 1
                while r >= lo, t[r] == 0x20 || t[r] == 0x09 || t[r] == 0x0D { r -= 1 }
                if r >= lo, t[r] == 0x0A { lo = q + 1; break }
            }
            q -= 1
        }
        if out.count > 0 { lo = max(lo, out.citations[out.count - 1].span.end) }
        let before = Bytes.tokenize(t, lo, open)
        guard !before.isEmpty else { return }
        // the first token may be the tail of a word the window cut
        let minIndex = lo > regionStart && before[0].start == lo && (Bytes.isASCIILetter(t[lo - 1]) || Bytes.isDigit(t[lo - 1]) || t[lo - 1] >= 0x80) ? 1 : 0
        var k = before.count - 1
        var defects: [String] = []
        var possessive = false
        // possessive: Smith's (2019), et al.'s (2019), Jones' (2019)
        if before[k].kind == .word, k >= minIndex {
            let tk = before[k]
            if tk.end - tk.start > 2, t[tk.end - 1] | 0x20 == 0x73, t[tk.end - 2] == 0x27 || (tk.end - tk.start > 4 && t[tk.end - 2] == 0x99 && t[tk.end - 3] == 0x80 && t[tk.end - 4] == 0xE2) {
                possessive = true
            } else if tk.count == 1, t[tk.start] == 0x73, k >= 1, before[k - 1].kind == .punct, Bytes.isApostrophe(before[k - 1].scalar) {
                k -= 2
            }
        } else if before[k].kind == .punct, Bytes.isApostrophe(before[k].scalar), k >= 1, before[k - 1].kind == .word, t[before[k - 1].end - 1] == 0x73 {
            k -= 1
        }
        var comma = false
        if k >= minIndex, before[k].isComma {
            comma = true
            k -= 1
        }
        guard k >= minIndex, var parse = parseAuthorsBackward(t, before, minIndex, k + 1, possessiveLast: possessive) else { return }
        if comma {
            defects.append("comma between the name and the year ('\(parse.authorsText), (' should be '\(parse.authorsText) (')")
        }
        parse.defects.insert(contentsOf: defects, at: 0)
        var weak = parse.weak
        if parse.startIndex > minIndex, isDeterminer(t, before[parse.startIndex - 1]) { weak = true }
        // `Benazir Bhutto (1988)` is a name and a year, not a citation: one name stands as a citation
        // even unresolved only with a reporting verb after it (`Barnett (2020) argues`), a citing
        // word before it (`according to`, `by`, `see`) or a possessive
        if !weak, parse.authors.count == 1, !parse.etAl, !possessive {
            let prev = parse.startIndex > minIndex ? before[parse.startIndex - 1] : nil
            let prevWord = prev.map { $0.kind == .word ? Bytes.folded(t, $0.start, $0.end) : "" } ?? ""
            let after = Bytes.tokenize(t, close + 1, min(t.count, close + 40))
            var i = 0
            while i < after.count, after[i].kind == .punct, after[i].isComma { i += 1 }
            let nextWord = i < after.count && after[i].kind == .word ? Bytes.folded(t, after[i].start, after[i].end) : ""
            if !Self.reportingWords.contains(nextWord) && !Self.narrativeLeadIns.contains(prevWord) { weak = true }
        }
        // the citations
        let first = out.count
        for (n, y) in years.enumerated() {
            let (year, suffix) = YearToken.value(t, toks, y.index)
            let yEnd = toks[y.end - 1].end
            let isLast = n == years.count - 1
            var loc: String? = nil
            if isLast, y.end < toks.count, let (l, _) = locator(t, toks, y.end, toks.count, afterYear: true) { loc = l }
            if n == 0 {
                let end = isLast ? close + 1 : yEnd
                let c = Citation(span: Span(parse.start, end), style: .narrative, authors: parse.authors, etAl: parse.etAl,
                                 year: year, yearSuffix: suffix, locator: loc, defects: parse.defects)
                out.append(c, FoundCitation(firstAuthorWords: parse.firstWords, weak: weak, inheritsFrom: nil))
            } else {
                let c = Citation(span: Span(toks[y.index].start, yEnd), style: .narrative, authors: parse.authors, etAl: parse.etAl,
                                 year: year, yearSuffix: suffix, locator: loc)
                out.append(c, FoundCitation(firstAuthorWords: parse.firstWords, weak: weak, inheritsFrom: first))
            }
            // `2019a, b`
            appendSuffixRun(t, toks, y.end, toks.count, year: year, suffix: suffix, inheritsFrom: first, style: .narrative, &out)
        }
    }

    /// `2019a, b, c`: further suffix letters after a suffixed year.
    private func appendSuffixRun(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ from: Int, _ end: Int, year: String,
                                 suffix: String?, inheritsFrom: Int, style: Citation.Style, _ out: inout FoundCitations) {
        guard suffix != nil else { return }
        var j = from
        while j + 1 < end, toks[j].isComma, toks[j + 1].kind == .word, toks[j + 1].count == 1, Bytes.isLowerASCII(t[toks[j + 1].start]),
              j + 2 == end || toks[j + 2].isComma || toks[j + 2].isSemicolon {
            let tk = toks[j + 1]
            let c = Citation(span: Span(tk.start, tk.end), style: style, authors: out.citations[inheritsFrom].authors,
                             etAl: out.citations[inheritsFrom].etAl, year: year, yearSuffix: Bytes.string(t, tk.start, tk.end))
            let parent = out.notes[inheritsFrom]
            out.append(c, FoundCitation(firstAuthorWords: parent.firstAuthorWords, weak: parent.weak, inheritsFrom: inheritsFrom))
            j += 2
        }
    }

    private func parenthetical(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ years: [YearAt], _ out: inout FoundCitations) {
        var lastWithAuthors: Int? = nil
        var segStart = 0
        var y = 0
        while segStart <= toks.count, y < years.count {
            var segEnd = segStart
            while segEnd < toks.count, !toks[segEnd].isSemicolon { segEnd += 1 }
            var prevEnd = segStart
            while y < years.count, years[y].index < segEnd {
                let ya = years[y]
                y += 1
                guard ya.index >= prevEnd else { continue }
                // ranges: 1990-1995, and the number after a range dash
                if ya.index > segStart, toks[ya.index - 1].isDash, ya.index - 2 >= segStart, toks[ya.index - 2].kind == .number {
                    prevEnd = ya.end
                    continue
                }
                let (year, suffix) = YearToken.value(t, toks, ya.index)
                let yEnd = toks[ya.end - 1].end
                var citationIndex: Int? = nil
                if var parse = parseAuthorsBackward(t, toks, prevEnd, ya.index, possessiveLast: false) {
                    var weak = parse.weak
                    // prose before the name (`or HiSeq 2000`), other than a citing prefix (`see`, `e.g.`)
                    if parse.startIndex > prevEnd, toks[parse.startIndex - 1].kind == .word,
                       !Self.citingPrefixes.contains(Bytes.folded(t, toks[parse.startIndex - 1].start, toks[parse.startIndex - 1].end)) {
                        weak = true
                    }
                    var loose = false
                    if parse.authors.count == 1, !parse.etAl, parse.endIndex == ya.index - 1 { loose = true }
                    // (the parse's arrays moved into the citation: it is read no more)
                    let c = Citation(span: Span(parse.start, yEnd), style: .parenthetical, authors: take(&parse.authors), etAl: parse.etAl,
                                     year: year, yearSuffix: suffix, defects: take(&parse.defects))
                    out.append(c, FoundCitation(firstAuthorWords: take(&parse.firstWords), weak: weak, inheritsFrom: nil, loose: loose))
                    citationIndex = out.count - 1
                    lastWithAuthors = citationIndex
                } else if let parent = lastWithAuthors, onlyConnectors(t, toks, prevEnd, ya.index) {
                    let c = Citation(span: Span(toks[ya.index].start, yEnd), style: .parenthetical, authors: out.citations[parent].authors,
                                     etAl: out.citations[parent].etAl, year: year, yearSuffix: suffix)
                    let p = out.notes[parent]
                    out.append(c, FoundCitation(firstAuthorWords: p.firstAuthorWords, weak: p.weak, inheritsFrom: parent))
                    citationIndex = out.count - 1
                }
                var next = ya.end
                if let ci = citationIndex {
                    if let (loc, after) = locator(t, toks, next, segEnd, afterYear: true) {
                        out.citations[ci].locator = loc
                        next = after
                    }
                    let parent = out.notes[ci].inheritsFrom ?? ci
                    let before = out.count
                    appendSuffixRun(t, toks, next, segEnd, year: year, suffix: suffix, inheritsFrom: parent, style: .parenthetical, &out)
                    if out.count > before { next += 2 * (out.count - before) }
                }
                prevEnd = next
            }
            segStart = segEnd + 1
        }
    }

    private func onlyConnectors(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ from: Int, _ to: Int) -> Bool {
        for i in from..<to {
            let tk = toks[i]
            if tk.isComma || tk.isAmpersand || tk.isSemicolon { continue }
            if Bytes.isWord(t, tk, "and") { continue }
            return false
        }
        return true
    }

    private func isDeterminer(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token) -> Bool {
        tk.kind == .word && !tk.upperFirst && Names.isDeterminerOrPlacePreposition(Bytes.string(t, tk.start, tk.end))
    }

    // MARK: Names, read backwards from the year

    /// Words after a narrative citation that make it one (`Barnett (2020) argues`).
    static let reportingWords: Set<String> = {
        let stems = ["argue", "state", "show", "note", "suggest", "claim", "observe", "report", "contend", "point",
                     "explain", "describe", "emphasize", "emphasise", "highlight", "maintain", "assert", "conclude",
                     "propose", "define", "discuss", "examine", "demonstrate", "reveal", "indicate", "recognize",
                     "recognise", "acknowledge", "stress", "underline", "mention", "believe", "analyse", "analyze",
                     "investigate", "document", "warn", "caution", "insist", "remark", "add", "term", "call", "view",
                     "consider", "emphasise", "outline", "summarize", "summarise", "list", "review", "survey", "trace",
                     "explore", "assess", "evaluate", "estimate", "calculate", "measure", "model", "predict", "test",
                     "confirm", "establish", "introduce", "develop", "present", "provide", "offer", "identify",
                     "criticize", "criticise", "question", "challenge", "reject", "support", "agree", "disagree",
                     "attribute", "link", "relate", "compare", "distinguish", "classify", "characterize", "characterise"]
        var s: Set<String> = ["found", "finds", "find", "wrote", "writes", "write", "shown", "saw", "sees", "has", "have",
                              "had", "was", "were", "is", "are", "also", "further", "similarly", "likewise", "too",
                              "in", "on", "and", "who", "which", "whose", "identifies", "identified", "studies",
                              "studied", "study", "applies", "applied", "argued", "stated", "notes", "observes", "put",
                              "puts", "framed", "frames", "gave", "gives", "made", "makes", "took", "takes", "led", "used",
                              "uses", "says", "said", "held", "holds", "thought", "thinks", "felt", "feels", "sought"]
        for st in stems {
            s.insert(st)
            s.insert(st.hasSuffix("e") ? st + "s" : st + "s")
            s.insert(st.hasSuffix("e") ? st + "d" : st + "ed")
            if st.hasSuffix("y") { s.insert(String(st.dropLast()) + "ies"); s.insert(String(st.dropLast()) + "ied") }
        }
        return s
    }()

    /// Words before a narrative citation that make it one (`according to Smith (2019)`).
    static let narrativeLeadIns: Set<String> = ["to", "by", "see", "cf", "following", "after", "like", "unlike", "per", "and", "with", "as"]

    static let citingPrefixes: Set<String> = [
        "see", "e", "g", "eg", "i", "ie", "cf", "also", "and", "in", "reviewed", "review", "reviews", "for", "as", "by",
        "from", "following", "after", "according", "to", "compare", "discussed", "described", "especially",
        "particularly", "summarized", "ref", "refs", "reference", "references", "citing", "cited", "quoted",
        "quoting", "via", "with", "but", "mainly", "mostly", "notably", "including", "incl", "like", "here",
    ]

    struct AuthorParse {
        /// Token index of the last token of the names (before any comma or `et al.`).
        var endIndex: Int = 0
        var authors: [String]
        var firstWords: [(text: String, start: Int)]
        var start: Int
        var startIndex: Int
        var etAl: Bool
        var defects: [String]
        var weak: Bool
        /// `et al.` as written, "" without.
        var etAlWritten: String
        /// The names as written in a message (`Smith & Jones`, `Smith, Jones, Lee`, `Smith et al.`):
        /// made only when a message needs it.
        var authorsText: String {
            var s = authors.joined(separator: authors.count == 2 ? " & " : ", ")
            if etAl { s += " \(etAlWritten)" }
            return s
        }
    }

    /// One name: the word tokens `startIndex...lastIndex`, the last one ending at `lastEnd` (before
    /// a possessive `'s`). Its text is made only when it is kept.
    private struct Name {
        var startIndex: Int
        var lastIndex: Int
        var lastEnd: Int

        func wordEnd(_ toks: [Token], _ k: Int) -> Int { k == lastIndex ? lastEnd : toks[k].end }

        /// The words, one space between them.
        func text(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token]) -> String {
            if startIndex == lastIndex { return Bytes.string(t, toks[startIndex].start, lastEnd) }
            var n = lastIndex - startIndex
            for k in startIndex...lastIndex { n += wordEnd(toks, k) - toks[k].start }
            return String(unsafeUninitializedCapacity: n) { out in
                var w = 0
                for k in startIndex...lastIndex {
                    if k > startIndex { out[w] = 0x20; w += 1 }
                    for b in toks[k].start..<wordEnd(toks, k) { out[w] = t[b]; w += 1 }
                }
                return w
            }
        }
    }

    /// Reads the names that end at token `hi - 1` (the token before the year), going back no
    /// further than `lo`.
    func parseAuthorsBackward(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ lo: Int, _ hi: Int, possessiveLast: Bool) -> AuthorParse? {
        var k = hi - 1
        guard k >= lo else { return nil }
        var defects: [String] = []
        while k >= lo, toks[k].isComma { k -= 1 }
        // an abbreviation in brackets after a group author: `World Health Organization [WHO], 2020`
        if k - 2 >= lo, toks[k].isPunct(0x5D), toks[k - 1].kind == .word, toks[k - 2].isPunct(0x5B) {
            k -= 3
        }
        var strayBeforeYear: String? = nil
        if k - 1 >= lo, toks[k].isPeriod, toks[k - 1].kind == .word, toks[k - 1].count >= 2, !isWord(t, toks[k - 1], "al") {
            strayBeforeYear = Bytes.string(t, toks[k - 1].start, toks[k - 1].end)
            k -= 1
            while k >= lo, toks[k].isComma { k -= 1 }
        }
        var etAl = false
        var etAlWritten = ""
        if let (newK, written, ok) = etAlBackward(t, toks, lo, k) {
            etAl = true
            etAlWritten = written
            if !ok { defects.append("'\(written)' should be 'et al.'") }
            k = newK
            while k >= lo, toks[k].isComma { k -= 1 }
        }
        guard var cur = nameBackward(t, toks, lo, k, possessive: possessiveLast && !etAl && strayBeforeYear == nil) else { return nil }
        if let s = strayBeforeYear, !etAl { defects.append("stray period after '\(s)'") }
        // (the names' texts kept as they are read, last name first, and only the last name read and
        // the first kept: no array of the names; room for two texts, most citations' names)
        let last = cur
        var texts: [String] = []
        texts.reserveCapacity(2)
        texts.append(cur.text(t, toks))
        var weak = isDoubtful(t, toks, cur)
        var commaAnd = false
        k = cur.startIndex - 1
        while true {
            let save = k
            var conn = false
            var strayPeriod = false
            var thisCommaAnd = false
            if k >= lo, toks[k].isAmpersand || isWord(t, toks[k], "and") && !toks[k].upperFirst {
                conn = true
                k -= 1
                if k >= lo, toks[k].isComma {
                    thisCommaAnd = true
                    k -= 1
                } else if k - 1 >= lo, toks[k].isPeriod, toks[k - 1].kind == .word, toks[k - 1].count >= 2 {
                    strayPeriod = true
                    k -= 1
                }
            } else if k >= lo, toks[k].isComma {
                conn = true
                k -= 1
            }
            guard conn else { k = save; break }
            // initials after a name: `Zwingel, S., & Zwingel`
            var initials: [String] = []
            var k2 = k
            while k2 - 1 >= lo, toks[k2].isPeriod, toks[k2 - 1].kind == .word, toks[k2 - 1].count == 1, toks[k2 - 1].upperFirst {
                initials.insert(Bytes.string(t, toks[k2 - 1].start, toks[k2].end), at: 0)
                k2 -= 2
            }
            if !initials.isEmpty {
                if k2 >= lo, toks[k2].isComma { k = k2 - 1 } else { k = save; break }
            }
            guard let prev = nameBackward(t, toks, lo, k, possessive: false) else { k = save; break }
            if strayPeriod { defects.append("stray period after '\(prev.text(t, toks))'") }
            if !initials.isEmpty {
                defects.append("initials '\(initials.joined(separator: " "))' after '\(prev.text(t, toks))' (a citation names surnames only)")
            } else if thisCommaAnd {
                commaAnd = true
            }
            texts.append(prev.text(t, toks))
            if !weak { weak = isDoubtful(t, toks, prev) }
            cur = prev
            k = prev.startIndex - 1
        }
        if texts.count > 1 { texts.reverse() }
        if commaAnd && texts.count == 2 {
            defects.append("comma before '&' between two names ('\(texts[0]), &' should be '\(texts[0]) &')")
        }
        let first = cur
        if texts.count == 1, !etAl, first.startIndex == first.lastIndex, toks[first.startIndex].allCaps { weak = true }
        // Order the defects as they appear in the text.
        if defects.count > 1 { defects.reverse() }
        let firstWords = first.startIndex == first.lastIndex ? [] : (first.startIndex...first.lastIndex).map { k in
            (text: Bytes.string(t, toks[k].start, first.wordEnd(toks, k)), start: toks[k].start)
        }
        return AuthorParse(endIndex: last.lastIndex, authors: texts, firstWords: firstWords, start: toks[first.startIndex].start,
                           startIndex: first.startIndex, etAl: etAl, defects: defects, weak: weak, etAlWritten: etAlWritten)
    }

    /// A word of the name is one that is never or seldom a surname (`Names.doubtfulWordSet`).
    private func isDoubtful(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ n: Name) -> Bool {
        for k in n.startIndex...n.lastIndex where Names.doubtfulWordSet.contains(t, toks[k].start, n.wordEnd(toks, k)) { return true }
        return false
    }

    private func isWord(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token, _ w: StaticString) -> Bool {
        Bytes.isWord(t, tk, w)
    }

    /// `et al.` / `et al` / `et. al.` / `et. Al` / `et.al.` ending at token `k`: the index before it,
    /// the text as written and whether it is written `et al.` / `et al`.
    private func etAlBackward(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ lo: Int, _ k: Int) -> (Int, String, Bool)? {
        var j = k
        guard j >= lo else { return nil }
        var trailingPeriod = false
        if toks[j].isPeriod { trailingPeriod = true; j -= 1 }
        guard j >= lo, isWord(t, toks[j], "al") else { return nil }
        let alTok = toks[j]
        j -= 1
        var innerPeriod = false
        if j >= lo, toks[j].isPeriod { innerPeriod = true; j -= 1 }
        guard j >= lo, isWord(t, toks[j], "et") else { return nil }
        let etTok = toks[j]
        let end = trailingPeriod ? toks[k].end : alTok.end
        let written = Bytes.cleanString(t, etTok.start, end)
        let ok = !innerPeriod && t[etTok.start] == 0x65 && t[alTok.start] == 0x61
        return (j - 1, written, ok)
    }

    /// One name ending at token `k`: capitalized words (at most five) and lower-case particles
    /// before them, not across a stop word.
    private func nameBackward(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ lo: Int, _ k: Int, possessive: Bool) -> Name? {
        guard k >= lo else { return nil }
        let last = toks[k]
        guard last.kind == .word, last.count >= 2, isNameWord(t, last) else { return nil }
        var lastEnd = last.end
        if possessive {
            if t[last.end - 2] == 0x27 { lastEnd -= 2 } else if last.length > 4, t[last.end - 2] == 0x99 { lastEnd -= 4 }
        }
        guard !isStopWord(t, last.start, lastEnd) else { return nil }
        // (not `et` or `al` as written)
        if lastEnd - last.start == 2 {
            let a = t[last.start]
            let b = t[last.start + 1]
            if a == 0x65 && b == 0x74 || a == 0x61 && b == 0x6C { return nil }
        }
        var j = k - 1
        var words = 1
        while j >= lo, words < 5 {
            let w = toks[j]
            guard w.kind == .word else { break }
            if w.upperFirst || isNameWord(t, w) {
                guard w.count >= 2, !isStopWord(t, w.start, w.end) else { break }
            } else if !isParticle(t, w) {
                break
            }
            words += 1
            j -= 1
        }
        // a lower-case particle alone at the front stays only before a capitalized word (always true here)
        return Name(startIndex: j + 1, lastIndex: k, lastEnd: lastEnd)
    }

    /// `Names.isStopWord` of the text `[from, to)`, without a string of it when it is ASCII.
    private func isStopWord(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        Names.stopWordSet.contains(t, from, to)
    }

    /// `Names.isParticle` of the token (lower-cased as written, not folded).
    private func isParticle(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token) -> Bool {
        if Bytes.isASCII(t, tk.start, tk.end) { return Names.particleSet.contains(t, tk.start, tk.end) }
        return Names.isParticle(Bytes.string(t, tk.start, tk.end))
    }

    /// Capitalized, or a lower-case prefix joined to a capital (`al-Khan`, `d'Alembert`).
    private func isNameWord(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token) -> Bool {
        if tk.upperFirst { return true }
        var i = tk.start
        let e = min(tk.end, tk.start + 6)
        while i < e - 1 {
            let b = t[i]
            if b == 0x2D || b == 0x27 {
                return Bytes.isUpperASCII(t[i + 1]) || t[i + 1] >= 0xC3
            }
            i += 1
        }
        return false
    }
}
