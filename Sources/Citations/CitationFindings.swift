import AssayCore

/// Turns link results into the structural findings, each with a message an editor can act on
/// (quoting the citation as written and the entry as listed) and the spans it is about.
///
/// Kinds: `orphan-citation`, `ambiguous-citation`, `year-mismatch`, `name-mismatch`,
/// `given-name-as-surname`, `malformed-citation` (one per citation, in text order), then
/// `duplicate-reference` (one per copy) and `uncited-reference` (entries nothing resolves to;
/// a copy of a cited entry is reported only as a duplicate). Messages hold no offsets, so they do
/// not change when the text is re-wrapped.
struct CitationFindings {
    let text: [UInt8]
    let refs: [Reference]
    /// The first four entries of each first-author match key (`Names.key`, "" for an entry without
    /// authors): an orphan's hint is one look-up, not a pass over the list per orphan.
    let entriesByFirstAuthor: [String: [Int]]

    /// (`firstAuthorKeys`: each entry's first-author match key, the linker's.)
    init(text: [UInt8], refs: [Reference], firstAuthorKeys: [String]) {
        self.text = text
        self.refs = refs
        var index: [String: [Int]] = [:]
        index.reserveCapacity(firstAuthorKeys.count)
        for (i, k) in firstAuthorKeys.enumerated() where index[k]?.count ?? 0 < 4 { index[k, default: []].append(i) }
        entriesByFirstAuthor = index
    }

    /// ASCII without `\r`: each character one byte.
    static func isPlainASCII(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        !u.contains { $0 >= 0x80 || $0 == 0x0D }
    }

    /// `s.count > n`, reading no more than `n + 1` characters of `s`.
    static func longer(_ s: String, than n: Int) -> Bool {
        if s.utf8.count <= n { return false }  // (a character takes at least one byte)
        if s.withUTF8InPlace(isPlainASCII) { return true }  // (a character is a byte)
        guard let i = s.index(s.startIndex, offsetBy: n, limitedBy: s.endIndex) else { return false }
        return i < s.endIndex
    }

    /// How many entries a message names; the finding's `references` hold them all.
    static let entriesNamed = 5

    /// Writes entry `r` as a message names it: `Khan & Riaz, 2021 "Its title…"`.
    func describe(_ w: inout Message.Writer, _ r: Int) {
        w.appendInterpolation(shortForm: r, of: refs)
        w.appendInterpolation(titleStart: r, of: refs)
    }

    /// Writes entry `r`'s short form: `Khan & Riaz, 2021`.
    func shortForm(_ w: inout Message.Writer, _ r: Int) { w.appendInterpolation(shortForm: r, of: refs) }

    /// Writes entry `r`'s short form in brackets: `(Khan & Riaz, 2021)`.
    func bracketedShortForm(_ w: inout Message.Writer, _ r: Int) {
        w.appendLiteral("(")
        w.appendInterpolation(shortForm: r, of: refs)
        w.appendLiteral(")")
    }

    /// Appends to `out` the findings of citation `ci`, `c`, linked as `link` (added where they go:
    /// no list of them made per citation). (A citation resolving to one entry without a fault has
    /// none: see `hasFindings`.)
    func appendCitationFindings(_ ci: Int, _ c: Citation, _ link: LinkResult, to out: inout [Finding]) {
        if c.references.isEmpty {
            // works by the same first author, as a hint
            let same = entriesByFirstAuthor[Names.key(c.authors.first ?? "")] ?? []
            let message: Message = """
                '\(quote: c.span, of: text)' matches no entry in the reference list (looked for \(c.authors.first ?? "")\(c.etAl ? " et al." : "") \
                \(c.year)\(c.yearSuffix ?? "")\(same.isEmpty ? "" : "; the list has ")\(same, separator: "; ", shortForm)): \
                add the work to the references or correct the citation.
                """
            out.append(Finding(kind: .orphanCitation, message: message.text, citations: [ci]))
            return
        }
        if c.references.count > 1 {
            let hint = c.yearSuffix == nil ? "add a/b suffixes to the years in the list and the citations, or name more authors" : "make the suffixes in the list unique"
            let message: Message = """
                '\(quote: c.span, of: text)' fits \(c.references.count) entries: \(named: c.references, separator: "; ", describe). \
                Nothing tells them apart: \(hint).
                """
            out.append(Finding(kind: .ambiguousCitation, message: message.text, citations: [ci], references: c.references))
        }
        if link.yearMismatch, let r = c.references.first {
            let message: Message = """
                '\(quote: c.span, of: text)' gives the year \(c.year)\(c.yearSuffix ?? ""); the reference list dates the work \
                \(refs[r].year ?? "n.d.")\(refs[r].yearSuffix ?? "") (\(r, describe)): correct one of them.
                """
            out.append(Finding(kind: .yearMismatch, message: message.text, citations: [ci], references: [r]))
        }
        if !link.nameMismatches.isEmpty {
            func spelling(_ w: inout Message.Writer, _ p: (cited: String, listed: String)) {
                w.appendLiteral("'")
                w.appendInterpolation(p.cited)
                w.appendLiteral("' in the citation; the reference list spells it '")
                w.appendInterpolation(p.listed)
                w.appendLiteral("'")
            }
            let message: Message = """
                \(link.nameMismatches, separator: "; ", spelling) \
                \(named: c.references, separator: " or ", bracketedShortForm): correct the spelling.
                """
            out.append(Finding(kind: .nameMismatch, message: message.text, citations: [ci], references: c.references))
        }
        if let g = link.givenName {
            let r = c.references[0]
            let message: Message = """
                '\(quote: c.span, of: text)' names an author by the given name '\(g.cited)': the entry lists '\(g.listedGiven) \(g.listedFamily)', \
                family name \(g.listedFamily) (\(r, describe)); cite it as \
                '\(g.listedFamily)\(c.etAl ? " et al." : ""), \(c.year)\(c.yearSuffix ?? "")'.
                """
            out.append(Finding(kind: .givenNameAsSurname, message: message.text, citations: [ci], references: c.references))
        }
        if !c.defects.isEmpty {
            let message: Message = c.references.count == 1
                ? "'\(quote: c.span, of: text)': \(c.defects, separator: "; "); it resolves to \(c.references[0], shortForm)."
                : "'\(quote: c.span, of: text)': \(c.defects, separator: "; "); it fits \(c.references.count) entries."
            out.append(Finding(kind: .malformedCitation, message: message.text, citations: [ci], references: c.references))
        }
    }

    /// Whether citation `ci` of `citations`, linked as `links[li]`, has findings: not when it
    /// resolves to one entry without a fault (nothing to quote), as most do. (Asked of their fields
    /// in place: neither is copied to ask.)
    static func hasFindings(_ citations: [Citation], _ ci: Int, _ links: [LinkResult], _ li: Int) -> Bool {
        citations[ci].references.count != 1 || !citations[ci].defects.isEmpty || links[li].yearMismatch
            || !links[li].nameMismatches.isEmpty || links[li].givenName != nil
    }

    func referenceFindings(canonical: [Int]) -> [Finding] {
        var out: [Finding] = []
        // (entries read in place by index: no copy of each)
        for i in refs.indices {
            let o = canonical[i]
            if o != i {
                let message: Message = """
                    The reference list gives the same work twice (entries \(o + 1) and \(i + 1)): \
                    '\(entry: refs[i].span, of: text)'. Remove the copy.
                    """
                out.append(Finding(kind: .duplicateReference, message: message.text, references: [o, i]))
            } else if refs[i].citedBy.isEmpty, refs[i].year != nil || !refs[i].authors.isEmpty {
                // (a block with neither names nor a year is no reference: no finding for it)
                let message: Message = """
                    Nothing in the text cites entry \(i + 1), '\(entry: refs[i].span, of: text)' \
                    (\(shortForm: i, of: refs)): cite it or remove it from the reference list.
                    """
                out.append(Finding(kind: .uncitedReference, message: message.text, references: [i]))
            }
        }
        return out
    }
}

/// A finding's message, written as UTF-8 bytes piece by piece and made a string once: each piece
/// costs a copy of its bytes, where a string built piece by piece (`+`, `joined`, the default
/// interpolation) pays a `String.append`, with its checks and growth, for each. Written as a string
/// literal with interpolations; beside strings and numbers it interpolates lists and the forms of
/// an entry the messages quote.
struct Message: ExpressibleByStringInterpolation {
    let text: String

    init(stringLiteral s: StaticString) { text = s.description }
    init(stringInterpolation w: Writer) { text = String(decoding: w.bytes, as: UTF8.self) }

    struct Writer: StringInterpolationProtocol {
        private(set) var bytes: [UInt8] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            // (most pieces are a name, a year or a short quote; an entry's quote or title, up to 90
            // bytes, fits with the room the others leave: most messages are not grown)
            bytes.reserveCapacity(literalCapacity + 64 * interpolationCount)
        }

        mutating func appendLiteral(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }

        mutating func appendInterpolation(_ s: String) { s.withUTF8InPlace { bytes.append(contentsOf: $0) } }

        mutating func appendInterpolation(_ n: Int) { appendInterpolation(String(n)) }

        mutating func appendBytes(_ b: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: b) }

        /// `x` as `show` writes it.
        mutating func appendInterpolation<T>(_ x: T, _ show: (inout Writer, T) -> Void) { show(&self, x) }

        /// `items` as `show` writes them, `separator` between them.
        mutating func appendInterpolation<C: Collection>(_ items: C, separator: StaticString, _ show: (inout Writer, C.Element) -> Void) {
            var first = true
            for x in items {
                if !first { appendLiteral(separator) }
                first = false
                show(&self, x)
            }
        }

        /// `strings`, `separator` between them.
        mutating func appendInterpolation(_ strings: [String], separator: StaticString) {
            appendInterpolation(strings, separator: separator) { w, s in w.appendInterpolation(s) }
        }

        /// The first `CitationFindings.entriesNamed` of `entries` as `show` writes them, `separator`
        /// between them, and how many more there are: a citation fitting hundreds of entries gets a
        /// message an editor can read, and its cost does not grow with the list.
        mutating func appendInterpolation(named entries: [Int], separator: StaticString, _ show: (inout Writer, Int) -> Void) {
            appendInterpolation(entries.prefix(CitationFindings.entriesNamed), separator: separator, show)
            let more = entries.count - CitationFindings.entriesNamed
            if more > 0 {
                appendLiteral(separator)
                appendInterpolation(more)
                appendLiteral(" more")
            }
        }

        /// `Khan`, `Khan & Riaz`, `Khan, Bhatti, & Jiliani`, `Rahman et al.` (more than five).
        mutating func appendInterpolation(authors a: [PersonName]) {
            switch a.count {
            case 0: appendLiteral("no author")
            case 1: appendInterpolation(a[0].family)
            case 2:
                appendInterpolation(a[0].family)
                appendLiteral(" & ")
                appendInterpolation(a[1].family)
            case 3...5:
                for k in 0..<(a.count - 1) {
                    appendInterpolation(a[k].family)
                    appendLiteral(", ")
                }
                appendLiteral("& ")
                appendInterpolation(a[a.count - 1].family)
            default:
                appendInterpolation(a[0].family)
                appendLiteral(" et al.")
            }
        }

        /// Entry `r` of `refs` as `Khan, Bhatti, & Jiliani, 2021`. (Its fields read in place: no
        /// copy of the entry.)
        mutating func appendInterpolation(shortForm r: Int, of refs: [Reference]) {
            appendInterpolation(authors: refs[r].authors)
            appendLiteral(", ")
            appendInterpolation(refs[r].year ?? "n.d.")
            if let s = refs[r].yearSuffix { appendInterpolation(s) }
        }

        /// Entry `r` of `refs`'s title as ` "Title"`, cut at 57 characters (` "A long title…"`);
        /// nothing without a title.
        mutating func appendInterpolation(titleStart r: Int, of refs: [Reference]) {
            guard var t = refs[r].title, !t.isEmpty else { return }
            appendLiteral(" \"")
            // ASCII without `\r` (`\r\n` is one character): a character is a byte, read in place
            let ascii: Bool = t.withUTF8 { u in
                guard CitationFindings.isPlainASCII(u) else { return false }
                guard u.count > 60 else {
                    appendBytes(u)
                    appendLiteral("\"")
                    return true
                }
                var e = 57
                while e > 0, u[e - 1] == 0x20 { e -= 1 }
                appendBytes(UnsafeBufferPointer(rebasing: u[0..<e]))
                appendLiteral("…\"")
                return true
            }
            if ascii { return }
            if !CitationFindings.longer(t, than: 60) {
                appendInterpolation(t)
                appendLiteral("\"")
            } else {
                appendInterpolation(t.prefix(57).trimmingSuffixSpaces())
                appendLiteral("…\"")
            }
        }

        /// The text of `span` with its white space made single: a citation quoted as written.
        mutating func appendInterpolation(quote span: Span, of text: [UInt8]) {
            guard span.start < span.end else { return }
            text.withUnsafeBufferPointer { t in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: span.length) { room in
                    appendBytes(UnsafeBufferPointer(rebasing: room[0..<Bytes.clean(t, span.start, span.end, into: room)]))
                }
            }
        }

        /// The entry's text as a message quotes it: white space made single, emphasis marks left
        /// out (a plain-text input keeps `*Journal*`), cut at 87 characters (`A long entry…`).
        mutating func appendInterpolation(entry span: Span, of text: [UInt8]) {
            guard span.start < span.end else { return }
            text.withUnsafeBufferPointer { t in
                if appendLongASCIIEntry(t, span) { return }
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: span.length) { room in
                    let n = Bytes.clean(t, span.start, span.end, into: room)
                    let cleaned = UnsafeBufferPointer(rebasing: room[0..<n])
                    if !cleaned.contains(where: { $0 >= 0x80 }) {
                        // ASCII: a character is a byte (the marks dropped in place)
                        let kept = Self.dropStars(room, n)
                        if kept <= 90 {
                            appendBytes(UnsafeBufferPointer(rebasing: room[0..<kept]))
                            return
                        }
                        var e = 87
                        while e > 0, room[e - 1] == 0x20 { e -= 1 }
                        appendBytes(UnsafeBufferPointer(rebasing: room[0..<e]))
                        appendLiteral("…")
                        return
                    }
                    let s: String
                    if !cleaned.contains(0x2A) {
                        s = String(decoding: cleaned, as: UTF8.self)
                    } else if Self.starsStandAlone(cleaned) {
                        // every `*` is a character of its own: the marks dropped in place
                        s = String(decoding: UnsafeBufferPointer(rebasing: room[0..<Self.dropStars(room, n)]), as: UTF8.self)
                    } else {
                        s = String(decoding: cleaned, as: UTF8.self).filter { $0 != "*" }
                    }
                    if !CitationFindings.longer(s, than: 90) {
                        appendInterpolation(s)
                    } else {
                        appendInterpolation(String(s.prefix(87)).trimmingSuffixSpaces())
                        appendLiteral("…")
                    }
                }
            }
        }

        /// Drops the `*` of `room[0..<n]` in place, the rest moved up; the bytes kept.
        static func dropStars(_ room: UnsafeMutableBufferPointer<UInt8>, _ n: Int) -> Int {
            var kept = 0
            for k in 0..<n where room[k] != 0x2A {
                room[kept] = room[k]
                kept += 1
            }
            return kept
        }

        /// Every `*` in `b` has ASCII (or nothing) on both sides, so each is a character of its own:
        /// no mark or other scalar outside ASCII joins it (dropping its bytes drops that character).
        static func starsStandAlone(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
            for k in b.indices where b[k] == 0x2A {
                if k > 0, b[k - 1] >= 0x80 { return false }
                if k + 1 < b.count, b[k + 1] >= 0x80 { return false }
            }
            return true
        }

        /// The quote of an entry that is cut (more than 90 characters) and begins with ASCII, from
        /// its first bytes only: a long entry is not cleaned whole to quote 87 characters. False
        /// (nothing written) for any other entry.
        private mutating func appendLongASCIIEntry(_ t: UnsafeBufferPointer<UInt8>, _ span: Span) -> Bool {
            // (room for the 92 bytes needed after white space is made single and marks dropped)
            var cut = span.start + 160
            guard cut < span.end else { return false }
            while cut > span.start, Bytes.isContinuation(t[cut]) { cut -= 1 }
            // (the cleaned text of a prefix that ends at a scalar is a prefix of the whole's)
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: cut - span.start) { room in
                let n = Bytes.clean(t, span.start, cut, into: room)
                // emphasis marks dropped until 92 bytes are kept, every byte read so far ASCII: the
                // first 91 characters are then those bytes, as the whole entry's would be
                var kept = 0
                var k = 0
                while k < n, kept < 92 {
                    let b = room[k]
                    guard b < 0x80 else { return false }
                    if b != 0x2A {
                        room[kept] = b
                        kept += 1
                    }
                    k += 1
                }
                guard kept == 92 else { return false }
                var e = 87
                while e > 0, room[e - 1] == 0x20 { e -= 1 }
                appendBytes(UnsafeBufferPointer(rebasing: room[0..<e]))
                appendLiteral("…")
                return true
            }
        }
    }
}

extension StringProtocol {
    func trimmingSuffixSpaces() -> String {
        var s = String(self)
        while s.last == " " { s.removeLast() }
        return s
    }
}
