import AssayCore

/// Plain text and Markdown-like text to clean text with blocks.
///
/// Handles, line by line over UTF-8 bytes:
/// - paragraphs: blank lines separate them; in hard-wrapped text the lines of a paragraph are joined
///   with a space; in text whose lines are already paragraphs (most lines longer than ~120 bytes),
///   each line is one paragraph;
/// - hyphens at line ends: "hu-\nman" becomes "human", but "Anti-\nTerrorism" keeps its hyphen, and
///   so does "well-\nknown" when "well-known" appears elsewhere in the document;
/// - page breaks: a paragraph that stops mid-sentence ("(Suess" / blank line / "Schwend, 2020).",
///   "Among" / blank line / "the specific goals are:") is joined to the next one, skipping a lone
///   page number between them;
/// - headings: Markdown `#` headings, setext underlines, and short lines standing alone between blank
///   lines (ALL CAPS, or without closing punctuation); a heading glued to the line before it
///   ("…on HRDsAbstract") is split off;
/// - lists (`-`, `*`, `+`, `•`, `1.`) and tables (tab-separated or `|`-separated rows; cells come out
///   separated by one tab);
/// - Markdown markup is dropped (`#`, `**`, `*`, `_`, `` ` ``, `[text](url)` keeps its text, inline
///   HTML tags such as `<a href>` keep their content, entities are decoded); emphasized runs are
///   recorded as hints for later stages.
public enum PlainTextNormalizer {
    enum LineKind: Equatable {
        case blank, text, heading(level: Int), listItem, tableRow, pipeRow, rule
    }

    struct Line {
        var start: Int  // content start (markers and indentation removed)
        var end: Int  // content end (trailing white space removed)
        var kind: LineKind
        var rawStart: Int
    }

    struct Unit {
        var kind: Block.Kind
        var level: Int
        var lines: [Int]
    }

    public static func normalize(_ source: [UInt8], markdown: Bool) -> IngestedText {
        source.withUnsafeBufferPointer { s in
            var lines = splitLines(s, markdown: markdown)
            classifyStandaloneHeadings(s, &lines)
            let unwrapped = linesAreParagraphs(s, lines)
            var units = groupUnits(s, lines, unwrapped: unwrapped)
            units = joinAcrossPageBreaks(s, lines, units)
            var writer = BlockWriter(capacity: s.count)
            var compounds: Set<String>?
            for unit in units {
                write(unit, s, lines, &writer, markdown: markdown, compounds: &compounds)
            }
            return writer.finish()
        }
    }

    // MARK: lines

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0C || b == 0x0B }

    static func splitLines(_ s: UnsafeBufferPointer<UInt8>, markdown: Bool) -> [Line] {
        var lines: [Line] = []
        var i = 0
        let n = s.count
        var inFence = false
        while i < n {
            var e = i
            while e < n, s[e] != 0x0A, s[e] != 0x0D { e += 1 }
            let next = e < n ? (s[e] == 0x0D && e + 1 < n && s[e + 1] == 0x0A ? e + 2 : e + 1) : n
            // A form feed is a page break: treat it as a blank line of its own.
            var start = i
            var hadFormFeed = false
            while start < e, isSpace(s[start]) || (s[start] == 0xC2 && start + 1 < e && s[start + 1] == 0xA0) {
                if s[start] == 0x0C { hadFormFeed = true }
                start += s[start] == 0xC2 ? 2 : 1
            }
            var end = e
            while end > start, isSpace(s[end - 1]) { end -= 1 }
            if hadFormFeed { lines.append(Line(start: start, end: start, kind: .blank, rawStart: i)) }
            if start == end {
                lines.append(Line(start: start, end: end, kind: .blank, rawStart: i))
            } else if hasPrefix(s, start, end, "```") || hasPrefix(s, start, end, "~~~") {
                inFence.toggle()
                lines.append(Line(start: start, end: start, kind: .blank, rawStart: i))
            } else if inFence {
                lines.append(Line(start: start, end: end, kind: .text, rawStart: i))
            } else {
                lines.append(contentsOf: classify(s, start, end, rawStart: i, indent: start - i, markdown: markdown))
            }
            i = next
        }
        // Setext headings: a text line underlined with === or ---.
        for k in lines.indices where lines[k].kind == .rule && k > 0 && lines[k - 1].kind == .text {
            let underline = s[lines[k].start]
            if underline == 0x3D || underline == 0x2D, k < 2 || lines[k - 2].kind == .blank {
                lines[k - 1].kind = .heading(level: underline == 0x3D ? 1 : 2)
            }
        }
        return lines
    }

    static func classify(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, rawStart: Int, indent: Int, markdown: Bool) -> [Line] {
        let c = s[start]
        // ATX heading
        if c == 0x23 {
            var k = start
            while k < end, s[k] == 0x23 { k += 1 }
            let level = k - start
            if level <= 6, k == end || s[k] == 0x20 || s[k] == 0x09 {
                while k < end, isSpace(s[k]) { k += 1 }
                var e = end
                var t = e
                while t > k, s[t - 1] == 0x23 { t -= 1 }
                if t < e, t > k, isSpace(s[t - 1]) { e = t; while e > k, isSpace(s[e - 1]) { e -= 1 } }
                return [Line(start: k, end: e, kind: k < e ? .heading(level: level) : .blank, rawStart: rawStart)]
            }
        }
        // Horizontal rule or setext underline
        if c == 0x2D || c == 0x3D || c == 0x2A || c == 0x5F {
            var k = start
            var count = 0
            while k < end, s[k] == c || isSpace(s[k]) { if s[k] == c { count += 1 }; k += 1 }
            if k == end, count >= 3 { return [Line(start: start, end: end, kind: .rule, rawStart: rawStart)] }
        }
        // Pipe table rows (Markdown) and their separator rows
        if c == 0x7C {
            var k = start
            var onlySeparator = true
            while k < end {
                let b = s[k]
                if !(b == 0x7C || b == 0x2D || b == 0x3A || isSpace(b)) { onlySeparator = false; break }
                k += 1
            }
            if onlySeparator { return [Line(start: start, end: end, kind: .rule, rawStart: rawStart)] }
            return [Line(start: start, end: end, kind: .pipeRow, rawStart: rawStart)]
        }
        // Bullets: "- ", "* ", "+ ", "• "
        if (c == 0x2D || c == 0x2A || c == 0x2B) && start + 1 < end && s[start + 1] == 0x20 {
            var k = start + 1
            while k < end, isSpace(s[k]) { k += 1 }
            return [Line(start: k, end: end, kind: .listItem, rawStart: rawStart)]
        }
        if c == 0xE2, start + 3 < end, s[start + 1] == 0x80, s[start + 2] == 0xA2, s[start + 3] == 0x20 {  // •
            var k = start + 3
            while k < end, isSpace(s[k]) { k += 1 }
            return [Line(start: k, end: end, kind: .listItem, rawStart: rawStart)]
        }
        // Ordered items: "1. ", "12) " (the number is kept: it is content)
        if c >= 0x30, c <= 0x39 {
            var k = start
            while k < end, k - start < 3, s[k] >= 0x30, s[k] <= 0x39 { k += 1 }
            if k + 1 < end, s[k] == 0x2E || s[k] == 0x29, s[k + 1] == 0x20 {
                return [Line(start: start, end: end, kind: .listItem, rawStart: rawStart)]
            }
        }
        // Tab-separated table rows
        if let tab = firstIndex(of: 0x09, in: s, start, end), tab > start {
            _ = tab
            return [Line(start: start, end: end, kind: .tableRow, rawStart: rawStart)]
        }
        // A heading glued to the end of the line before it by a lost line break: "…HRDsAbstract".
        for label in ["Abstract", "ABSTRACT"] {
            let lb = Array(label.utf8)
            if end - start > lb.count + 1, hasSuffix(s, start, end, lb) {
                let before = s[end - lb.count - 1]
                if (before >= 0x61 && before <= 0x7A) || (before >= 0x41 && before <= 0x5A && label == "Abstract") {
                    return [Line(start: start, end: end - lb.count, kind: .text, rawStart: rawStart),
                            Line(start: end - lb.count, end: end, kind: .heading(level: 2), rawStart: end - lb.count)]
                }
            }
        }
        _ = indent
        _ = markdown
        return [Line(start: start, end: end, kind: .text, rawStart: rawStart)]
    }

    /// Short text lines standing alone between blank lines become headings: ALL CAPS lines
    /// ("LITERATURE REVIEW") and lines of a few words that do not end a sentence
    /// ("Legal and Diplomatic Implications").
    static func classifyStandaloneHeadings(_ s: UnsafeBufferPointer<UInt8>, _ lines: inout [Line]) {
        for k in lines.indices where lines[k].kind == .text {
            let alonePrev = k == 0 || lines[k - 1].kind == .blank || lines[k - 1].kind == .rule
            let aloneNext = k == lines.count - 1 || lines[k + 1].kind == .blank
            guard alonePrev, aloneNext else { continue }
            let l = lines[k]
            let length = l.end - l.start
            guard length <= 250 else { continue }
            let last = s[l.end - 1]
            let endsSentence = last == 0x2E || last == 0x2C || last == 0x3B || last == 0x3A || last == 0x21 || last == 0x3F
                || last == 0x22 || last == 0x27 || last == 0x29 || hasSuffix(s, l.start, l.end, Array("”".utf8))
                || hasSuffix(s, l.start, l.end, Array("’".utf8))
            var words = 0, upperLetters = 0, letters = 0
            var inWord = false
            var firstIsUpper = false
            for i in l.start..<l.end {
                let b = s[i]
                let isLetter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
                if isLetter {
                    letters += 1
                    if b <= 0x5A { upperLetters += 1 }
                    if !inWord { words += 1; if i == l.start { firstIsUpper = b <= 0x5A } }
                    inWord = true
                } else if b == 0x20 || b == 0x09 {
                    inWord = false
                }
            }
            let allCaps = letters >= 4 && upperLetters * 10 >= letters * 9
            if allCaps, words <= 30, !(last == 0x2C || last == 0x3B) {
                lines[k].kind = .heading(level: 1)
            } else if !endsSentence, firstIsUpper, words >= 2, words <= 12, length <= 120,
                      !(k + 2 < lines.count && startsLowercase(s, lines[k + 2])) {
                lines[k].kind = .heading(level: 2)
            }
        }
    }

    /// True when most text lines are long: the lines are paragraphs, not a hard wrap.
    static func linesAreParagraphs(_ s: UnsafeBufferPointer<UInt8>, _ lines: [Line]) -> Bool {
        var lengths: [Int] = []
        for l in lines where l.kind == .text || l.kind == .listItem { lengths.append(l.end - l.start) }
        guard !lengths.isEmpty else { return true }
        lengths.sort()
        let p75 = lengths[lengths.count * 3 / 4]
        return p75 > 160
    }

    // MARK: units (blocks before writing)

    static func groupUnits(_ s: UnsafeBufferPointer<UInt8>, _ lines: [Line], unwrapped: Bool) -> [Unit] {
        var units: [Unit] = []
        var previousBlank = true
        for (k, l) in lines.enumerated() {
            switch l.kind {
            case .blank, .rule:
                previousBlank = true
                continue
            case .heading(let level):
                units.append(Unit(kind: .heading, level: level, lines: [k]))
            case .listItem:
                units.append(Unit(kind: .listItem, level: 0, lines: [k]))
            case .tableRow, .pipeRow:
                units.append(Unit(kind: .tableRow, level: 0, lines: [k]))
            case .text:
                if !previousBlank, !unwrapped, let last = units.last, last.kind == .paragraph || last.kind == .listItem,
                   !startsNewEntryByIndent(lines, last, k) {
                    units[units.count - 1].lines.append(k)
                } else {
                    units.append(Unit(kind: .paragraph, level: 0, lines: [k]))
                }
            }
            previousBlank = false
        }
        return units
    }

    /// In hard-wrapped text, indentation separates paragraphs that no blank line separates:
    /// a hanging indent (reference entries: first line flush, the rest indented) ends an entry when a
    /// line returns to the first line's indentation; a first-line indent starts a new paragraph.
    static func startsNewEntryByIndent(_ lines: [Line], _ unit: Unit, _ k: Int) -> Bool {
        func indent(_ i: Int) -> Int { lines[i].start - lines[i].rawStart }
        let first = unit.lines[0]
        let previous = unit.lines[unit.lines.count - 1]
        if indent(k) < indent(previous), indent(k) == indent(first) { return true }
        if unit.lines.count >= 2, indent(k) > indent(previous), indent(first) > indent(unit.lines[1]) { return true }
        return false
    }

    /// Rejoins paragraphs split by a page break: the first stops mid-sentence and the second goes on
    /// with a lower-case word, or the first leaves a parenthesis open. A lone page number between them
    /// is dropped.
    static func joinAcrossPageBreaks(_ s: UnsafeBufferPointer<UInt8>, _ lines: [Line], _ units: [Unit]) -> [Unit] {
        var out: [Unit] = []
        var k = 0
        while k < units.count {
            var u = units[k]
            k += 1
            while u.kind == .paragraph || u.kind == .listItem {
                var next = k
                if next < units.count, units[next].kind == .paragraph, units[next].lines.count == 1,
                   isPageNumber(s, lines[units[next].lines[0]]) {
                    next += 1
                }
                guard next < units.count, units[next].kind == .paragraph else { break }
                let lastLine = lines[u.lines[u.lines.count - 1]]
                let firstLine = lines[units[next].lines[0]]
                guard !endsSentence(s, lastLine) else { break }
                let open = openParentheses(s, u, lines) > 0
                guard startsLowercase(s, firstLine) || open else { break }
                u.lines.append(contentsOf: units[next].lines)
                k = next + 1
            }
            out.append(u)
        }
        return out
    }

    static func isPageNumber(_ s: UnsafeBufferPointer<UInt8>, _ l: Line) -> Bool {
        let n = l.end - l.start
        guard n > 0, n <= 4 else { return false }
        for i in l.start..<l.end where !(s[i] >= 0x30 && s[i] <= 0x39) { return false }
        return true
    }

    static func endsSentence(_ s: UnsafeBufferPointer<UInt8>, _ l: Line) -> Bool {
        guard l.end > l.start else { return true }
        var e = l.end
        // Closing quotes and brackets after the full stop still end the sentence.
        while e > l.start, s[e - 1] == 0x22 || s[e - 1] == 0x27 || s[e - 1] == 0x2A || s[e - 1] == 0x5D || s[e - 1] == 0x29 {
            if s[e - 1] == 0x29, e - 2 >= l.start, !(s[e - 2] == 0x2E || s[e - 2] == 0x21 || s[e - 2] == 0x3F) {
                // "(… 2020)" at the end: the sentence's full stop would follow the parenthesis.
                return false
            }
            e -= 1
        }
        if e - 3 >= l.start, s[e - 3] == 0xE2, s[e - 2] == 0x80, s[e - 1] == 0x9D || s[e - 1] == 0x99 { e -= 3 }
        guard e > l.start else { return true }
        let last = s[e - 1]
        return last == 0x2E || last == 0x21 || last == 0x3F || last == 0x3A
    }

    static func startsLowercase(_ s: UnsafeBufferPointer<UInt8>, _ l: Line) -> Bool {
        guard l.start < l.end else { return false }
        let c = s[l.start]
        return c >= 0x61 && c <= 0x7A
    }

    static func openParentheses(_ s: UnsafeBufferPointer<UInt8>, _ u: Unit, _ lines: [Line]) -> Int {
        // Only the tail matters: a citation broken by a page break opened within the last line.
        let l = lines[u.lines[u.lines.count - 1]]
        var depth = 0
        for i in max(l.start, l.end - 400)..<l.end {
            if s[i] == 0x28 { depth += 1 } else if s[i] == 0x29, depth > 0 { depth -= 1 }
        }
        return depth
    }

    // MARK: writing

    static func write(_ unit: Unit, _ s: UnsafeBufferPointer<UInt8>, _ lines: [Line], _ w: inout BlockWriter,
                      markdown: Bool, compounds: inout Set<String>?) {
        let first = lines[unit.lines[0]]
        w.begin(unit.kind, level: unit.level, sourceOffset: first.start)
        if unit.kind == .tableRow {
            writeTableRow(s, first, &w, markdown: markdown)
            w.end()
            return
        }
        for (n, li) in unit.lines.enumerated() {
            let l = lines[li]
            var end = l.end
            if n + 1 < unit.lines.count {
                let next = lines[unit.lines[n + 1]]
                switch hyphenJoin(s, l, next, &compounds) {
                case .dropHyphen:
                    end -= 1
                    writeInline(s, l.start..<end, &w, markdown: markdown)
                    w.cancelSpace()
                    continue
                case .keepHyphen:
                    writeInline(s, l.start..<end, &w, markdown: markdown)
                    w.cancelSpace()
                    continue
                case .space:
                    break
                }
            }
            writeInline(s, l.start..<end, &w, markdown: markdown)
            if n + 1 < unit.lines.count { w.space(sourceOffset: l.end) }
        }
        w.end()
    }

    enum Join { case space, dropHyphen, keepHyphen }

    /// How to join a line ending in a hyphen to the next one.
    static func hyphenJoin(_ s: UnsafeBufferPointer<UInt8>, _ l: Line, _ next: Line, _ compounds: inout Set<String>?) -> Join {
        guard l.end - l.start >= 2, s[l.end - 1] == 0x2D, isLetter(s[l.end - 2]), next.start < next.end else { return .space }
        if l.end - 3 >= l.start, s[l.end - 3] == 0x20, s[l.end - 2] == 0x2D { return .space }
        let c = s[next.start]
        guard c >= 0x61 && c <= 0x7A else { return isLetter(c) || (c >= 0x30 && c <= 0x39) ? .keepHyphen : .space }
        var a = l.end - 1
        while a > l.start, isLetter(s[a - 1]) { a -= 1 }
        var b = next.start
        while b < next.end, isLetter(s[b]) { b += 1 }
        let candidate = String(decoding: UnsafeBufferPointer(rebasing: s[a..<l.end]), as: UTF8.self).lowercased()
            + String(decoding: UnsafeBufferPointer(rebasing: s[next.start..<b]), as: UTF8.self).lowercased()
        if compounds == nil { compounds = hyphenatedWords(s) }
        return compounds!.contains(candidate) ? .keepHyphen : .dropHyphen
    }

    static func isLetter(_ b: UInt8) -> Bool { ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || b >= 0x80 }

    /// Words written with a hyphen inside a line anywhere in the document ("well-known").
    static func hyphenatedWords(_ s: UnsafeBufferPointer<UInt8>) -> Set<String> {
        var out = Set<String>()
        var i = 1
        while i + 1 < s.count {
            if s[i] == 0x2D, isLetter(s[i - 1]), isLetter(s[i + 1]) {
                var a = i - 1
                while a > 0, isLetter(s[a - 1]) { a -= 1 }
                var b = i + 1
                while b < s.count, isLetter(s[b]) || (s[b] == 0x2D && b + 1 < s.count && isLetter(s[b + 1])) { b += 1 }
                out.insert(String(decoding: UnsafeBufferPointer(rebasing: s[a..<b]), as: UTF8.self).lowercased())
                i = b
            }
            i += 1
        }
        return out
    }

    static func writeTableRow(_ s: UnsafeBufferPointer<UInt8>, _ l: Line, _ w: inout BlockWriter, markdown: Bool) {
        let pipe = l.kind == .pipeRow
        var start = l.start
        var end = l.end
        if pipe {
            if start < end, s[start] == 0x7C { start += 1 }
            if end > start, s[end - 1] == 0x7C, end - 2 < start || s[end - 2] != 0x5C { end -= 1 }
        }
        var cellStart = start
        var i = start
        while i <= end {
            let atSeparator = i == end || (pipe ? (s[i] == 0x7C && (i == start || s[i - 1] != 0x5C)) : s[i] == 0x09)
            if atSeparator {
                var a = cellStart, b = i
                while a < b, isSpace(s[a]) { a += 1 }
                while b > a, isSpace(s[b - 1]) { b -= 1 }
                if a < b {
                    w.cellBreak(sourceOffset: cellStart)
                    writeInline(s, a..<b, &w, markdown: markdown)
                }
                cellStart = i + 1
            }
            i += 1
        }
    }

    // MARK: inline markup

    static let inlineTags: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "div", "em", "font", "i", "img", "ins",
        "kbd", "mark", "p", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "u", "var", "wbr",
        "center", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ol", "ul", "table", "tr", "td", "th", "tbody", "thead", "blockquote",
        "hr", "section", "article", "figure", "figcaption", "details", "summary",
    ]
    static let emphasisTags: Set<String> = ["i", "em", "cite", "b", "strong"]

    /// Writes one line's content, dropping inline markup and keeping its text.
    static func writeInline(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ w: inout BlockWriter, markdown: Bool) {
        var i = range.lowerBound
        let end = range.upperBound
        var runStart = i
        var openDelimiters: [(byte: UInt8, count: Int)] = []
        func flush(_ upTo: Int, _ w: inout BlockWriter) {
            if runStart < upTo { w.write(UnsafeBufferPointer(rebasing: s[runStart..<upTo]), sourceOffset: runStart) }
        }
        while i < end {
            let c = s[i]
            switch c {
            case 0x5C where markdown && i + 1 < end && isASCIIPunctuation(s[i + 1]):  // \* escapes
                flush(i, &w)
                runStart = i + 1
                i += 2
            case 0x2A, 0x5F:  // * _
                if c == 0x5F && !markdown { i += 1; continue }
                var r = i
                while r < end, s[r] == c { r += 1 }
                let count = r - i
                guard count <= 3 else { i = r; continue }
                let prev: UInt8 = i > range.lowerBound ? s[i - 1] : 0x20
                let next: UInt8 = r < end ? s[r] : 0x20
                let canClose = !isWhite(prev) && (isWhite(next) || isASCIIPunctuation(next))
                let canOpen = !isWhite(next) && (isWhite(prev) || isASCIIPunctuation(prev))
                if canClose, let top = openDelimiters.last, top.byte == c, top.count == count {
                    flush(i, &w)
                    openDelimiters.removeLast()
                    w.endEmphasis()
                    i = r
                    runStart = i
                } else if canOpen, closer(s, from: r, end: end, byte: c, count: count) != nil {
                    flush(i, &w)
                    openDelimiters.append((c, count))
                    w.beginEmphasis()
                    i = r
                    runStart = i
                } else {
                    i = r
                }
            case 0x60 where markdown:  // `code`
                if let close = firstIndex(of: 0x60, in: s, i + 1, end) {
                    flush(i, &w)
                    if close > i + 1 { w.write(UnsafeBufferPointer(rebasing: s[(i + 1)..<close]), sourceOffset: i + 1) }
                    i = close + 1
                    runStart = i
                } else {
                    i += 1
                }
            case 0x5B, 0x21:  // [text](url) and ![alt](url)
                let bracket = c == 0x21 ? i + 1 : i
                if bracket < end, s[bracket] == 0x5B, let link = markdownLink(s, at: bracket, end: end) {
                    flush(i, &w)
                    writeInline(s, link.text, &w, markdown: markdown)
                    i = link.end
                    runStart = i
                } else {
                    i += 1
                }
            case 0x3C:  // <tag>
                if let tag = inlineTag(s, at: i, end: end) {
                    flush(i, &w)
                    if tag.name == "br" || tag.name == "p" || tag.name == "div" || tag.name == "td" || tag.name == "li" {
                        w.space(sourceOffset: i)
                    } else if emphasisTags.contains(tag.name) {
                        if tag.closing { w.endEmphasis() } else { w.beginEmphasis() }
                    }
                    i = tag.end
                    runStart = i
                } else if let url = autolink(s, at: i, end: end) {
                    flush(i, &w)
                    w.write(UnsafeBufferPointer(rebasing: s[url]), sourceOffset: url.lowerBound)
                    i = url.upperBound + 1
                    runStart = i
                } else {
                    i += 1
                }
            case 0x26 where markdown:  // &entity;
                if let (bytes, length) = HTMLEntities.decode(s, at: i, end: end) {
                    flush(i, &w)
                    w.write(bytes, sourceOffset: i)
                    i += length
                    runStart = i
                } else {
                    i += 1
                }
            default:
                i += 1
            }
        }
        flush(end, &w)
        for _ in openDelimiters { w.endEmphasis() }
    }

    static func isWhite(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    static func isASCIIPunctuation(_ b: UInt8) -> Bool {
        (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E)
    }

    /// Where a closing run of exactly `count` `byte`s is, within the line.
    static func closer(_ s: UnsafeBufferPointer<UInt8>, from: Int, end: Int, byte: UInt8, count: Int) -> Int? {
        var i = from
        while i < end {
            if s[i] == byte {
                var r = i
                while r < end, s[r] == byte { r += 1 }
                let prev = s[i - 1]
                let next: UInt8 = r < end ? s[r] : 0x20
                if r - i == count, !isWhite(prev), isWhite(next) || isASCIIPunctuation(next) { return i }
                i = r
            } else {
                i += 1
            }
        }
        return nil
    }

    static func markdownLink(_ s: UnsafeBufferPointer<UInt8>, at open: Int, end: Int) -> (text: Range<Int>, end: Int)? {
        var depth = 0
        var i = open
        while i < end {
            if s[i] == 0x5B { depth += 1 } else if s[i] == 0x5D { depth -= 1; if depth == 0 { break } }
            i += 1
        }
        guard i < end, i + 1 < end, s[i + 1] == 0x28, let close = firstIndex(of: 0x29, in: s, i + 2, end) else { return nil }
        // No white space inside the URL part, or it is prose in brackets followed by a parenthesis.
        for k in (i + 2)..<close where s[k] == 0x20 {
            if !(k + 1 < close && s[k + 1] == 0x22) { return nil }
            break
        }
        return ((open + 1)..<i, close + 1)
    }

    static func inlineTag(_ s: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (name: String, closing: Bool, end: Int)? {
        var k = i + 1
        var closing = false
        if k < end, s[k] == 0x2F { closing = true; k += 1 }
        let nameStart = k
        while k < end, k - nameStart < 12, ((s[k] | 0x20) >= 0x61 && (s[k] | 0x20) <= 0x7A) || (k > nameStart && s[k] >= 0x30 && s[k] <= 0x39) { k += 1 }
        guard k > nameStart, k < end else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<k]), as: UTF8.self).lowercased()
        guard inlineTags.contains(name) else { return nil }
        guard s[k] == 0x3E || s[k] == 0x20 || s[k] == 0x2F || s[k] == 0x09 else { return nil }
        var j = k
        var quote: UInt8 = 0
        while j < end, j - i < 2000 {
            let b = s[j]
            if quote != 0 { if b == quote { quote = 0 } }
            else if b == 0x22 || b == 0x27 { quote = b }
            else if b == 0x3E { return (name, closing, j + 1) }
            else if b == 0x3C { return nil }
            j += 1
        }
        return nil
    }

    static func autolink(_ s: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Range<Int>? {
        guard hasPrefix(s, i + 1, end, "http") || hasPrefix(s, i + 1, end, "mailto:") else { return nil }
        var j = i + 1
        while j < end, s[j] != 0x3E, s[j] != 0x20, s[j] != 0x3C { j += 1 }
        guard j < end, s[j] == 0x3E else { return nil }
        return (i + 1)..<j
    }

    // MARK: byte helpers

    static func hasPrefix(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ p: String) -> Bool {
        let pb = Array(p.utf8)
        guard start + pb.count <= end else { return false }
        for k in 0..<pb.count where s[start + k] != pb[k] { return false }
        return true
    }

    static func hasSuffix(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ p: [UInt8]) -> Bool {
        guard end - start >= p.count else { return false }
        for k in 0..<p.count where s[end - p.count + k] != p[k] { return false }
        return true
    }

    static func firstIndex(of b: UInt8, in s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end { if s[i] == b { return i }; i += 1 }
        return nil
    }
}
