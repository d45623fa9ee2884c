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

    public struct Result: Sendable {
        public var sections: [Section]
        public var title: String?
    }

    public static func detect(_ text: [UInt8], _ blocks: [Block], knownTitle: String? = nil) -> Result {
        func str(_ b: Block) -> String { String(decoding: text[b.span.range], as: UTF8.self) }
        func head(_ b: Block) -> String { String(decoding: text[b.span.start..<min(b.span.end, b.span.start + 32)], as: UTF8.self) }
        // Labels are short: only short blocks are worth lower-casing.
        func label(_ b: Block) -> String { b.span.length <= 60 ? normalizedLabel(str(b)) : "" }
        var sections: [Section] = []
        guard !blocks.isEmpty else { return Result(sections: [], title: knownTitle) }

        // Title
        var titleIndex: Int?
        if let t = blocks.firstIndex(where: { $0.kind == .title }) {
            titleIndex = t
        } else if let first = blocks.first {
            let firstText = str(first)
            if blocks.count > 1, wordCount(firstText) <= 2, first.kind != .tableRow,
               looksLikeTitle(str(blocks[1])), blocks[1].kind != .tableRow {
                titleIndex = 1
            } else if looksLikeTitle(firstText), first.kind != .tableRow, first.kind != .listItem {
                titleIndex = 0
            }
        }
        var title = knownTitle
        if let t = titleIndex {
            sections.append(Section(kind: .title, span: blocks[t].span))
            if title == nil { title = str(blocks[t]).trimmingSpaces() }
        }

        // Abstract and keywords
        var abstractRange: ClosedRange<Int>?
        var keywordsRange: ClosedRange<Int>?
        var referencesStart: Int?
        for (i, b) in blocks.enumerated() {
            let l = label(b)
            if i >= 40 && l.isEmpty { continue }
            // Labels open a block: its first bytes are enough to test them.
            let s = i < 40 ? head(b) : l
            if referencesStart == nil, b.kind != .tableRow, referenceLabels.contains(l), i > 0 {
                referencesStart = i
            }
            if keywordsRange == nil, i < 40, startsWithLabel(s, ["keywords", "key words", "index terms", "keyword"]) {
                let alone = l == "keywords" || l == "key words" || l == "index terms"
                keywordsRange = alone && i + 1 < blocks.count ? i...(i + 1) : i...i
            }
            if abstractRange == nil, i < 40 {
                if (b.kind == .heading || b.kind == .paragraph) && (l == "abstract" || l == "summary") {
                    var j = i + 1
                    while j < blocks.count, blocks[j].kind != .heading,
                          !startsWithLabel(head(blocks[j]), ["keywords", "key words", "index terms"]) { j += 1 }
                    if j > i + 1 { abstractRange = i...(j - 1) }
                } else if b.kind == .paragraph, startsWithLabel(s, ["abstract", "summary"]), b.span.length > 60 {
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
            let s = str(blocks[i])
            if s.utf8.count > 400 { break }
            if looksLikeFrontMatter(s) || (frontStart != nil && blocks[i].kind != .heading && s.utf8.count < 200 && !s.hasSuffix(".")) {
                if frontStart == nil { frontStart = i }
                frontEnd = i
            } else if frontStart == nil, wordCount(s) <= 4, i + 1 < blocks.count, looksLikeFrontMatter(str(blocks[i + 1])) {
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
            sections.append(Section(kind: .references, span: Span(blocks[r].span.start, blocks[j - 1].span.end), label: str(blocks[r]).trimmingSpaces()))
        }

        // Headings and tables outside the front matter
        let frontLast = max(frontEnd, [abstractRange?.upperBound, keywordsRange?.upperBound].compactMap { $0 }.max() ?? -1)
        var k = 0
        while k < blocks.count {
            let b = blocks[k]
            if k == titleIndex || (frontStart != nil && k >= frontStart! && k <= frontEnd) { k += 1; continue }
            if b.kind == .heading {
                sections.append(Section(kind: .heading, span: b.span, label: str(b).trimmingSpaces()))
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

    /// "## 5. REFERENCES:" -> "references"
    static func normalizedLabel(_ s: String) -> String {
        var t = s.lowercased().trimmingSpaces()
        while let f = t.first, f.isNumber || f == "." || f == " " || f == ")" { t.removeFirst() }
        while let l = t.last, l == ":" || l == "." || l == " " { t.removeLast() }
        return t
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

    static func looksLikeFrontMatter(_ s: String) -> Bool {
        // Author lines are short and are not sentences.
        if s.utf8.count > 250 || (s.hasSuffix(".") && wordCount(s) > 12) { return false }
        let lower = s.lowercased()
        return frontMatterCues.contains { lower.contains($0) }
    }

    static func wordCount(_ s: String) -> Int { s.split(whereSeparator: { $0 == " " || $0 == "\t" }).count }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
