import AssayCore

/// Finds the parts of an article in its blocks: title, front matter (authors, affiliations,
/// e-mails, bylines), abstract, keywords, headings, body, tables and the references section.
///
/// Shapes handled:
/// - a title block, or a first short line that does not end a sentence (a one- or two-word
///   category line before it, as on news pages, is skipped);
/// - "ABSTRACT" / "Abstract" / "Summary" headings and paragraphs opening with "Abstract:";
/// - "Keywords:" / "Key words" / "Index terms" paragraphs, or such a label alone followed by the list;
/// - a references heading: References, Reference list, Bibliography, Works Cited, Sources,
///   Literature cited, Notes and references (any case, numbered or not, with or without a colon);
///   the section runs to the next heading that is not part of it (Appendix, Acknowledgements, …)
///   or to the end.
public enum SectionDetector {
    static let referenceLabels: Set<String> = [
        "references", "reference", "reference list", "bibliography", "works cited", "sources", "literature cited",
        "literature", "notes and references", "references and notes", "cited works", "sources cited", "citations",
    ]
    static let afterReferences: [String] = [
        "appendix", "acknowledg", "author contribution", "funding", "conflict of interest", "competing interest",
        "supplementary", "about the author", "notes on contributor", "data availability",
    ]
    static let frontMatterCues: [String] = [
        "@", "university", "college", "institute", "department", "faculty", "professor", "lecturer", "author",
        "scholar", "dr.", "by:", "school of", "researcher", "phd", "ph.d", "llm", "orcid", "affiliation",
    ]
    static let frontMatterCueBytes: [[UInt8]] = frontMatterCues.map { Array($0.utf8) }

    // The labels `startsWithLabel` looks for, built once (a literal at the call would be a new array per block).
    static let keywordLabels: [StaticString] = ["keywords", "key words", "index terms", "keyword"]
    static let keywordEndLabels: [StaticString] = ["keywords", "key words", "index terms"]
    static let abstractLabels: [StaticString] = ["abstract", "summary"]

    public struct Result: Sendable {
        public var sections: [Section]
        public var title: String?
    }

    public static func detect(_ text: [UInt8], _ blocks: [Block], knownTitle: String? = nil) -> Result {
        func str(_ b: Block) -> String { String(decoding: text[b.span.range], as: UTF8.self) }
        // Blocks neither start nor end with white space (the writer trims it): trimming is then no work.
        func trimmed(_ b: Block) -> String {
            guard b.span.length > 0 else { return "" }
            let first = text[b.span.start], last = text[b.span.end - 1]
            let edgeIsSpace = first == 0x20 || first == 0x09 || first == 0x0A || last == 0x20 || last == 0x09 || last == 0x0A
            return edgeIsSpace ? str(b).trimmingSpaces() : str(b)
        }
        // Labels are short: only short blocks are worth lower-casing.
        func label(_ b: Block, longest: Int = .max) -> String {
            b.span.length <= 60 ? normalizedLabel(text, b.span, longest: longest) : ""
        }
        var sections: [Section] = []
        guard !blocks.isEmpty else { return Result(sections: [], title: knownTitle) }
        // At most one section per heading or table row, plus the six single ones.
        sections.reserveCapacity(6 + blocks.reduce(0) { $0 + ($1.kind == .heading || $1.kind == .tableRow ? 1 : 0) })

        // Title
        var titleIndex: Int?
        if let t = blocks.firstIndex(where: { $0.kind == .title }) {
            titleIndex = t
        } else if let first = blocks.first {
            // On the blocks' bytes: the first block may be a whole document's text, not worth a String.
            if blocks.count > 1, wordCount(text, first.span, upTo: 3) <= 2, first.kind != .tableRow,
               looksLikeTitle(text, blocks[1].span), blocks[1].kind != .tableRow {
                titleIndex = 1
            } else if looksLikeTitle(text, first.span), first.kind != .tableRow, first.kind != .listItem {
                titleIndex = 0
            }
        }
        var title = knownTitle
        if let t = titleIndex {
            sections.append(Section(kind: .title, span: blocks[t].span))
            if title == nil { title = trimmed(blocks[t]) }
        }

        // Abstract and keywords
        var abstractRange: ClosedRange<Int>?
        var keywordsRange: ClosedRange<Int>?
        var referencesStart: Int?
        for (i, b) in blocks.enumerated() {
            // Past the first 40 blocks only a references heading is looked for.
            if i >= 40 && (referencesStart != nil || b.kind == .tableRow) { continue }
            // Only equality with the labels above matters here: any other label is as good as "".
            let l = mayStartLabel(text, b.span) ? label(b, longest: longestLabel) : ""
            if i >= 40 && l.isEmpty { continue }
            if referencesStart == nil, b.kind != .tableRow, !l.isEmpty, referenceLabels.contains(l), i > 0 {
                referencesStart = i
            }
            if keywordsRange == nil, i < 40, startsWithLabel(text, b, keywordLabels) {
                let alone = l == "keywords" || l == "key words" || l == "index terms"
                keywordsRange = alone && i + 1 < blocks.count ? i...(i + 1) : i...i
            }
            if abstractRange == nil, i < 40 {
                if (b.kind == .heading || b.kind == .paragraph) && (l == "abstract" || l == "summary") {
                    var j = i + 1
                    while j < blocks.count, blocks[j].kind != .heading,
                          !startsWithLabel(text, blocks[j], keywordEndLabels) { j += 1 }
                    if j > i + 1 { abstractRange = i...(j - 1) }
                } else if b.kind == .paragraph, startsWithLabel(text, b, abstractLabels), b.span.length > 60 {
                    abstractRange = i...i
                }
            }
        }
        if let a = abstractRange { sections.append(Section(kind: .abstract, span: Span(blocks[a.lowerBound].span.start, blocks[a.upperBound].span.end))) }
        if let k = keywordsRange { sections.append(Section(kind: .keywords, span: Span(blocks[k.lowerBound].span.start, blocks[k.upperBound].span.end))) }

        // Front matter: short author/affiliation blocks between the title and what follows.
        var frontEnd = titleIndex ?? -1
        let firstStructural = [abstractRange?.lowerBound, keywordsRange?.lowerBound].compactMap { $0 }.min()
        var i = (titleIndex ?? -1) + 1
        var frontStart: Int?
        while i < blocks.count, i < (firstStructural ?? blocks.count), i <= (titleIndex ?? 0) + 12 {
            if blocks[i].span.length > 400 { break }
            let s = str(blocks[i])
            if looksLikeFrontMatter(s) || (frontStart != nil && blocks[i].kind != .heading && s.utf8.count < 200 && !s.hasSuffix(".")) {
                if frontStart == nil { frontStart = i }
                frontEnd = i
            } else if frontStart == nil, wordCount(text, blocks[i].span, upTo: 5) <= 4, i + 1 < blocks.count, looksLikeFrontMatter(str(blocks[i + 1])) {
                frontStart = i  // an author's name on its own line, affiliation on the next
                frontEnd = i
            } else {
                break
            }
            i += 1
        }
        if let f = frontStart {
            sections.append(Section(kind: .frontMatter, span: Span(blocks[f].span.start, blocks[frontEnd].span.end)))
        }

        // References section
        var referencesEnd = blocks.count
        if let r = referencesStart {
            var j = r + 1
            while j < blocks.count {
                if blocks[j].kind == .heading, afterReferences.contains(where: { label(blocks[j]).hasPrefix($0) }) { break }
                j += 1
            }
            referencesEnd = j
            sections.append(Section(kind: .references, span: Span(blocks[r].span.start, blocks[j - 1].span.end), label: trimmed(blocks[r])))
        }

        // Headings and tables outside the front matter
        let frontLast = max(frontEnd, [abstractRange?.upperBound, keywordsRange?.upperBound].compactMap { $0 }.max() ?? -1)
        var k = 0
        while k < blocks.count {
            let b = blocks[k]
            if k == titleIndex || (frontStart != nil && k >= frontStart! && k <= frontEnd) { k += 1; continue }
            if b.kind == .heading {
                sections.append(Section(kind: .heading, span: b.span, label: trimmed(b)))
            } else if b.kind == .tableRow {
                var e = k
                while e + 1 < blocks.count, blocks[e + 1].kind == .tableRow { e += 1 }
                sections.append(Section(kind: .table, span: Span(b.span.start, blocks[e].span.end)))
                k = e + 1
                continue
            }
            k += 1
        }

        // Body: from the first block after the front parts to the end of the last block before the references.
        let bodyStart = frontLast + 1
        let bodyEnd = (referencesStart ?? referencesEnd) - 1
        if bodyStart <= bodyEnd, bodyStart < blocks.count {
            sections.append(Section(kind: .body, span: Span(blocks[bodyStart].span.start, blocks[bodyEnd].span.end)))
        }
        sections.sort { $0.span.start != $1.span.start ? $0.span.start < $1.span.start : $0.span.end > $1.span.end }
        return Result(sections: sections, title: title)
    }

    /// False when the block's label (`normalizedLabel`) cannot be a references, keywords or abstract
    /// label: the first byte after the numbering and white space that label trims is an ASCII byte that
    /// starts none of them (a, b, c, i, k, l, n, r, s, w in either case).
    static func mayStartLabel(_ text: [UInt8], _ span: Span) -> Bool {
        var i = span.start
        while i < span.end {
            let c = text[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x29 { i += 1; continue }
            if c >= 0x80 { return true }  // the string comparison decides
            let letters: UInt32 = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 8 | 1 << 10 | 1 << 11 | 1 << 13 | 1 << 17 | 1 << 18 | 1 << 22
            let lower = c | 0x20
            return lower >= 0x61 && lower <= 0x7A && letters >> UInt32(lower - 0x61) & 1 != 0
        }
        return false
    }

    /// "## 5. REFERENCES:" -> "references"
    static func normalizedLabel(_ s: String) -> String {
        var t = s.lowercased().trimmingSpaces()
        while let f = t.first, f.isNumber || f == "." || f == " " || f == ")" { t.removeFirst() }
        while let l = t.last, l == ":" || l == "." || l == " " { t.removeLast() }
        return t
    }

    /// The longest label `detect` compares a block's label with ("notes and references").
    static let longestLabel = (referenceLabels.map(\.utf8.count) + (keywordLabels + abstractLabels).map(\.utf8CodeUnitCount)).max()!

    /// "## 5. REFERENCES:" -> "references", from the bytes of a short ASCII block (lower-casing and
    /// trimming ASCII go byte by byte); other text goes through `normalizedLabel(_: String)`. An ASCII
    /// label longer than `longest` bytes comes back empty: it equals none of the labels looked for,
    /// and is not worth making a String of.
    static func normalizedLabel(_ text: [UInt8], _ span: Span, longest: Int = .max) -> String {
        text.withUnsafeBufferPointer { t in
            var start = span.start
            var end = span.end
            for i in start..<end where t[i] >= 0x80 || t[i] == 0x0D {
                return normalizedLabel(String(decoding: UnsafeBufferPointer(rebasing: t[span.range]), as: UTF8.self))
            }
            while start < end, t[start] == 0x20 || t[start] == 0x09 || t[start] == 0x0A { start += 1 }
            while end > start, t[end - 1] == 0x20 || t[end - 1] == 0x09 || t[end - 1] == 0x0A { end -= 1 }
            while start < end, (t[start] >= 0x30 && t[start] <= 0x39) || t[start] == 0x2E || t[start] == 0x20 || t[start] == 0x29 { start += 1 }
            while end > start, t[end - 1] == 0x3A || t[end - 1] == 0x2E || t[end - 1] == 0x20 { end -= 1 }
            guard end - start <= longest else { return "" }
            return String(unsafeUninitializedCapacity: end - start) { (out: UnsafeMutableBufferPointer<UInt8>) -> Int in
                for i in start..<end { out[i - start] = t[i] >= 0x41 && t[i] <= 0x5A ? t[i] | 0x20 : t[i] }
                return end - start
            }
        }
    }

    /// Whether the block opens with one of `labels` (its first 32 bytes are enough), as
    /// `startsWithLabel(_: String, _:)` says, on bytes where ASCII makes that plain (lower-casing ASCII
    /// goes byte by byte, and an ASCII byte after a character means no combining mark joins it).
    static func startsWithLabel(_ text: [UInt8], _ b: Block, _ labels: [StaticString]) -> Bool {
        guard b.span.length > 0 else { return false }
        // Most blocks start with an ASCII byte no label starts with: that answers without comparing.
        let first = text[b.span.start]
        if first < 0x80 {
            let lower = first >= 0x41 && first <= 0x5A ? first | 0x20 : first
            if !labels.contains(where: { $0.utf8Start[0] == lower }) { return false }
        }
        let end = min(b.span.end, b.span.start + 32)
        var unsure = false
        let yes = text.withUnsafeBufferPointer { t in
            labels.contains { label in
                switch labelAnswer(t, b.span.start, end, label) {
                case .yes: return true
                case .no: return false
                case .unsure: unsure = true; return false
                }
            }
        }
        if yes || !unsure { return yes }
        return startsWithLabel(String(decoding: text[b.span.start..<end], as: UTF8.self), labels.map { "\($0)" })
    }

    enum Answer { case yes, no, unsure }

    /// Whether the bytes from `start` to `end` open with `label` in any case, followed by nothing, `:`,
    /// `.`, a space, `-` or an em dash; unsure where a non-ASCII byte leaves it to the string comparison.
    /// A non-ASCII character (or a combining mark on an ASCII letter) never compares equal to an ASCII
    /// one, even lower-cased, but for the Kelvin sign (lower-cased, "k"): only that one is unsure.
    static func labelAnswer(_ t: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ label: StaticString) -> Answer {
        let n = label.utf8CodeUnitCount
        for k in 0..<n {
            guard start + k < end else { return .no }
            let byte = t[start + k]
            if byte >= 0x80 {
                let kelvin = byte == 0xE2 && start + k + 2 < end && t[start + k + 1] == 0x84 && t[start + k + 2] == 0xAA
                return kelvin ? .unsure : .no
            }
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != label.utf8Start[k] { return .no }
        }
        let after = start + n
        guard after < end else { return .yes }
        func characterEndsAt(_ i: Int) -> Bool { i >= end || t[i] < 0x80 }
        let next = t[after]
        if next == 0x3A || next == 0x2E || next == 0x20 || next == 0x2D { return characterEndsAt(after + 1) ? .yes : .unsure }
        if next == 0xE2, after + 2 < end, t[after + 1] == 0x80, t[after + 2] == 0x94 { return characterEndsAt(after + 3) ? .yes : .unsure }
        return .no  // any other character, or a combining mark that makes the label's last letter another one
    }

    static func startsWithLabel(_ s: String, _ labels: [String]) -> Bool {
        let lower = s.lowercased()
        for l in labels where lower.hasPrefix(l) {
            let rest = lower.dropFirst(l.count)
            if rest.isEmpty || rest.first == ":" || rest.first == "." || rest.first == " " || rest.first == "\u{2014}" || rest.first == "-" { return true }
        }
        return false
    }

    static func looksLikeTitle(_ s: String) -> Bool {
        let n = s.utf8.count
        guard n >= 3, n <= 300 else { return false }
        return !(s.hasSuffix(".") && !s.hasSuffix("..."))
    }

    /// `looksLikeTitle(_: String)` of the text in `span`, on its bytes when its last four are ASCII
    /// (each of the last three is then a character of its own).
    static func looksLikeTitle(_ text: [UInt8], _ span: Span) -> Bool {
        let n = span.length
        guard n >= 3, n <= 300 else { return false }
        let e = span.end
        guard (max(span.start, e - 4)..<e).allSatisfy({ text[$0] < 0x80 }) else {
            return looksLikeTitle(String(decoding: text[span.range], as: UTF8.self))
        }
        return !(text[e - 1] == 0x2E && !(text[e - 2] == 0x2E && text[e - 3] == 0x2E))
    }

    static func looksLikeFrontMatter(_ s: String) -> Bool {
        // Author lines are short and are not sentences.
        if s.utf8.count > 250 || (s.hasSuffix(".") && wordCount(s) > 12) { return false }
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: lower-case and search bytes.
            let lower = s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            return frontMatterCueBytes.contains { cue in ByteSearch.contains(lower, cue) }
        }
        // Foundation's search (canonical equivalence) is slow: a cue can only match where its bytes
        // occur (no other text is equivalent to these ASCII cues), and matches where they occur
        // between ASCII bytes (its characters are then whole), so only other byte matches ask it.
        let lower = s.lowercased()
        let lowerBytes = Array(lower.utf8)
        return frontMatterCues.indices.contains { k in
            switch cueMatch(lowerBytes, frontMatterCueBytes[k]) {
            case .yes: return true
            case .no: return false
            case .unsure: return lower.contains(frontMatterCues[k])
            }
        }
    }

    /// Whether the ASCII `needle`'s bytes occur in `haystack`: yes where an occurrence has an ASCII
    /// byte (or the edge) on each side, unsure where the only ones touch non-ASCII bytes (a mark
    /// may join the needle's last letter), no without one.
    static func cueMatch(_ haystack: [UInt8], _ needle: [UInt8]) -> Answer {
        guard needle.count <= haystack.count else { return .no }
        var found = false
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            guard haystack[i..<(i + needle.count)].elementsEqual(needle) else { continue }
            let after = i + needle.count
            if (i == 0 || haystack[i - 1] < 0x80) && (after == haystack.count || haystack[after] < 0x80) { return .yes }
            found = true
        }
        return found ? .unsure : .no
    }

    static func wordCount(_ s: String) -> Int {
        var s = s
        let counted = s.withUTF8 { wordCount($0, upTo: .max) }
        return counted ?? splitWordCount(s)
    }

    /// `min(wordCount(_: String), limit)` of the text in `span`, without making a String of it
    /// unless a space next to a non-ASCII byte comes before the limit.
    static func wordCount(_ text: [UInt8], _ span: Span, upTo limit: Int) -> Int {
        let counted = text.withUnsafeBufferPointer { wordCount(UnsafeBufferPointer(rebasing: $0[span.range]), upTo: limit) }
        return counted ?? min(splitWordCount(String(decoding: text[span.range], as: UTF8.self)), limit)
    }

    /// The words of `u` on bytes, counting stopped at `limit`; nil when a space or tab next to a
    /// non-ASCII byte comes first. Where every space and tab stands between ASCII bytes, each is a
    /// character of its own, as `splitWordCount` sees it; and `limit` words counted so far are
    /// separated by such spaces, so the split finds at least as many.
    static func wordCount(_ u: UnsafeBufferPointer<UInt8>, upTo limit: Int) -> Int? {
        var words = 0
        var inWord = false
        for i in 0..<u.count {
            let b = u[i]
            if b == 0x20 || b == 0x09 {
                if (i > 0 && u[i - 1] >= 0x80) || (i + 1 < u.count && u[i + 1] >= 0x80) { return nil }
                inWord = false
            } else if !inWord {
                words += 1
                if words == limit { return limit }
                inWord = true
            }
        }
        return words
    }

    /// The words of `s` split at space and tab characters.
    static func splitWordCount(_ s: String) -> Int {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" }).count
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
