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

    func quote(_ c: Citation) -> String {
        text.withUnsafeBufferPointer { Bytes.cleanString($0, c.span.start, c.span.end) }
    }

    func titleStart(_ r: Reference) -> String {
        guard let t = r.title, !t.isEmpty else { return "" }
        var copy = t
        // ASCII without `\r` (`\r\n` is one character): a character is a byte, read in place
        let ascii: String?? = copy.withUTF8 { u in
            guard Self.isPlainASCII(u) else { return .none }
            guard u.count > 60 else { return .some(nil) }
            var e = 57
            while e > 0, u[e - 1] == 0x20 { e -= 1 }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: u[0..<e]), as: UTF8.self))
        }
        switch ascii {
        case .some(nil): return " \"\(t)\""
        case .some(let start?): return " \"" + start + "…\""
        case .none: break
        }
        if !Self.longer(t, than: 60) { return " \"\(t)\"" }
        return " \"\(t.prefix(57).trimmingSuffixSpaces())…\""
    }

    /// ASCII without `\r`: each character one byte.
    static func isPlainASCII(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        !u.contains { $0 >= 0x80 || $0 == 0x0D }
    }

    /// `s.count > n`, reading no more than `n + 1` characters of `s`.
    static func longer(_ s: String, than n: Int) -> Bool {
        if s.utf8.count <= n { return false }  // (a character takes at least one byte)
        var copy = s
        if copy.withUTF8(isPlainASCII) { return true }  // (a character is a byte)
        guard let i = s.index(s.startIndex, offsetBy: n, limitedBy: s.endIndex) else { return false }
        return i < s.endIndex
    }

    func entryText(_ r: Reference) -> String {
        if let quote = longASCIIEntryText(r) { return quote }
        // emphasis marks a plain-text input kept (`*Journal*`) are left out of the quote
        let bytes = text.withUnsafeBufferPointer { Bytes.cleanBytes($0, r.span.start, r.span.end) }
        if !bytes.contains(where: { $0 >= 0x80 }) {
            // ASCII: a character is a byte (the marks dropped in one pass, not byte by byte appended)
            let b = !bytes.contains(0x2A) ? bytes : [UInt8](unsafeUninitializedCapacity: bytes.count) { out, n in
                n = 0
                for x in bytes where x != 0x2A {
                    out[n] = x
                    n += 1
                }
            }
            if b.count <= 90 { return String(decoding: b, as: UTF8.self) }
            var e = 87
            while e > 0, b[e - 1] == 0x20 { e -= 1 }
            return String(decoding: b[0..<e], as: UTF8.self) + "…"
        }
        let whole = String(decoding: bytes, as: UTF8.self)
        let s = bytes.contains(0x2A) ? whole.filter { $0 != "*" } : whole
        if !Self.longer(s, than: 90) { return s }
        return String(s.prefix(87)).trimmingSuffixSpaces() + "…"
    }

    /// `entryText` of an entry whose quote is cut (more than 90 characters) and begins with ASCII,
    /// from its first bytes only: a long entry is not cleaned whole to quote 87 characters. Nil
    /// for any other entry.
    func longASCIIEntryText(_ r: Reference) -> String? {
        // (room for the 92 bytes needed after white space is made single and marks dropped)
        var cut = r.span.start + 160
        guard cut < r.span.end else { return nil }
        return text.withUnsafeBufferPointer { t in
            while cut > r.span.start, Bytes.isContinuation(t[cut]) { cut -= 1 }
            // (the cleaned text of a prefix that ends at a scalar is a prefix of the whole's)
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: cut - r.span.start) { room in
                let n = Bytes.clean(t, r.span.start, cut, into: room)
                // emphasis marks dropped until 92 bytes are kept, every byte read so far ASCII: the
                // first 91 characters are then those bytes, as the whole entry's would be
                var kept = 0
                var k = 0
                while k < n, kept < 92 {
                    let b = room[k]
                    guard b < 0x80 else { return nil }
                    if b != 0x2A {
                        room[kept] = b
                        kept += 1
                    }
                    k += 1
                }
                guard kept == 92 else { return nil }
                var e = 87
                while e > 0, room[e - 1] == 0x20 { e -= 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: room[0..<e]), as: UTF8.self) + "…"
            }
        }
    }

    func describe(_ r: Int) -> String { Linker.shortForm(refs[r]) + titleStart(refs[r]) }

    /// How many entries a message names; the finding's `references` hold them all.
    static let entriesNamed = 5

    /// The first `entriesNamed` of `entries` as `show` writes them, joined by `separator`, and how
    /// many more there are: a citation fitting hundreds of entries gets a message an editor can
    /// read, and its cost does not grow with the list.
    func named(_ entries: [Int], separator: String, _ show: (Int) -> String) -> String {
        let shown = entries.prefix(Self.entriesNamed).map(show).joined(separator: separator)
        let more = entries.count - Self.entriesNamed
        return more > 0 ? "\(shown)\(separator)\(more) more" : shown
    }

    func citationFindings(_ ci: Int, _ c: Citation, _ link: LinkResult) -> [Finding] {
        // (a citation resolving to one entry without a fault has no finding: nothing to quote)
        if c.references.count == 1, !link.yearMismatch, link.nameMismatches.isEmpty, link.givenName == nil, c.defects.isEmpty {
            return []
        }
        var out: [Finding] = []
        let q = quote(c)
        if c.references.isEmpty {
            // works by the same first author, as a hint
            let k = Names.key(c.authors.first ?? "")
            let same = (entriesByFirstAuthor[k] ?? []).map { Linker.shortForm(refs[$0]) }
            let hint = same.isEmpty ? "" : "; the list has \(same.joined(separator: "; "))"
            let cited = "\(c.authors.first ?? "")\(c.etAl ? " et al." : "") \(c.year)\(c.yearSuffix ?? "")"
            out.append(Finding(kind: .orphanCitation,
                               message: "'\(q)' matches no entry in the reference list (looked for \(cited)\(hint)): add the work to the references or correct the citation.",
                               citations: [ci]))
            return out
        }
        if c.references.count > 1 {
            let list = named(c.references, separator: "; ", describe)
            let hint = c.yearSuffix == nil ? "add a/b suffixes to the years in the list and the citations, or name more authors" : "make the suffixes in the list unique"
            out.append(Finding(kind: .ambiguousCitation,
                               message: "'\(q)' fits \(c.references.count) entries: \(list). Nothing tells them apart: \(hint).",
                               citations: [ci], references: c.references))
        }
        if link.yearMismatch, let r = c.references.first {
            let ry = (refs[r].year ?? "n.d.") + (refs[r].yearSuffix ?? "")
            out.append(Finding(kind: .yearMismatch,
                               message: "'\(q)' gives the year \(c.year)\(c.yearSuffix ?? ""); the reference list dates the work \(ry) (\(describe(r))): correct one of them.",
                               citations: [ci], references: [r]))
        }
        if !link.nameMismatches.isEmpty {
            let pairs = link.nameMismatches.map { "'\($0.cited)' in the citation; the reference list spells it '\($0.listed)'" }.joined(separator: "; ")
            let listed = named(c.references, separator: " or ") { "(\(Linker.shortForm(refs[$0])))" }
            out.append(Finding(kind: .nameMismatch, message: "\(pairs) \(listed): correct the spelling.",
                               citations: [ci], references: c.references))
        }
        if let g = link.givenName {
            let r = c.references[0]
            let suggestion = "\(g.listedFamily)\(c.etAl ? " et al." : ""), \(c.year)\(c.yearSuffix ?? "")"
            out.append(Finding(kind: .givenNameAsSurname,
                               message: "'\(q)' names an author by the given name '\(g.cited)': the entry lists '\(g.listedGiven) \(g.listedFamily)', family name \(g.listedFamily) (\(describe(r))); cite it as '\(suggestion)'.",
                               citations: [ci], references: c.references))
        }
        if !c.defects.isEmpty {
            let resolved = c.references.count == 1 ? "it resolves to \(Linker.shortForm(refs[c.references[0]]))" : "it fits \(c.references.count) entries"
            out.append(Finding(kind: .malformedCitation,
                               message: "'\(q)': \(c.defects.joined(separator: "; ")); \(resolved).",
                               citations: [ci], references: c.references))
        }
        return out
    }

    func referenceFindings(canonical: [Int]) -> [Finding] {
        var out: [Finding] = []
        for (i, r) in refs.enumerated() {
            let o = canonical[i]
            if o != i {
                out.append(Finding(kind: .duplicateReference,
                                   message: "The reference list gives the same work twice (entries \(o + 1) and \(i + 1)): '\(entryText(r))'. Remove the copy.",
                                   references: [o, i]))
            } else if r.citedBy.isEmpty, r.year != nil || !r.authors.isEmpty {
                // (a block with neither names nor a year is no reference: no finding for it)
                out.append(Finding(kind: .uncitedReference,
                                   message: "Nothing in the text cites entry \(i + 1), '\(entryText(r))' (\(Linker.shortForm(r))): cite it or remove it from the reference list.",
                                   references: [i]))
            }
        }
        return out
    }
}

extension StringProtocol {
    func trimmingSuffixSpaces() -> String {
        var s = String(self)
        while s.last == " " { s.removeLast() }
        return s
    }
}
