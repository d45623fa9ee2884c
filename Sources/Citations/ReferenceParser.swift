import AssayCore
import Foundation

/// Splits a references section into entries and parses each entry into a `Reference`.
///
/// **Entries.** One per list item or paragraph of the section (its first block, the heading, is
/// skipped), and one per line inside a block whose lines each start an entry (the eLife/Vancouver
/// lists of a plain-text article). A block or line that does not start like an entry (a lower-case
/// start, or no author-and-year shape) continues the previous entry: a page break inside an entry
/// is not a new entry. One line may hold several entries (a list item with the same work pasted
/// twice): it is split where, after the end of one entry (`.` `)` or a DOI), a new
/// `Surname, I., YYYY.` / `Surname, I. (YYYY).` / `Surname I, Surname J. YYYY.` start follows.
///
/// **Authors** (the names before the year):
/// - Harvard and APA, family first with initials: `Kai, S., Wang, B., … and Liu, W., 2020`,
///   `Hussain, N., Khan, A., & Chandio, L. A. (2023)`, compact `Padía, L.B.`, particles
///   `van der Berg, J.`, two-word `Suess Schwend, A.`, all caps `KHAN, A., USMAN, M.`,
///   a co-author without initials `Zwingel, S., & Zwingel. (2016)`.
/// - Database-exploded initials `Usman, M. U. H. A. M. M. A. D., Amjad, S. O. H. A. I. L.`: the
///   family is `Usman`, the given name is written out (`Muhammad`) when the letters spell a word.
/// - Given names first, no initials: `Asif Khan, Muhammad Usman, & sohail Amjad. (2023).` ->
///   families Khan, Usman, Amjad.
/// - Vancouver/eLife: `Adler I, Barabé D, Jean RV. 1997.`, `Barbier de Reuille P, …`,
///   `van Anken E`.
/// - Organizations: `Royal Society. 2009.`, `1000 Genomes Project Consortium, Abecasis GR, …`.
/// - Editors: `Art, R.J., Crawford, T.W. and Jervis, R. eds., 2023.`, `Goodhart, M.E. ed., 2016.`,
///   `Smith, J. (Ed.). (2019).` set `editors`.
/// - `et al.` and `…` in the list are skipped.
///
/// **Year**: `(2023).`, `(2019a).`, `, 2020.`, `, 2020, October.`, `. 1997.`, `2004a.`, `(n.d.)`,
/// `(in press)`; when no year follows the names (Chicago, MLA), the first free-standing year later
/// in the entry.
///
/// **Title**: the italic run right after the year (a book: `*International human rights*.`), else
/// the text up to the first sentence end (`.` not after an initial or an abbreviation such as `v.`,
/// `Vol.`, `No.`; `?` or `!` only when a journal, `In` or the entry end follows).
///
/// **Source** (after the title):
/// - journal in italics or plain: `*Journal*, 51(4), 877-900.`, `*Journal*, 1(1), pp.1-12.`,
///   `*J. Int'l L.*, 18, p.66.`, `*Al-Qamar*, 13-26.`, `*IIUMLJ*, 31, 393.`,
///   Vancouver `Annals of Botany 80:231–244.`;
/// - chapter or proceedings: `In *Book* (pp. 91-106). Routledge.`,
///   `In *ERA forum* (Vol. 20, No. 4, pp. 567-583). Berlin/Heidelberg: Springer.`,
///   `In J. Smith (Eds.), *Book* (pp. 1–20). Publisher.`;
/// - book: `*Title* (Vol. 14). Brill.`, `*Title*. London: Palgrave Macmillan.` (publisher without
///   the place);
/// - dissertation: `*Title* (Doctoral dissertation, Bochum, Univ., Diss., 2005).` (publisher is the
///   institution).
/// A plain (not italic) segment after a plain title is a container only when a volume or pages
/// follow or it reads like a journal name, a publisher only when it follows `Place:` or reads like
/// a publisher; otherwise the field stays nil. DOIs, URLs and access notes are dropped.
struct ReferenceParser {
    /// Parses the references of `document` inside `section`.
    func parse(_ document: Document, section: Section) -> [Reference] {
        let emphasis = document.emphasis.filter { section.span.overlaps($0) }.sorted()
        return document.textBytes.withUnsafeBufferPointer { t -> [Reference] in
            let units = self.units(t, document.blocks, section.span)
            var refs: [Reference] = []
            refs.reserveCapacity(units.count)
            // Each entry is parsed once the next unit is known to start another (or the units
            // end): its tokens then are in one of three arrays reused from entry to entry, not an
            // array made per unit. (`current`: the entry's span; `known`: what telling its start
            // read, when its tokens are `currentTokens`.)
            var current: Span?
            var known: EntryStart?
            var currentTokens: [Token] = []
            var lineTokens: [Token] = []
            var entryTokens: [Token] = []
            var bodyScratch = BodyScratch()
            for u in units {
                let s = skipMarker(t, u.start, u.end)
                guard s < u.end else { continue }
                guard let e = current else {
                    current = Span(s, u.end)
                    continue
                }
                Bytes.tokenize(t, s, min(u.end, s + 800), into: &lineTokens)
                if let start = entryStart(t, s, u.end, lineTokens) {
                    parseEntries(t, e, emphasis, known: known, knownTokens: currentTokens, scratch: &entryTokens, body: &bodyScratch, into: &refs)
                    current = Span(s, u.end)
                    known = u.end - s <= 800 ? start : nil
                    swap(&currentTokens, &lineTokens)
                } else {
                    current!.end = u.end
                    known = nil
                }
            }
            if let e = current {
                parseEntries(t, e, emphasis, known: known, knownTokens: currentTokens, scratch: &entryTokens, body: &bodyScratch, into: &refs)
            }
            return refs
        }
    }

    /// Parses the block or line `e` into `refs`: one entry, or several when more start inside it.
    /// (`known`: what telling its start read, its tokens `knownTokens`; without it, `e` is
    /// tokenized into `scratch`.)
    private func parseEntries(_ t: UnsafeBufferPointer<UInt8>, _ e: Span, _ emphasis: [Span], known: EntryStart?,
                              knownTokens: [Token], scratch: inout [Token], body: inout BodyScratch, into refs: inout [Reference]) {
        if known == nil { Bytes.tokenize(t, e.start, e.end, into: &scratch) }
        // (one tokenization per block or line, however many entries it holds: each entry reads
        // its own stretch of these tokens, so a paragraph of joined lines holding thousands of
        // entries costs in proportion to its length)
        let toks = known == nil ? scratch : knownTokens
        var first = 0
        var start = e.start
        var known = known
        while true {
            let (ref, next) = parseEntry(t, Span(start, e.end), emphasis, tokens: toks, from: first, start: known, scratch: &body)
            known = nil
            refs.append(ref)
            guard let next else { break }
            first = next
            start = toks[next].start
        }
    }

    // MARK: - Units and entry starts

    /// Lines of the blocks inside the section, the heading block left out.
    func units(_ t: UnsafeBufferPointer<UInt8>, _ blocks: [Block], _ sec: Span) -> [Span] {
        var spans = blocks.filter { sec.contains($0.span) || (sec.overlaps($0.span) && $0.span.start >= sec.start) }.map(\.span)
        if spans.isEmpty { spans = [sec] }
        var out: [Span] = []
        for (n, b) in spans.enumerated() {
            let end = min(b.end, sec.end)
            var i = b.start
            while i < end {
                // (the line's end found by memchr)
                let j = memchr(t.baseAddress! + i, 0x0A, end - i).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - t.baseAddress! } ?? end
                let s = trimStart(t, i, j)
                let e = trimEnd(t, s, j)
                if s < e {
                    if n == 0 && out.isEmpty && isHeading(t, s, e) {
                        // the section's heading
                    } else {
                        out.append(Span(s, e))
                    }
                }
                i = j + 1
            }
        }
        return out
    }

    func isHeading(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        ReferenceSectionLocator.isReferencesHeading(t, s, e)
    }

    func trimStart(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        var i = s
        while i < e {
            let (v, n) = Bytes.decode(t, i, e)
            if !Bytes.isSpace(v) { break }
            i += n
        }
        return i
    }

    func trimEnd(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        var j = e
        while j > s {
            let b = t[j - 1]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { j -= 1; continue }
            if b == 0xA0, j - 2 >= s, t[j - 2] == 0xC2 { j -= 2; continue }
            break
        }
        return j
    }

    /// Skips a list marker: `- `, `* `, `• `, `[12] `, `12. `, `12) `.
    func skipMarker(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        var i = s
        guard i < e else { return i }
        let b = t[i]
        if (b == 0x2D || b == 0x2A || b == 0x2B), i + 1 < e, t[i + 1] == 0x20 {
            i += 2
        } else if b == 0xE2, i + 3 < e, t[i + 1] == 0x80, t[i + 2] == 0xA2 {
            i += 3
        } else if b == 0x5B {
            var j = i + 1
            while j < e, j < i + 6, Bytes.isDigit(t[j]) { j += 1 }
            if j > i + 1, j < e, t[j] == 0x5D { i = j + 1 }
        } else if Bytes.isDigit(b) {
            var j = i
            while j < e, j < i + 4, Bytes.isDigit(t[j]) { j += 1 }
            if j < e, t[j] == 0x2E || t[j] == 0x29, j + 1 < e, t[j + 1] == 0x20 { i = j + 2 }
        }
        return trimStart(t, i, e)
    }

    /// A block or line that starts like a reference entry: an upper-case letter (or a number
    /// starting an organization name) and either the author-then-year shape or `Surname, Given` /
    /// `Surname AB` at its start.
    /// (`tokens`: `Bytes.tokenize(t, s, min(e, s + 800))`, when the caller has them.)
    func looksLikeEntryStart(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ tokens: [Token]? = nil) -> Bool {
        entryStart(t, s, e, tokens ?? Bytes.tokenize(t, s, min(e, s + 800))) != nil
    }

    /// What telling an entry's start read from its first tokens (`Bytes.tokenize(t, s, min(e, s +
    /// 800))`): the names-and-year region at its start, which parsing the entry then reads again
    /// rather than scanning anew.
    struct EntryStart {
        /// `scanAuthorRegion(t, tokens, 0)`.
        var region: AuthorRegion?
    }

    /// `looksLikeEntryStart` of the line `[s, e)` with its first `tokens`: what it read when it
    /// does, nil when it does not.
    func entryStart(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ toks: [Token]) -> EntryStart? {
        let (v, _) = Bytes.decode(t, s, e)
        let numberStart = v < 0x80 && Bytes.isDigit(UInt8(v))
        // a lower-case start only for a particle before a capitalized name (`van Heel M`, `de Waal, F.`)
        var p = 0
        while p < min(toks.count, 3), toks[p].kind == .word, !toks[p].upperFirst, Names.isParticle(Bytes.string(t, toks[p].start, toks[p].end)) { p += 1 }
        let particleStart = p > 0 && p < toks.count && toks[p].kind == .word && toks[p].upperFirst
        guard Bytes.isUpper(v) || numberStart || particleStart else { return nil }
        let region = scanAuthorRegion(t, toks, 0)
        let start = EntryStart(region: region)
        if region?.year != nil { return start }
        guard toks.count >= 3, toks[0].kind == .word, toks[0].upperFirst else { return nil }
        if toks[1].isComma, toks[2].kind == .word, toks[2].upperFirst { return start }
        if toks[1].kind == .word, toks[1].allCaps || (toks[1].count == 1 && toks[1].upperFirst),
           toks[1].count <= 3, toks[2].isComma || toks[2].isPeriod { return start }
        return nil
    }

    struct AuthorRegion {
        /// Tokens `[0, end)` are the names (editor marks included).
        var end: Int
        /// Index of the year token (or the first token of `n.d.` / `in press`), nil when none.
        var year: Int?
        var yearTokens: Int
        var hasInitials: Bool
    }

    /// Reads name-shaped tokens from `from` up to the year. Fails on any other token.
    func scanAuthorRegion(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ from: Int, maxTokens: Int = 700) -> AuthorRegion? {
        var i = from
        var runWords = 0
        var hasInitials = false
        let limit = min(toks.count, from + maxTokens)
        defer { WorkCounter.add(i - from) }
        while i < limit {
            let tk = toks[i]
            // (only a token that may start a year or a yearless mark is looked up)
            if YearToken.mayStart(t, tk), let y = pseudoOrYear(t, toks, i) {
                guard i > from else { return nil }
                var end = i
                while end > from, toks[end - 1].isPunct(0x28) || toks[end - 1].isComma || toks[end - 1].isPeriod && !(end - 2 >= from && isInitialToken(toks[end - 2])) {
                    end -= 1
                }
                return AuthorRegion(end: end, year: i, yearTokens: y, hasInitials: hasInitials)
            }
            switch tk.kind {
            case .number:
                if i != from { return nil }
                runWords = 1
            case .word:
                runWords += 1
                if runWords > 12 { return nil }
                if tk.count <= 2 && tk.upperFirst { hasInitials = true }
                if tk.allCaps && tk.count <= 3 && i > from && toks[i - 1].kind == .word { hasInitials = true }
            case .punct:
                switch tk.scalar {
                case 0x2C, 0x26:  // , &
                    runWords = 0
                case 0x2E, 0x2D, 0x2010, 0x2026, 0x27, 0x2019:  // . - ‐ … ' ’
                    break
                case 0x28, 0x29:  // ( ) around Eds.
                    break
                default:
                    return nil
                }
            }
            if !tk.upperFirst, Bytes.isWord(t, tk, "and") { runWords = 0 }
            i += 1
        }
        return nil
    }

    func isInitialToken(_ tk: Token) -> Bool { tk.kind == .word && tk.count <= 2 && tk.upperFirst }

    func pseudoOrYear(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ i: Int) -> Int? { YearToken.at(t, toks, i) }

    // MARK: - One entry

    /// The arrays an entry's emphasis and its source's tokens are read into, kept from one entry to
    /// the next: no arrays made and freed per entry.
    struct BodyScratch {
        var emphasis: [Span] = []
        var tokens: [Token] = []
    }

    /// An entry with no fields, each entry's start.
    static let blankReference = Reference(span: Span(0, 0))

    /// Parses the entry starting at `span.start`, whose tokens are `toks[from...]` (`toks` runs to
    /// `span.end`); when another entry starts inside the span, also returns the index of its first
    /// token. The entry's reference spans up to there.
    /// (`start`: what telling the span's start read, when `from` is 0 and its tokens are `toks`.)
    func parseEntry(_ t: UnsafeBufferPointer<UInt8>, _ span: Span, _ emphasis: [Span], tokens toks: [Token], from a: Int,
                    start: EntryStart? = nil, scratch: inout BodyScratch) -> (Reference, next: Int?) {
        // (a copy of a blank entry: `Reference.init`, in another module, copies and destroys
        // what it is given)
        var ref = Self.blankReference
        ref.span = span
        guard a < toks.count else { return (ref, nil) }

        var titleStart: Int
        var afterYearTok: Int
        // a yearless entry's year: the first free-standing one after its names, looked for once
        // the entry's end is known
        var yearFrom: Int?
        // (the names before the year were read already when telling the entry's start)
        let names = start != nil ? start!.region : scanAuthorRegion(t, toks, a)
        if let region = names, let y = region.year {
            parseAuthors(t, toks, a, region.end, &ref)
            let yt = region.yearTokens
            setYear(t, toks, y, yt, &ref)
            var k = y + yt
            // closing punctuation, Harvard month: `2020, October.`
            while k < toks.count, toks[k].isPunct(0x29) || toks[k].isComma || toks[k].isPeriod { k += 1 }
            // (the month is looked up last: the word after a year most often starts the title)
            if k + 1 < toks.count, toks[k].kind == .word, toks[k + 1].isPeriod || toks[k + 1].kind == .number || toks[k + 1].isComma,
               Names.monthSet.contains(t, toks[k].start, toks[k].end) {
                k += 1
                while k < toks.count, toks[k].kind == .number || toks[k].isComma || toks[k].isPeriod { k += 1 }
            }
            afterYearTok = k
        } else {
            // No year after the names (Chicago, MLA): names up to the first period after a word.
            var k = a
            while k < toks.count, k < a + 200 {
                if toks[k].isPeriod, k > a, toks[k - 1].kind == .word, toks[k - 1].count >= 2 { break }
                k += 1
            }
            if k < toks.count, k > a,
               start != nil || looksLikeEntryStart(t, span.start, span.end, a == 0 && span.length <= 800 ? toks : nil) {
                parseAuthors(t, toks, a, k, &ref)
                afterYearTok = k + 1
            } else {
                afterYearTok = a
            }
            yearFrom = afterYearTok
        }
        titleStart = afterYearTok < toks.count ? toks[afterYearTok].start : span.end

        // Another entry on the same line?
        var entryEnd = span.end
        var next: Int?
        var k = max(afterYearTok, a + 1)
        while k < toks.count {
            let tk = toks[k]
            if tk.kind == .word, tk.upperFirst, tk.count >= 2, tk.spaceBefore,
               toks[k - 1].isPeriod || toks[k - 1].isPunct(0x29) || toks[k - 1].isPunct(0x2A) || toks[k - 1].kind == .number,
               strictEntryStart(t, toks, k) {
                next = k
                entryEnd = trimEnd(t, span.start, tk.start)
                break
            }
            k += 1
        }
        if let from = yearFrom {
            // the first free-standing year of this entry (not of the one after it)
            for j in from..<(next ?? toks.count) where Bytes.year(t, toks[j]) != nil {
                let before = j > a ? toks[j - 1] : nil
                let after = j + 1 < toks.count ? toks[j + 1] : nil
                if before?.isDash == true || after?.isDash == true { continue }
                if let following = after, following.isPunct(0x2F) || following.isPunct(0x3A) { continue }
                setYear(t, toks, j, 1, &ref)
                break
            }
        }
        // (emphasis read within the entry: a list of thousands of entries on one line is read once)
        localEmphasis(t, Span(span.start, entryEnd), emphasis, into: &scratch.emphasis)
        parseBody(t, Span(titleStart, entryEnd), scratch.emphasis, entryTokens: toks, bodyTokens: &scratch.tokens, &ref)
        ref.span = Span(span.start, entryEnd)
        return (ref, next)
    }

    /// A new `Surname, I., YYYY.` / `Surname, I. (YYYY).` / `Surname I, … YYYY.` start at token `k`.
    func strictEntryStart(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ k: Int) -> Bool {
        guard let r = scanAuthorRegion(t, toks, k, maxTokens: 300), let y = r.year, r.hasInitials, y - k >= 2 else { return false }
        let after = y + r.yearTokens
        guard after < toks.count else { return true }
        let a = toks[after]
        return a.isPeriod || a.isPunct(0x29) || a.isComma
    }

    func setYear(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ i: Int, _ n: Int, _ ref: inout Reference) {
        let (y, s) = YearToken.value(t, toks, i)
        ref.year = y
        ref.yearSuffix = s
    }

    // MARK: Authors

    /// One author chunk: the tokens `[lo, hi)` of `parseAuthors`' token buffer, and how it reads.
    private struct Chunk {
        var lo: Int
        var hi: Int
        var kind: Kind
        enum Kind { case initials, vancouver, name }
    }

    /// Reads the names in tokens `[from, to)` into `ref.authors` and `ref.editors`.
    func parseAuthors(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ from: Int, _ to: Int, _ ref: inout Reference) {
        // the name tokens in one buffer, each chunk (between `,` `&` `and` `;`) a range of it, both
        // in scratch room (a chunk has a token, and a separator before the next): no array per
        // entry, none per chunk
        withUnsafeTemporaryAllocation(of: Token.self, capacity: to - from) { tokenRoom in
            withUnsafeTemporaryAllocation(of: Chunk.self, capacity: (to - from) / 2 + 1) { chunkRoom in
                parseAuthors(t, toks, from, to, &ref, tokenRoom: tokenRoom, chunkRoom: chunkRoom)
            }
        }
    }

    private func parseAuthors(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ from: Int, _ to: Int, _ ref: inout Reference,
                              tokenRoom: UnsafeMutableBufferPointer<Token>, chunkRoom: UnsafeMutableBufferPointer<Chunk>) {
        var tokenCount = 0
        var chunkCount = 0
        var chunkStart = 0
        var i = from
        while i < to {
            let tk = toks[i]
            if isEditorMark(t, tk) {
                ref.editors = true
                i += 1
                continue
            }
            if Bytes.isWord(t, tk, "et"), i + 1 < to, Bytes.isWord(t, toks[i + 1], "al") {
                i += 2
                continue
            }
            if tk.isComma || tk.isAmpersand || (Bytes.isWord(t, tk, "and") && !tk.upperFirst) || tk.isPunct(0x3B) {
                if tokenCount > chunkStart {
                    chunkRoom[chunkCount] = Chunk(lo: chunkStart, hi: tokenCount, kind: .name)
                    chunkCount += 1
                }
                chunkStart = tokenCount
                i += 1
                continue
            }
            if tk.kind == .punct, tk.scalar == 0x28 || tk.scalar == 0x29 || tk.scalar == 0x2026 {
                i += 1
                continue
            }
            tokenRoom[tokenCount] = tk
            tokenCount += 1
            i += 1
        }
        if tokenCount > chunkStart {
            chunkRoom[chunkCount] = Chunk(lo: chunkStart, hi: tokenCount, kind: .name)
            chunkCount += 1
        }
        let buf = UnsafeBufferPointer(rebasing: tokenRoom[0..<tokenCount])
        // trim each chunk's trailing punctuation and tell what it is; drop those left without words
        // (the chunks rewritten in place as they are read)
        var kept = 0
        for ci in 0..<chunkCount {
            let lo = chunkRoom[ci].lo
            var hi = chunkRoom[ci].hi
            while hi - lo >= 2, buf[hi - 1].isPeriod,
                  !isInitialToken(buf[hi - 2]) || Self.wordCount(buf[lo..<hi]) > 1 && !allInitials(buf[lo..<hi]) {
                hi -= 1
            }
            while hi > lo, buf[hi - 1].kind == .punct, !buf[hi - 1].isPeriod { hi -= 1 }
            var words = 0
            var lastWord = lo
            var period = false
            for k in lo..<hi {
                if buf[k].kind != .punct { words += 1; lastWord = k } else if buf[k].isPeriod { period = true }
            }
            guard words > 0 else { continue }
            var kind = Chunk.Kind.name
            if allInitials(buf[lo..<hi]) {
                kind = .initials
            } else if words >= 2, !period {
                let last = buf[lastWord]
                if last.kind == .word, last.count <= 4, last.allCaps || (last.count == 1 && last.upperFirst),
                   buf[lo..<lastWord].contains(where: { $0.kind == .word && ($0.upperFirst || $0.count > 4) }) {
                    kind = .vancouver
                }
            }
            chunkRoom[kept] = Chunk(lo: lo, hi: hi, kind: kind)
            kept += 1
        }
        let chunks = UnsafeBufferPointer(rebasing: chunkRoom[0..<kept])
        guard !chunks.isEmpty else { return }
        let hasInitials = chunks.contains { $0.kind == .initials }
        let hasVancouver = chunks.contains { $0.kind == .vancouver }
        var names: [PersonName] = []
        names.reserveCapacity(chunks.count)
        /// The text from token `a` to token `b` of the buffer, both included.
        /// (One token, most names, has no white space to clean: its bytes are the text.)
        func text(_ a: Int, _ b: Int) -> String {
            a == b ? Bytes.string(t, buf[a].start, buf[a].end) : Bytes.cleanString(t, buf[a].start, buf[b].end)
        }
        func text(_ c: Chunk) -> String { text(c.lo, c.hi - 1) }
        /// The chunk's tokens other than periods.
        func wordsAndMarks(_ c: Chunk) -> Int {
            var n = 0
            for k in c.lo..<c.hi where !buf[k].isPeriod { n += 1 }
            return n
        }
        if hasVancouver && !hasInitials {
            for c in chunks {
                if c.kind == .vancouver {
                    // the family is the words and inner marks but the last, the given name the last
                    func isNamePart(_ tk: Token) -> Bool { tk.kind != .punct || tk.isDash || Bytes.isApostrophe(tk.scalar) }
                    var first = -1
                    var last = -1
                    var beforeLast = -1
                    for k in c.lo..<c.hi where isNamePart(buf[k]) {
                        if first < 0 { first = k }
                        beforeLast = last
                        last = k
                    }
                    let family = beforeLast >= 0 ? text(first, beforeLast) : ""
                    names.append(PersonName(family: family, given: text(last, last)))
                } else {
                    names.append(PersonName(family: text(c)))
                }
            }
        } else if hasInitials {
            var k = 0
            while k < chunks.count {
                let c = chunks[k]
                if c.kind == .initials { k += 1; continue }
                if k + 1 < chunks.count, chunks[k + 1].kind == .initials {
                    names.append(PersonName(family: text(c), given: given(t, buf[chunks[k + 1].lo..<chunks[k + 1].hi])))
                    k += 2
                } else if c.kind == .vancouver {
                    names.append(PersonName(family: text(c.lo, c.hi - 2), given: text(c.hi - 1, c.hi - 1)))
                    k += 1
                } else {
                    names.append(PersonName(family: text(c)))
                    k += 1
                }
            }
        } else if chunks.count == 1 {
            names.append(PersonName(family: text(chunks[0])))
        } else if chunks.allSatisfy({ wordsAndMarks($0) >= 2 }) {
            for c in chunks { names.append(givenFirst(t, buf[c.lo..<c.hi])) }
        } else {
            var k = 0
            while k < chunks.count {
                let c = chunks[k]
                if wordsAndMarks(c) >= 2 {
                    names.append(givenFirst(t, buf[c.lo..<c.hi]))
                    k += 1
                } else if k + 1 < chunks.count {
                    names.append(PersonName(family: text(c), given: text(chunks[k + 1])))
                    k += 2
                } else {
                    names.append(PersonName(family: text(c)))
                    k += 1
                }
            }
        }
        // (the names moved into the entry; filtered only when one is empty)
        if names.contains(where: { $0.family.isEmpty }) { names.removeAll { $0.family.isEmpty } }
        ref.authors = names
    }

    /// `eds`, `ed`, `editor`, `editors`, `hrsg`, `coord`, `coords` in any case.
    func isEditorMark(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token) -> Bool {
        guard tk.kind == .word else { return false }
        switch tk.length {
        case 2: return Bytes.isWord(t, tk, "ed")
        case 3: return Bytes.isWord(t, tk, "eds")
        case 4: return Bytes.isWord(t, tk, "hrsg")
        case 5: return Bytes.isWord(t, tk, "coord")
        case 6: return Bytes.isWord(t, tk, "editor") || Bytes.isWord(t, tk, "coords")
        case 7: return Bytes.isWord(t, tk, "editors")
        default: return false
        }
    }

    static func wordCount(_ c: Slice<UnsafeBufferPointer<Token>>) -> Int {
        var n = 0
        for tk in c where tk.kind == .word { n += 1 }
        return n
    }

    private func allInitials(_ c: Slice<UnsafeBufferPointer<Token>>) -> Bool {
        var letters = 0
        var periods = 0
        for tk in c {
            switch tk.kind {
            case .word:
                guard tk.count <= 2, tk.upperFirst || tk.count == 1 else { return false }
                if tk.count == 2 && !tk.allCaps && tk.length > 3 { return false }
                letters += 1
            case .punct:
                if tk.isPeriod { periods += 1 } else if !tk.isDash { return false }
            case .number:
                return false
            }
        }
        return letters >= 1 && (periods >= 1 || letters >= 2 && c.allSatisfy { $0.kind == .word && $0.count == 1 })
    }

    /// The given name from an initials chunk: as written (`L.B.`, `M. A. H. S.`), or written out
    /// when a database exploded the name into one letter each (`M. U. H. A. M. M. A. D.`).
    private func given(_ t: UnsafeBufferPointer<UInt8>, _ c: Slice<UnsafeBufferPointer<Token>>) -> String {
        guard let f = c.first, let l = c.last else { return "" }
        // (fewer than four letters are never a name spelled out: counted before any array is made)
        var letters = 0
        var oneLetterEach = true
        var oneByteEach = true
        for tk in c where tk.kind == .word {
            letters += 1
            if tk.count != 1 { oneLetterEach = false }
            if tk.length != 1 { oneByteEach = false }
        }
        if letters >= 4, oneLetterEach {
            // (the letters read from the words' tokens where they lie: no array of the tokens)
            if oneByteEach {
                // ASCII letters, a byte each
                var ascii: [UInt8] = []
                ascii.reserveCapacity(letters)
                for tk in c where tk.kind == .word { ascii.append(t[tk.start]) }
                if let w = Names.explodedGivenName(ascii: ascii) { return w }
                return Bytes.cleanString(t, f.start, l.end)
            }
            let chars = c.compactMap { $0.kind == .word ? Bytes.string(t, $0.start, $0.end).first : nil }
            if let w = Names.explodedGivenName(chars) { return w }
        }
        return Bytes.cleanString(t, f.start, l.end)
    }

    /// `Asif Khan` -> family Khan, given Asif; `Ludwig van Beethoven` -> family `van Beethoven`.
    private func givenFirst(_ t: UnsafeBufferPointer<UInt8>, _ c: Slice<UnsafeBufferPointer<Token>>) -> PersonName {
        let ws = c.filter { $0.kind != .punct }
        guard ws.count >= 2 else { return PersonName(family: Bytes.cleanString(t, c.first!.start, c.last!.end)) }
        var k = ws.count - 1
        while k > 1, Names.isParticle(Bytes.string(t, ws[k - 1].start, ws[k - 1].end)), !ws[k - 1].upperFirst { k -= 1 }
        let family = Bytes.cleanString(t, ws[k].start, ws.last!.end)
        let given = Bytes.cleanString(t, ws[0].start, ws[k - 1].end)
        return PersonName(family: family, given: given)
    }

    // MARK: Title and source

    /// The emphasis within `span`, sorted, written into `out` (emptied first, its room kept).
    func localEmphasis(_ t: UnsafeBufferPointer<UInt8>, _ span: Span, _ emphasis: [Span], into out: inout [Span]) {
        out.removeAll(keepingCapacity: true)
        // document emphasis (sorted): binary search the first that may overlap
        var lo = 0
        var hi = emphasis.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if emphasis[mid].end <= span.start { lo = mid + 1 } else { hi = mid }
        }
        var k = lo
        while k < emphasis.count, emphasis[k].start < span.end {
            if emphasis[k].overlaps(span) { out.append(Span(max(span.start, emphasis[k].start), min(span.end, emphasis[k].end))) }
            k += 1
        }
        // literal `*...*` / `_..._` pairs left in the text
        var open: Int?
        var i = span.start
        while i < span.end {
            // (the next `*` found by memchr: most entries have none)
            guard let p = memchr(t.baseAddress! + i, 0x2A, span.end - i) else { break }
            i = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - t.baseAddress!
            var j = i
            while j < span.end, t[j] == 0x2A { j += 1 }
            if let o = open {
                out.append(Span(o, i))
                open = nil
            } else {
                open = j
            }
            i = j
        }
        if out.count > 1 { out.sort() }
    }

    /// The emphasis span starting at or just after `pos` (skipping spaces, quotes and asterisks).
    func emphasis(startingNear pos: Int, _ t: UnsafeBufferPointer<UInt8>, _ ems: [Span], _ end: Int) -> Span? {
        var p = pos
        while p < end, t[p] == 0x20 || t[p] == 0x2A || t[p] == 0x22 { p += 1 }
        return ems.first { $0.start >= pos && $0.start <= p && $0.end > $0.start }
    }

    /// Words a period does not end a title after.
    static let titleAbbreviations: Set<String> = [
        "v", "vs", "no", "nos", "vol", "vols", "pp", "p", "ed", "eds", "st", "dr", "mr", "mrs", "ms", "jr", "sr",
        "inc", "ltd", "co", "corp", "dept", "e.g", "i.e", "eg", "ie", "cf", "al", "approx", "fig", "figs", "u.s",
        "u.k", "u.n", "op", "cit", "ibid", "art", "arts", "sec", "para", "ch", "chap",
    ]

    static let titleAbbreviationSet = WordSet(titleAbbreviations)

    /// Words a period does not end a journal name or a publisher after (`T. Jefferson L. Rev.`).
    static let abbreviations: Set<String> = [
        "v", "vs", "no", "nos", "vol", "vols", "pp", "p", "ed", "eds", "st", "dr", "mr", "mrs", "ms", "jr", "sr",
        "inc", "ltd", "co", "corp", "dept", "univ", "e.g", "i.e", "eg", "ie", "cf", "al", "approx", "fig", "figs",
        "int'l", "intl", "j", "rev", "l", "u.s", "u.k", "u.n", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec", "op", "cit", "ibid", "art", "arts", "sec", "para", "ch", "chap",
    ]
    static let abbreviationSet = WordSet(abbreviations)

    /// (`entryTokens`: the tokens of the entry the body ends, the source's read in place; `bodyTokens`:
    /// an array reused from entry to entry that the source's tokens are read into when they are not.)
    func parseBody(_ t: UnsafeBufferPointer<UInt8>, _ body: Span, _ ems: [Span], entryTokens: [Token], bodyTokens: inout [Token],
                   _ ref: inout Reference) {
        guard body.start < body.end else { return }
        var titleEnd: Int
        var restStart: Int
        var italicTitle = false
        if let em = emphasis(startingNear: body.start, t, ems, body.end), em.start < body.start + 4 {
            italicTitle = true
            ref.title = clean(t, em.start, em.end)
            titleEnd = em.end
            restStart = em.end
        } else {
            titleEnd = sentenceEnd(t, body.start, body.end, ems)
            ref.title = clean(t, body.start, titleEnd)
            restStart = titleEnd
        }
        if ref.title?.isEmpty == true { ref.title = nil }
        // skip punctuation after the title
        while restStart < body.end, [0x2E, 0x20, 0x2A, 0x22, 0x2C, 0x3F, 0x21].contains(t[restStart]) { restStart += 1 }
        if restStart < body.end, t[restStart] == 0xE2, restStart + 2 < body.end, t[restStart + 1] == 0x80,
           t[restStart + 2] == 0x9D || t[restStart + 2] == 0x99 { restStart += 3 }
        var restEnd = cutTrailingLinks(t, restStart, body.end)
        restEnd = trimEnd(t, restStart, restEnd)
        guard restStart < restEnd else { return }
        // the source's tokens read in place, a stretch of the entry's, when none of those crosses
        // its ends (no copy of them); else tokenized anew into `bodyTokens`
        if let r = Bytes.tokenRange(t, restStart, restEnd, within: entryTokens) {
            entryTokens.withUnsafeBufferPointer { all in
                parseSource(t, UnsafeBufferPointer(rebasing: all[r]), titleStart: body.start, end: restEnd, ems,
                            italicTitle: italicTitle, &ref)
            }
        } else {
            Bytes.tokenize(t, restStart, restEnd, into: &bodyTokens)
            bodyTokens.withUnsafeBufferPointer { parseSource(t, $0, titleStart: body.start, end: restEnd, ems, italicTitle: italicTitle, &ref) }
        }
    }

    /// Reads the source after the title (container, volume, issue, pages, publisher) from its
    /// tokens `toks`, which end at `end`. (The first token's white space before it is never asked:
    /// read in place from the entry's tokens, it is what lies before it in the entry.)
    func parseSource(_ t: UnsafeBufferPointer<UInt8>, _ toks: UnsafeBufferPointer<Token>, titleStart: Int, end restEnd: Int,
                     _ ems: [Span], italicTitle: Bool, _ ref: inout Reference) {
        guard !toks.isEmpty else { return }

        // Dissertation or thesis.
        // (a plain loop, each token told by its length first: no call per token)
        var thesis: Int?
        for i in toks.indices where Self.mayFoldToThesis(toks[i]) && Bytes.foldsToAny(t, toks[i], ["dissertation", "thesis"]) {
            thesis = i
            break
        }
        if let d = thesis {
            var a = d + 1
            while a < toks.count, toks[a].isComma { a += 1 }
            var b = a
            while b < toks.count, !toks[b].isPunct(0x29) { b += 1 }
            while b > a, toks[b - 1].kind == .number || toks[b - 1].isComma || toks[b - 1].isPeriod && b - 2 > a && toks[b - 2].kind == .number { b -= 1 }
            if b > a { ref.publisher = clean(t, toks[a].start, toks[b - 1].end) }
            return
        }

        var k = 0
        var chapter = false
        // (`In` told by its two bytes: no string made for the source's first word)
        if let f = toks.first, f.kind == .word, f.length == 2, t[f.start] == 0x49, t[f.start + 1] == 0x6E,
           toks.count > 1, toks[1].isPunct(0x3A) || toks[1].spaceBefore {
            chapter = true
            k = toks[1].isPunct(0x3A) ? 2 : 1
        }
        var containerFound = false
        let kStart = k < toks.count ? toks[k].start : restEnd
        if let em = emphasis(startingNear: kStart, t, ems, restEnd), em.start < kStart + 4, !(italicTitle && !chapter && ref.title == nil) {
            ref.container = clean(t, em.start, em.end, keepAbbreviation: true)
            containerFound = true
            k = toks.firstIndex(atOrAfter: em.end)
        } else if chapter, let em = ems.first(where: { $0.start >= kStart && $0.start < restEnd }) {
            ref.container = clean(t, em.start, em.end)  // `In J. Smith (Ed.), *Book*`
            containerFound = true
            k = toks.firstIndex(atOrAfter: em.end)
        } else if chapter {
            // plain: skip the editors up to `(Eds.),` / `eds.` / `editor.`
            var c = k
            var j = k
            while j < toks.count, j < k + 60 {
                if Bytes.foldsToAny(t, toks[j], ["eds", "ed", "editor", "editors"]) {
                    c = j + 1
                    while c < toks.count, toks[c].isPunct(0x29) || toks[c].isPeriod || toks[c].isComma { c += 1 }
                    break
                }
                j += 1
            }
            var e = c
            while e < toks.count, !(toks[e].isPunct(0x28) || toks[e].isPeriod && e + 1 < toks.count && toks[e + 1].spaceBefore && !isAbbrevBefore(t, toks, e) || toks[e].isComma && e + 1 < toks.count && isSourceWord(t, toks[e + 1])) { e += 1 }
            if e > c { ref.container = clean(t, toks[c].start, toks[e - 1].end); containerFound = true }
            k = e
        } else if !italicTitle {
            // plain: the source starts at the first volume-like number, elocation or `Vol.`/`pp.`
            var src: Int? = nil
            var e = k
            while e < toks.count {
                let tk = toks[e]
                if tk.kind == .number, e > k, tk.count <= 6 {
                    let nx = e + 1 < toks.count ? toks[e + 1] : nil
                    if nx == nil || nx!.isPunct(0x28) || nx!.isPunct(0x3A) || nx!.isComma || nx!.isPeriod || nx!.isDash { src = e; break }
                }
                if tk.kind == .word, tk.count == 1, t[tk.start] == 0x65, e > k, e + 1 < toks.count, toks[e + 1].kind == .number, !toks[e + 1].spaceBefore {
                    src = e  // eLife e00007
                    break
                }
                if isSourceWord(t, tk), e > k, toks[e - 1].isComma || toks[e - 1].isPeriod || toks[e - 1].isPunct(0x28),
                   e + 1 < toks.count, toks[e + 1].isPeriod || toks[e + 1].kind == .number {
                    src = e
                    break
                }
                e += 1
            }
            let stop = src ?? toks.count
            // sentence segments before the source
            var segs: [(Int, Int)] = []
            var a = k
            var j = k
            while j < stop {
                if toks[j].isPeriod, j + 1 == toks.count || toks[j + 1].spaceBefore, !isAbbrevBefore(t, toks, j) {
                    if j > a { segs.append((a, j)) }
                    a = j + 1
                }
                j += 1
            }
            var z = stop
            while z > a, toks[z - 1].isComma || toks[z - 1].isPunct(0x28) || toks[z - 1].isPeriod { z -= 1 }
            if z > a { segs.append((a, z)) }
            func segText(_ g: (Int, Int)) -> String { clean(t, toks[g.0].start, toks[g.1 - 1].end, keepAbbreviation: true) }
            if let src {
                var idx = segs.count - 1
                if idx >= 1, let p = publisherName(segText(segs[idx])) {
                    ref.publisher = p  // `Book. Berlin: Springer. p. 323–335`
                    idx -= 1
                }
                if idx >= 0 {
                    var first = idx
                    if first >= 1, isTitleCase(t, toks, segs[first - 1]), looksLikeJournal(segText(segs[first - 1])) { first -= 1 }
                    ref.container = clean(t, toks[segs[first].0].start, toks[segs[idx].1 - 1].end, keepAbbreviation: true)
                    containerFound = true
                    if first > 0 {
                        // the title went on past its first period (`Title. A second sentence. J Biol Chem 274:…`)
                        ref.title = clean(t, titleStart, toks[segs[first - 1].1 - 1].end)
                    }
                }
                k = src
            } else if let g = segs.first {
                // one plain segment, no numbers after it: publisher or journal only by its words
                let seg = segText(g)
                if let p = publisherName(seg) {
                    ref.publisher = p
                    k = g.1
                } else if looksLikeJournal(seg) {
                    ref.container = seg
                    containerFound = true
                    k = g.1
                }
            }
        }
        // volume, issue, pages, publisher
        parseSourceTail(t, toks, k, &ref, bookish: italicTitle || chapter || !containerFound)
    }

    /// The token may fold to `thesis` or `dissertation`: a word of 6 or 12 letters, or one with
    /// more bytes than letters (not ASCII, or with an inner hyphen or apostrophe), which is asked in
    /// full. (An ASCII word of a byte per letter folds to as many letters.)
    @inline(__always)
    static func mayFoldToThesis(_ tk: Token) -> Bool {
        tk.kind == .word && (tk.count == 6 || tk.count == 12 || tk.length != tk.count)
    }

    /// Every word capitalized but `of`, `the`, `and`, `for`, `in`, `on` (a journal's name).
    func isTitleCase(_ t: UnsafeBufferPointer<UInt8>, _ toks: UnsafeBufferPointer<Token>, _ g: (Int, Int)) -> Bool {
        for i in g.0..<g.1 where toks[i].kind == .word && !toks[i].upperFirst {
            guard ["of", "the", "and", "for", "in", "on", "de", "la"].contains(Bytes.string(t, toks[i].start, toks[i].end)) else { return false }
        }
        return true
    }

    func isAbbrevBefore(_ t: UnsafeBufferPointer<UInt8>, _ toks: UnsafeBufferPointer<Token>, _ periodIndex: Int) -> Bool {
        guard periodIndex > 0, toks[periodIndex - 1].kind == .word else { return false }
        let w = toks[periodIndex - 1]
        if w.count == 1 { return true }
        // (no listed abbreviation has more than six letters; an ASCII word folds to as many)
        if w.length > 6, Bytes.isASCII(t, w.start, w.end) { return false }
        return Self.abbreviationSet.contains(t, w.start, w.end)
    }

    func isSourceWord(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token) -> Bool {
        Bytes.foldsToAny(t, tk, ["vol", "volume", "no", "issue", "pp", "p", "pages"])
    }

    func parseSourceTail(_ t: UnsafeBufferPointer<UInt8>, _ toks: UnsafeBufferPointer<Token>, _ from: Int, _ ref: inout Reference, bookish: Bool) {
        var k = from
        var sawSource = false
        var segStart: Int? = nil
        func num(_ i: Int) -> (String, Int) {
            // number, optionally a range `a-b`
            var e = i
            if e + 2 < toks.count, toks[e + 1].isDash, toks[e + 2].kind == .number || toks[e + 2].kind == .word && toks[e + 2].count <= 3 {
                e += 2
            }
            return (Bytes.cleanString(t, toks[i].start, toks[e].end), e + 1)
        }
        while k < toks.count {
            let tk = toks[k]
            if Bytes.foldsToAny(t, tk, ["vol", "volume"]) {
                var j = k + 1
                if j < toks.count, toks[j].isPeriod { j += 1 }
                if j < toks.count, toks[j].kind == .number { ref.volume = Bytes.string(t, toks[j].start, toks[j].end); k = j + 1; sawSource = true; continue }
            }
            if Bytes.foldsToAny(t, tk, ["no", "issue", "iss"]) {
                var j = k + 1
                if j < toks.count, toks[j].isPeriod { j += 1 }
                if j < toks.count, toks[j].kind == .number { ref.issue = Bytes.string(t, toks[j].start, toks[j].end); k = j + 1; sawSource = true; continue }
            }
            if Bytes.foldsToAny(t, tk, ["pp", "p", "pages", "page"]) {
                var j = k + 1
                if j < toks.count, toks[j].isPeriod { j += 1 }
                if j < toks.count, toks[j].kind == .number {
                    let (s, e) = num(j)
                    ref.pages = s
                    k = e
                    sawSource = true
                    continue
                }
            }
            if tk.kind == .number {
                if k + 3 < toks.count, toks[k + 1].isPunct(0x28), toks[k + 3].isPunct(0x29) || k + 5 < toks.count && toks[k + 5].isPunct(0x29) {
                    // 51(4) or 9(1-2)
                    if ref.volume == nil { ref.volume = Bytes.string(t, tk.start, tk.end) }
                    let close = toks[k + 3].isPunct(0x29) ? k + 3 : k + 5
                    ref.issue = Bytes.cleanString(t, toks[k + 2].start, toks[close - 1].end)
                    k = close + 1
                    sawSource = true
                    continue
                }
                if k + 2 < toks.count, toks[k + 1].isPunct(0x3A), toks[k + 2].kind == .number {
                    // Vancouver 80:231–244
                    if ref.volume == nil { ref.volume = Bytes.string(t, tk.start, tk.end) }
                    let (s, e) = num(k + 2)
                    ref.pages = s
                    k = e
                    sawSource = true
                    continue
                }
                let (s, e) = num(k)
                if e - k > 1 {
                    if ref.pages == nil { ref.pages = s }
                } else if ref.volume == nil && !(bookish && ref.container == nil) {
                    ref.volume = s
                } else if ref.pages == nil {
                    ref.pages = s
                }
                k = e
                sawSource = true
                continue
            }
            if tk.kind == .word, tk.count >= 2, segStart == nil, ref.publisher == nil, bookish || sawSource {
                segStart = k
                // the segment runs to the next sentence end
                var e = k
                while e < toks.count, !(toks[e].isPeriod && (e + 1 == toks.count || toks[e + 1].spaceBefore) && !isAbbrevBefore(t, toks, e)), !toks[e].isPunct(0x28) { e += 1 }
                let seg = clean(t, toks[k].start, toks[max(k, e - 1)].end)
                let publisher = publisherName(seg)
                if !Self.hasNumber(seg) || publisher != nil {
                    if bookish || publisher != nil {
                        ref.publisher = publisher ?? stripPlace(seg)
                    }
                }
                k = max(e, k + 1)
                continue
            }
            k += 1
        }
    }

    /// `s.contains { $0.isNumber }`, by bytes when `s` is ASCII (where only digits are numbers).
    static func hasNumber(_ s: String) -> Bool {
        let ascii: Bool? = s.withUTF8InPlace { u in
            var digit = false
            for b in u {
                if b >= 0x80 { return nil }
                if b >= 0x30 && b <= 0x39 { digit = true }
            }
            return digit
        }
        return ascii ?? s.contains { $0.isNumber }
    }

    /// `London: Palgrave Macmillan` -> `Palgrave Macmillan`.
    func stripPlace(_ s: String) -> String {
        // (ASCII, most segments: a character is a byte, read in place)
        let ascii: String? = s.withUTF8InPlace { b in
            guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
            // the last `: `, with fewer than 40 characters and no digit before it
            var k = b.count - 2
            while k >= 0, !(b[k] == 0x3A && b[k + 1] == 0x20) { k -= 1 }
            if k >= 0, k < 40, !b[0..<k].contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                return String(decoding: UnsafeBufferPointer(rebasing: b[(k + 2)...]), as: UTF8.self)
            }
            return s
        }
        if let ascii { return ascii }
        if let r = s.range(of: ": ", options: .backwards) {
            let before = s[s.startIndex..<r.lowerBound]
            if !before.contains(where: { $0.isNumber }), before.count < 40 { return String(s[r.upperBound...]) }
        }
        return s
    }

    static let publisherWords: [String] = [
        "press", "publishing", "publishers", "publisher", "verlag", "routledge", "springer", "wiley", "elsevier",
        "brill", "macmillan", "palgrave", "sage", "blackwell", "ieee", "acm", "taylor & francis", "kluwer",
        "nijhoff", "hart publishing", "edward elgar", "pearson", "mcgraw", "prentice", "norton", "penguin",
        "harvard university", "books", "editions", "éditions", "academic", "oup", "cup",
    ]
    static let publisherNeedles: [[UInt8]] = publisherWords.map { Array($0.utf8) }

    static let journalWords: [String] = [
        "journal", "review", "quarterly", "proceedings", "bulletin", "annals", "letters", "transactions",
        "studies", "law rev", "magazine", "gazette", "archives", "forum", "yearbook", "jurnal", "revista",
        "zeitschrift",
    ]
    static let journalNeedles: [[UInt8]] = journalWords.map { Array($0.utf8) }

    /// Each needle's `pairBits`.
    static let publisherNeedleBits: [UInt64] = publisherNeedles.map { $0.withUnsafeBufferPointer(pairBits) }
    static let journalNeedleBits: [UInt64] = journalNeedles.map { $0.withUnsafeBufferPointer(pairBits) }

    /// One bit for each pair of adjacent bytes in `b` (the pair hashed to one of 64): a needle with
    /// a pair whose bit a text lacks is not in it, so most needles are ruled out with no search.
    static func pairBits(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var bits: UInt64 = 0
        var i = 1
        while i < b.count {
            bits |= 1 << UInt64((Int(b[i - 1]) &* 37 &+ Int(b[i])) & 63)
            i += 1
        }
        return bits
    }

    /// `needles.contains { contains(hay, $0) }`, given `hay`'s and the needles' `pairBits`.
    static func containsAny(_ hay: UnsafeBufferPointer<UInt8>, bits: UInt64, _ needles: [[UInt8]], _ needleBits: [UInt64]) -> Bool {
        for k in needles.indices where needleBits[k] & ~bits == 0 {
            if contains(hay, needles[k]) { return true }
        }
        return false
    }

    /// `body` of the bytes of `s` and the same in lower case, when `s` is ASCII (read in place, the
    /// lower case in scratch room); nil for any other string.
    static func withLoweredASCII<R>(_ s: String, _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ lowered: UnsafeBufferPointer<UInt8>) -> R) -> R? {
        return s.withUTF8InPlace { b in
            guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: b.count) { room in
                for k in b.indices { room[k] = b[k] >= 0x41 && b[k] <= 0x5A ? b[k] | 0x20 : b[k] }
                return body(b, UnsafeBufferPointer(room))
            }
        }
    }

    /// The bytes in lower case (ASCII).
    static func lowered(_ b: [UInt8]) -> [UInt8] { b.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }

    static func contains(_ h: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        let m = needle.count
        guard m > 0 else { return true }
        guard m <= h.count else { return false }
        return needle.withUnsafeBufferPointer { nd in
            // candidates by memchr of the needle's first byte, each checked by memcmp
            let base = h.baseAddress!
            let last = h.count - m
            var i = 0
            while i <= last {
                guard let p = memchr(base + i, Int32(nd[0]), last - i + 1) else { return false }
                i = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base
                if memcmp(base + i, nd.baseAddress!, m) == 0 { return true }
                i += 1
            }
            return false
        }
    }

    /// The publisher in a segment that reads like one (`Place: Name`, or a publisher word), else nil.
    func publisherName(_ s: String) -> String? {
        // (ASCII, most segments: read in place; the answer nil when `s` is not ASCII)
        let ascii: String?? = Self.withLoweredASCII(s) { b, f in
            let bits = Self.pairBits(f)
            if Self.containsAny(f, bits: bits, Self.journalNeedles, Self.journalNeedleBits) { return nil }
            if Self.containsAny(f, bits: bits, Self.publisherNeedles, Self.publisherNeedleBits) { return stripPlace(s) }
            // the first `: `, with fewer than 40 characters and no digit before it
            var k = 0
            while k + 1 < b.count, !(b[k] == 0x3A && b[k + 1] == 0x20) { k += 1 }
            if k + 1 < b.count, !b[0..<k].contains(where: { $0 >= 0x30 && $0 <= 0x39 }), k < 40 {
                return String(decoding: UnsafeBufferPointer(rebasing: b[(k + 2)...]), as: UTF8.self)
            }
            return nil
        }
        if let ascii { return ascii }
        let f = Names.fold(s)
        if looksLikeJournal(s) { return nil }
        if Self.publisherWords.contains(where: { f.contains($0) }) { return stripPlace(s) }
        if let r = s.range(of: ": "), !s[s.startIndex..<r.lowerBound].contains(where: { $0.isNumber }),
           s[s.startIndex..<r.lowerBound].count < 40 {
            return String(s[r.upperBound...])
        }
        return nil
    }

    func looksLikeJournal(_ s: String) -> Bool {
        if let ascii = Self.withLoweredASCII(s, { _, f in
            Self.containsAny(f, bits: Self.pairBits(f), Self.journalNeedles, Self.journalNeedleBits)
        }) {
            return ascii
        }
        let f = Names.fold(s)
        return Self.journalWords.contains(where: { f.contains($0) })
    }

    /// Where the title that starts at `s` ends.
    func sentenceEnd(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ ems: [Span]) -> Int {
        var j = s
        while true {
            // (only `.`, `?` and `!` can end the title: the bytes between are skipped eight at a time)
            j = Bytes.firstOf(t, j, e, 0x2E, 0x3F, 0x21)
            guard j < e else { return e }
            let c = t[j]
            if c == 0x2E, j + 1 == e || t[j + 1] == 0x20 || t[j + 1] == 0x2A || t[j + 1] == 0x0A {
                // abbreviation or initial before the period? (its word starts after the last space
                // before it: read back over the word, which the tests below read anyway)
                var wordStart = j
                while wordStart > s, t[wordStart - 1] != 0x20 { wordStart -= 1 }
                var ws = wordStart
                while ws < j, t[ws] == 0x28 || t[ws] == 0x22 { ws += 1 }
                // (no listed abbreviation has more than six letters; an ASCII word folds to as many)
                if j - ws > 6, Bytes.isASCII(t, ws, j) { return j }
                // (an initial: one capital letter)
                let isAbbrev = Self.titleAbbreviationSet.contains(t, ws, j) || (j - ws == 1 && Bytes.isUpperASCII(t[ws]))
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
    }

    static let linkNeedles: [[UInt8]] = ["doi:", "doi.org", "DOI:", "DOI ", "http://", "https://", "www.", "Available at",
                                         "Available from", "Retrieved from", "Accessed", "[Online]", "PMID", "arXiv:", "URL"].map { Array($0.utf8) }

    /// Drops `doi: …`, URLs and access notes at the end of an entry.
    func cutTrailingLinks(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        let needles = Self.linkNeedles
        var best = e
        var i = s
        while i < e {
            // a link starts a word (at the start, or after a space, `(` or `.`): only word starts
            // are matched against the needles, the next found eight bytes at a time
            if i > s, !(t[i - 1] == 0x20 || t[i - 1] == 0x28 || t[i - 1] == 0x2E) {
                i = Bytes.firstOf(t, i, e, 0x20, 0x28, 0x2E) + 1
                continue
            }
            let b = t[i]
            if b == 0x64 || b == 0x44 || b == 0x68 || b == 0x77 || b == 0x41 || b == 0x52 || b == 0x5B || b == 0x50 || b == 0x61 || b == 0x55 {
                for n in needles where i + n.count <= e && t[i] == n[0] {
                    var ok = true
                    for q in 1..<n.count where t[i + q] != n[q] { ok = false; break }
                    if ok {
                        best = i
                        break
                    }
                }
                if best != e { break }
            }
            i += 1
        }
        // drop the separator before the link
        var j = best
        while j > s, t[j - 1] == 0x20 || t[j - 1] == 0x2E || t[j - 1] == 0x2C || t[j - 1] == 0x28 { j -= 1 }
        return best == e ? e : j
    }

    static let stripCharacters: Set<Character> = ["*", "_", "\"", "“", "”", " ", ",", "."]

    /// Text of `[s, e)` without emphasis marks, quotes and a final period or comma (a final period
    /// stays after an abbreviation when `keepAbbreviation`: `T. Jefferson L. Rev.`).
    func clean(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, keepAbbreviation: Bool = false) -> String {
        guard s < e else { return "" }
        // (the cleaned bytes in scratch room, made a string once: no array of them)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: e - s) { room in
            let (n, ascii) = Bytes.cleanTellingASCII(t, s, e, into: room)
            let bytes = UnsafeBufferPointer(rebasing: room[0..<n])
            if ascii {
                // ASCII: a character is a byte
                func strip(_ b: UInt8) -> Bool { b == 0x2A || b == 0x5F || b == 0x22 || b == 0x20 || b == 0x2C || b == 0x2E }
                var lo = 0
                var hi = bytes.count
                while lo < hi, strip(bytes[lo]) { lo += 1 }
                while hi > lo, strip(bytes[hi - 1]) {
                    if bytes[hi - 1] == 0x2E, keepAbbreviation {
                        // the last word before the period (words split at spaces and periods)
                        var e = hi - 1
                        while e > lo, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x2E { e -= 1 }
                        var b = e
                        while b > lo, bytes[b - 1] != 0x20, bytes[b - 1] != 0x2E { b -= 1 }
                        let word = bytes[b..<e]
                        if Self.abbreviations.contains(String(decoding: Self.lowered(Array(word)), as: UTF8.self))
                            || (word.count <= 2 && word.first.map { $0 >= 0x41 && $0 <= 0x5A } == true) { break }
                    }
                    hi -= 1
                }
                return String(decoding: bytes[lo..<hi], as: UTF8.self)
            }
            var str = String(decoding: bytes, as: UTF8.self)
            let strip = Self.stripCharacters
            while let f = str.first, strip.contains(f) || f == "‘" { str.removeFirst() }
            while let l = str.last, strip.contains(l) || l == "’" && !str.hasSuffix("s’") {
                if l == ".", keepAbbreviation {
                    let body = str.dropLast()
                    let word = body.split(whereSeparator: { $0 == " " || $0 == "." }).last.map(String.init) ?? ""
                    if Self.abbreviations.contains(Names.fold(word)) || (word.count <= 2 && word.first?.isUppercase == true) { break }
                }
                str.removeLast()
            }
            return str
        }
    }
}

/// Finds the references section from its heading when ingest did not mark one.
public enum ReferenceSectionLocator {
    static let headings: Set<String> = [
        "references", "reference", "reference list", "bibliography", "works cited", "literature cited",
        "literature", "cited literature", "sources", "references and notes", "notes and references",
        "bibliographie", "referencias", "références", "literatur", "literaturverzeichnis", "cited works",
        "references cited", "selected bibliography", "list of references",
    ]

    /// The longest heading in bytes: no longer text can be one.
    static let longestHeading = headings.map(\.utf8.count).max()!

    /// True for the text of a references heading (`REFERENCES`, `## References`, `7. Bibliography:`).
    public static func isReferencesHeading(_ s: String) -> Bool {
        guard s.utf8.count < 60 else { return false }
        if let ascii = s.withUTF8InPlace({ u in u.contains(where: { $0 >= 0x80 }) ? nil : isASCIIReferencesHeading(u) }) {
            return ascii
        }
        var str = Substring(s)
        while let f = str.first, f == "#" || f == "*" || f == " " || f == "_" || f.isNumber || f == "." || f == "\t" { str = str.dropFirst() }
        // roman numerals `VII. `
        if let dot = str.firstIndex(of: "."), str[str.startIndex..<dot].allSatisfy({ "IVXLC".contains($0) }), !str[str.startIndex..<dot].isEmpty {
            str = str[str.index(after: dot)...]
        }
        while let l = str.last, l == "*" || l == ":" || l == " " || l == "_" || l == "." { str = str.dropLast() }
        while let f = str.first, f == " " { str = str.dropFirst() }
        return headings.contains(Names.fold(String(str)))
    }

    /// `isReferencesHeading` of ASCII text (a character is a byte), read in place.
    static func isASCIIReferencesHeading(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count < 60 else { return false }
        var lo = 0
        var hi = b.count
        while lo < hi {
            let f = b[lo]
            guard f == 0x23 || f == 0x2A || f == 0x20 || f == 0x5F || (f >= 0x30 && f <= 0x39) || f == 0x2E || f == 0x09 else { break }
            lo += 1
        }
        // roman numerals `VII. `
        if let dot = b[lo..<hi].firstIndex(of: 0x2E), dot > lo,
           b[lo..<dot].allSatisfy({ $0 == 0x49 || $0 == 0x56 || $0 == 0x58 || $0 == 0x4C || $0 == 0x43 }) {
            lo = dot + 1
        }
        while hi > lo {
            let l = b[hi - 1]
            guard l == 0x2A || l == 0x3A || l == 0x20 || l == 0x5F || l == 0x2E else { break }
            hi -= 1
        }
        while lo < hi, b[lo] == 0x20 { lo += 1 }
        guard hi - lo <= longestHeading else { return false }
        let lowered = String(unsafeUninitializedCapacity: hi - lo) { out in
            for k in lo..<hi { out[k - lo] = b[k] >= 0x41 && b[k] <= 0x5A ? b[k] | 0x20 : b[k] }
            return hi - lo
        }
        return headings.contains(lowered)
    }

    /// `isReferencesHeading` of the text `[from, to)`, without a string when it is ASCII.
    static func isReferencesHeading(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        guard to - from < 60 else { return false }
        let u = UnsafeBufferPointer(rebasing: t[from..<to])
        if !u.contains(where: { $0 >= 0x80 }) { return isASCIIReferencesHeading(u) }
        return isReferencesHeading(String(decoding: u, as: UTF8.self))
    }

    /// The section from the last references heading to the end of the text (or to an appendix heading).
    public static func locate(in document: Document) -> Section? {
        let bytes = document.textBytes
        var candidates: [Span] = []
        if !document.blocks.isEmpty {
            bytes.withUnsafeBufferPointer { t in
                for b in document.blocks where b.span.length < 60 {
                    if isReferencesHeading(t, b.span.start, b.span.end) { candidates.append(b.span) }
                }
            }
        } else {
            var i = 0
            while i < bytes.count {
                var j = i
                while j < bytes.count, bytes[j] != 0x0A { j += 1 }
                if j - i < 60, j > i, bytes.withUnsafeBufferPointer({ isReferencesHeading($0, i, j) }) { candidates.append(Span(i, j)) }
                i = j + 1
            }
        }
        guard let h = candidates.last else { return nil }
        var end = bytes.count
        for b in document.blocks where b.span.start > h.end && b.kind == .heading {
            let s = Names.fold(document.string(b.span))
            if s.contains("appendix") || s.contains("supplementary") || s.contains("acknowledg") || s.contains("author contributions") {
                end = b.span.start
                break
            }
        }
        let label = document.string(h).trimmingCharacters(in: .whitespaces)
        return Section(kind: .references, span: Span(h.start, end), label: label)
    }
}
