import AssayCore
import CByteScan

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
///
/// One pass over the bytes splits and classifies the lines (a compact array of offsets); grouping them
/// into blocks works on that array; writing copies each line's text to the blocks in runs, 32 bytes
/// at a time where nothing needs a decision.
public enum PlainTextNormalizer {
    enum LineKind: UInt8 {
        case blank, text, heading, listItem, tableRow, pipeRow, rule
    }

    struct Line {
        var start: Int  // content start (markers and indentation removed)
        var end: Int  // content end (trailing white space removed)
        var rawStart: Int
        var kind: LineKind
        var level = 0  // of a heading
    }

    /// A block before writing: the consecutive lines `first...last`.
    struct Unit {
        var kind: Block.Kind
        var level: Int
        var first: Int
        var last: Int
    }

    public static func normalize(_ source: [UInt8], markdown: Bool) -> IngestedText {
        var lookahead = 0
        return normalize(source, markdown: markdown, lookahead: &lookahead)
    }

    /// Adds to `lookahead` the bytes read ahead of the scan position (see `WriteState`).
    static func normalize(_ source: [UInt8], markdown: Bool, lookahead: inout Int) -> IngestedText {
        source.withUnsafeBufferPointer { s in
            // One pass over the input marks both where the writer's stretches end and the bytes the
            // line splitter looks for.
            let stops = MarkupBytes.stops(markdown: markdown)
            let (stretchEnds, blanks) = ByteMarks.stretchEndsAndBlanks(of: s, stops: stops.set, count: stops.count)
            var lines = splitLines(s, blanks)
            classifyStandaloneHeadings(s, &lines, lookahead: &lookahead)
            let units = groupUnits(lines, unwrapped: linesAreParagraphs(lines))
            var writer = BlockWriter(capacity: s.count)
            writer.reserveBlocks(units.count)  // a block per unit at most: no regrowing
            // Passed down as an argument, not kept in `state`: copying it out of the state each
            // line retained and released its marks.
            let markup = MarkupBytes(markdown: markdown, stretchEnds: stretchEnds)
            var state = WriteState()
            writeUnits(units, s, lines, &writer, markup, &state)
            lookahead += state.lookahead
            return writer.finish()
        }
    }

    /// What writing shares across a document's lines: the words written with a hyphen (found once,
    /// when first needed), and how many bytes the helpers that look for a closing mark (links, tags,
    /// emphasis, open parentheses) read ahead of the scan, which must grow only as the input does.
    struct WriteState {
        var compounds: Set<String>?
        var brackets = Brackets()
        var lookahead = 0
        /// Links inside the link text being written: each level is a nested call, so past
        /// `maxLinkDepth` a "[" is text (200,000 nested links overflowed the stack).
        var linkDepth = 0
        /// The emphasis runs left open, bottom first: each `writeMarkup` call works on those above
        /// the ones it found, so that a document grows one array instead of one per line.
        var delimiters: [(byte: UInt8, count: Int)] = []
    }

    static let maxLinkDepth = 32

    // MARK: lines

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0C || b == 0x0B }

    /// Splits the input into classified lines in one pass over its bytes, whose bytes 0x09-0x0D are
    /// marked in `blanks` (what `lineEnd` looks for).
    static func splitLines(_ s: UnsafeBufferPointer<UInt8>, _ blanks: ByteMarks) -> [Line] {
        var lines: [Line] = []
        // A line per 64 bytes: most documents (prose lines, blank lines between) then never regrow it.
        lines.reserveCapacity(s.count / 64 + 16)
        var i = 0
        let n = s.count
        var inFence = false
        while i < n {
            // Indentation; a form feed in it is a page break: a blank line of its own.
            var start = i
            var hadFormFeed = false
            while start < n {
                let b = s[start]
                if b == 0x20 || b == 0x09 || b == 0x0B {
                    start += 1
                } else if b == 0x0C {
                    hadFormFeed = true
                    start += 1
                } else if b == 0xC2, start + 1 < n, s[start + 1] == 0xA0 {
                    start += 2
                } else {
                    break
                }
            }
            let (e, firstTab) = lineEnd(s, from: start, blanks)
            let next = e < n ? (s[e] == 0x0D && e + 1 < n && s[e + 1] == 0x0A ? e + 2 : e + 1) : n
            var end = e
            while end > start, isSpace(s[end - 1]) { end -= 1 }
            if hadFormFeed { lines.append(Line(start: start, end: start, rawStart: i, kind: .blank)) }
            if start == end {
                lines.append(Line(start: start, end: end, rawStart: i, kind: .blank))
            } else if (s[start] == 0x60 || s[start] == 0x7E) && (hasPrefix(s, start, end, "```") || hasPrefix(s, start, end, "~~~")) {
                inFence.toggle()
                lines.append(Line(start: start, end: start, rawStart: i, kind: .blank))
            } else if inFence {
                lines.append(Line(start: start, end: end, rawStart: i, kind: .text))
            } else {
                classify(s, start, end, rawStart: i, hasTab: firstTab < end, into: &lines)
            }
            i = next
        }
        return lines
    }

    /// Where the line from `from` ends (its line feed or carriage return, or the end of the input) and
    /// where its first tab is (`Int.max` without one), from `breaks`: the input's tabs, carriage
    /// returns and line feeds, and possibly its other bytes 0x0B and 0x0C (passed over).
    @inline(__always)
    static func lineEnd(_ s: UnsafeBufferPointer<UInt8>, from: Int, _ breaks: ByteMarks) -> (end: Int, firstTab: Int) {
        let n = s.count
        var stop = breaks.next(from: from)
        var firstTab = Int.max
        while stop < n {
            let b = s[stop]
            if b == 0x0A || b == 0x0D { break }
            if b == 0x09, firstTab == Int.max { firstTab = stop }
            stop = breaks.next(from: stop + 1)
        }
        return (stop, firstTab)
    }

    /// Classifies a non-blank line outside fences and appends it (or, for a glued heading, its two parts).
    static func classify(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, rawStart: Int, hasTab: Bool,
                         into lines: inout [Line]) {
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
                lines.append(Line(start: k, end: e, rawStart: rawStart, kind: k < e ? .heading : .blank, level: k < e ? level : 0))
                return
            }
        }
        // Horizontal rule or setext underline
        if c == 0x2D || c == 0x3D || c == 0x2A || c == 0x5F {
            var k = start
            var count = 0
            while k < end, s[k] == c || isSpace(s[k]) { if s[k] == c { count += 1 }; k += 1 }
            if k == end, count >= 3 { appendRule(s, Line(start: start, end: end, rawStart: rawStart, kind: .rule), to: &lines); return }
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
            if onlySeparator {
                appendRule(s, Line(start: start, end: end, rawStart: rawStart, kind: .rule), to: &lines)
            } else {
                lines.append(Line(start: start, end: end, rawStart: rawStart, kind: .pipeRow))
            }
            return
        }
        // Bullets: "- ", "* ", "+ ", "• "
        if (c == 0x2D || c == 0x2A || c == 0x2B) && start + 1 < end && s[start + 1] == 0x20 {
            var k = start + 1
            while k < end, isSpace(s[k]) { k += 1 }
            lines.append(Line(start: k, end: end, rawStart: rawStart, kind: .listItem))
            return
        }
        if c == 0xE2, start + 3 < end, s[start + 1] == 0x80, s[start + 2] == 0xA2, s[start + 3] == 0x20 {  // •
            var k = start + 3
            while k < end, isSpace(s[k]) { k += 1 }
            lines.append(Line(start: k, end: end, rawStart: rawStart, kind: .listItem))
            return
        }
        // Ordered items: "1. ", "12) " (the number is kept: it is content)
        if c >= 0x30, c <= 0x39 {
            var k = start
            while k < end, k - start < 3, s[k] >= 0x30, s[k] <= 0x39 { k += 1 }
            if k + 1 < end, s[k] == 0x2E || s[k] == 0x29, s[k + 1] == 0x20 {
                lines.append(Line(start: start, end: end, rawStart: rawStart, kind: .listItem))
                return
            }
        }
        // Tab-separated table rows
        if hasTab {
            lines.append(Line(start: start, end: end, rawStart: rawStart, kind: .tableRow))
            return
        }
        // A heading glued to the end of the line before it by a lost line break: "…HRDsAbstract".
        if end - start > 9 {
            let tail = UnsafeRawPointer(s.baseAddress! + end - 8).loadUnaligned(as: UInt64.self)
            let before = s[end - 9]
            let lowerBefore = before >= 0x61 && before <= 0x7A
            if (tail == abstractWord && (lowerBefore || (before >= 0x41 && before <= 0x5A))) || (tail == abstractCaps && lowerBefore) {
                lines.append(Line(start: start, end: end - 8, rawStart: rawStart, kind: .text))
                lines.append(Line(start: end - 8, end: end, rawStart: end - 8, kind: .heading, level: 2))
                return
            }
        }
        lines.append(Line(start: start, end: end, rawStart: rawStart, kind: .text))
    }

    /// "Abstract" and "ABSTRACT" as the eight bytes of a little-endian load.
    static let abstractWord = packed("Abstract")
    static let abstractCaps = packed("ABSTRACT")

    static func packed(_ word: StaticString) -> UInt64 {
        var v: UInt64 = 0
        for k in (0..<word.utf8CodeUnitCount).reversed() { v = v << 8 | UInt64(word.utf8Start[k]) }
        return v
    }

    /// Appends a rule; under a text line that follows a blank line, it makes that line a setext heading.
    static func appendRule(_ s: UnsafeBufferPointer<UInt8>, _ rule: Line, to lines: inout [Line]) {
        let k = lines.count
        if k > 0, lines[k - 1].kind == .text, k < 2 || lines[k - 2].kind == .blank {
            let underline = s[rule.start]
            if underline == 0x3D || underline == 0x2D {
                lines[k - 1].kind = .heading
                lines[k - 1].level = underline == 0x3D ? 1 : 2
            }
        }
        lines.append(rule)
    }

    /// Short text lines standing alone between blank lines become headings: ALL CAPS lines
    /// ("LITERATURE REVIEW") and lines of a few words that do not end a sentence
    /// ("Legal and Diplomatic Implications").
    static func classifyStandaloneHeadings(_ s: UnsafeBufferPointer<UInt8>, _ lines: inout [Line], lookahead: inout Int) {
        for k in lines.indices where lines[k].kind == .text {
            let alonePrev = k == 0 || lines[k - 1].kind == .blank || lines[k - 1].kind == .rule
            let aloneNext = k == lines.count - 1 || lines[k + 1].kind == .blank
            guard alonePrev, aloneNext else { continue }
            let l = lines[k]
            let length = l.end - l.start
            guard length <= 250 else { continue }
            lookahead += length
            let last = s[l.end - 1]
            let closingQuote = length >= 3 && s[l.end - 3] == 0xE2 && s[l.end - 2] == 0x80 && (s[l.end - 1] == 0x9D || s[l.end - 1] == 0x99)  // ” ’
            let endsSentence = last == 0x2E || last == 0x2C || last == 0x3B || last == 0x3A || last == 0x21 || last == 0x3F
                || last == 0x22 || last == 0x27 || last == 0x29 || closingQuote
            // A sentence (most short paragraphs) can only be an ALL CAPS heading: one with too many
            // lower-case letters for that is given up on before its words are counted.
            let mayBeTitleCase = !endsSentence && length <= 120 && s[l.start] >= 0x41 && s[l.start] <= 0x5A
            if !mayBeTitleCase, tooManyLowercase(s, l.start, l.end) { continue }
            let (words, upperLetters, letters) = countLetters(s, l.start, l.end)
            let firstIsUpper = s[l.start] >= 0x41 && s[l.start] <= 0x5A
            let allCaps = letters >= 4 && upperLetters * 10 >= letters * 9
            if allCaps, words <= 30, !(last == 0x2C || last == 0x3B) {
                lines[k].kind = .heading
                lines[k].level = 1
            } else if !endsSentence, firstIsUpper, words >= 2, words <= 12, length <= 120,
                      !(k + 2 < lines.count && startsLowercase(s, lines[k + 2])) {
                lines[k].kind = .heading
                lines[k].level = 2
            }
        }
    }

    /// The words, the capitals and the letters (ASCII) from `start` to `end`: a word starts at a letter
    /// with no letter since the last space or tab (other bytes neither end nor start one). Counted
    /// eight bytes a step: a byte loop cost about 28 instructions a byte.
    static func countLetters(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (words: Int, upper: Int, letters: Int) {
        var words = 0, upper = 0, letters = 0
        let highs = ByteMask.highs
        var inWord: UInt64 = 0  // `highs` when the last letter or blank before `i` is a letter, else 0
        var i = start
        while i + 8 <= end {
            let w = ByteMask.word(s, i)
            let folded = w | 0x2020_2020_2020_2020
            let letter = ByteMask.below(folded, 0x7B) & ~ByteMask.below(folded, 0x61)
            let blank = ByteMask.equal(w, 0x20) | ByteMask.equal(w, 0x09)
            letters &+= ByteMask.count(letter)
            upper &+= ByteMask.count(letter & ByteMask.below(w, 0x5B))
            // Whether a word is open after each byte: yes after a letter, no after a blank, as before
            // it after any other byte (the first byte: as after the previous step); carried through
            // runs of those 1, 2, then 4 bytes at a time.
            var through = highs & ~(letter | blank)
            var open = letter | (inWord >> 56 & through)
            through &= ~0x80
            open |= open << 8 & through
            through &= through << 8
            open |= open << 16 & through
            through &= through << 16
            open |= open << 32 & through
            words &+= ByteMask.count(letter & ~(open << 8 | inWord >> 56))
            inWord = open >> 63 == 0 ? 0 : highs
            i += 8
        }
        var open = inWord == 0 ? 0 : 1
        while i < end {
            let b = s[i]
            let isLetter = (b | 0x20) &- 0x61 < 26
            if isLetter {
                letters &+= 1
                if b < 0x5B { upper &+= 1 }
                words &+= 1 &- open
                open = 1
            } else if b == 0x20 || b == 0x09 {
                open = 0
            }
            i += 1
        }
        return (words, upper, letters)
    }

    /// True when more than a tenth of the bytes from `start` to `end` are lower-case ASCII letters (the
    /// line cannot be ALL CAPS), counted eight bytes a step and stopping as soon as that is known.
    static func tooManyLowercase(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let length = end - start
        var lower = 0
        var i = start
        while i + 8 <= end {
            let w = ByteMask.word(s, i)
            lower += ByteMask.count(ByteMask.below(w, 0x7B) & ~ByteMask.below(w, 0x61))
            if lower * 10 > length { return true }
            i += 8
        }
        while i < end {
            if s[i] >= 0x61 && s[i] <= 0x7A { lower += 1 }
            i += 1
        }
        return lower * 10 > length
    }

    /// True when most text lines are long: the lines are paragraphs, not a hard wrap. (The 75th
    /// percentile of their lengths is above 160 bytes: counted, not sorted.)
    static func linesAreParagraphs(_ lines: [Line]) -> Bool {
        var count = 0
        var short = 0
        for l in lines where l.kind == .text || l.kind == .listItem {
            count += 1
            if l.end - l.start <= 160 { short += 1 }
        }
        guard count > 0 else { return true }
        return short <= count * 3 / 4
    }

    // MARK: units (blocks before writing)

    static func groupUnits(_ lines: [Line], unwrapped: Bool) -> [Unit] {
        var units: [Unit] = []
        units.reserveCapacity(lines.count)  // at most one per line: no regrowing
        var previousBlank = true
        for k in lines.indices {
            let l = lines[k]
            switch l.kind {
            case .blank, .rule:
                previousBlank = true
                continue
            case .heading:
                units.append(Unit(kind: .heading, level: l.level, first: k, last: k))
            case .listItem:
                units.append(Unit(kind: .listItem, level: 0, first: k, last: k))
            case .tableRow, .pipeRow:
                units.append(Unit(kind: .tableRow, level: 0, first: k, last: k))
            case .text:
                if !previousBlank, !unwrapped, let last = units.last, last.kind == .paragraph || last.kind == .listItem,
                   !startsNewEntryByIndent(lines, last, k) {
                    units[units.count - 1].last = k
                } else {
                    units.append(Unit(kind: .paragraph, level: 0, first: k, last: k))
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
        let first = unit.first
        let previous = unit.last
        if indent(k) < indent(previous), indent(k) == indent(first) { return true }
        if unit.last > unit.first, indent(k) > indent(previous), indent(first) > indent(first + 1) { return true }
        return false
    }

    /// The unit that goes on a paragraph split by a page break, if any: the paragraph after unit
    /// `k - 1` (whose last line is `last`), skipping a lone page number, when the first stops
    /// mid-sentence and the second goes on with a lower-case word, or the first leaves a parenthesis
    /// open.
    static func pageBreakContinuation(_ s: UnsafeBufferPointer<UInt8>, _ lines: [Line], _ units: [Unit],
                                      at k: Int, last: Int, lookahead: inout Int) -> Int? {
        var next = k
        if next < units.count, units[next].kind == .paragraph, units[next].first == units[next].last,
           isPageNumber(s, lines[units[next].first]) {
            next += 1
        }
        guard next < units.count, units[next].kind == .paragraph else { return nil }
        let lastLine = lines[last]
        guard !endsSentence(s, lastLine) else { return nil }
        guard startsLowercase(s, lines[units[next].first]) || openParentheses(s, lastLine, &lookahead) > 0 else { return nil }
        return next
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

    /// Parentheses left open in a line. Only the tail matters: a citation broken by a page break
    /// opened within the last line.
    static func openParentheses(_ s: UnsafeBufferPointer<UInt8>, _ l: Line, _ lookahead: inout Int) -> Int {
        var depth = 0
        let from = max(l.start, l.end - 400)
        lookahead += l.end - from
        var i = from
        while i < l.end {
            i += assay_first_of(s.baseAddress! + i, l.end - i, 0x29_28, 2)  // the next `(` or `)` (C): most lines have none
            guard i < l.end else { break }
            if s[i] == 0x28 { depth += 1 } else if depth > 0 { depth -= 1 }
            i += 1
        }
        return depth
    }

    // MARK: writing

    /// Writes the units as blocks, continuing a paragraph with the ones a page break split from it.
    static func writeUnits(_ units: [Unit], _ s: UnsafeBufferPointer<UInt8>, _ lines: [Line], _ w: inout BlockWriter,
                           _ markup: MarkupBytes, _ state: inout WriteState) {
        var k = 0
        while k < units.count {
            let unit = units[k]
            k += 1
            w.begin(unit.kind, level: unit.level, sourceOffset: lines[unit.first].start)
            if unit.kind == .tableRow {
                writeTableRow(s, lines[unit.first], &w, markup, &state)
                w.end()
                continue
            }
            // The lines first...last are written once the line after them (if any) is known.
            var first = unit.first
            var last = unit.last
            while true {
                let following = unit.kind == .paragraph || unit.kind == .listItem
                    ? pageBreakContinuation(s, lines, units, at: k, last: last, lookahead: &state.lookahead) : nil
                for li in first...last {
                    let next = li < last ? li + 1 : following.map { units[$0].first }
                    writeLine(s, lines[li], next: next.map { lines[$0] }, &w, markup, &state)
                }
                guard let next = following else { break }
                first = units[next].first
                last = units[next].last
                k = next + 1
            }
            w.end()
        }
    }

    /// Writes one line of a block, and how it joins the block's next line if there is one.
    @inline(__always)
    static func writeLine(_ s: UnsafeBufferPointer<UInt8>, _ l: Line, next: Line?, _ w: inout BlockWriter,
                          _ markup: MarkupBytes, _ state: inout WriteState) {
        guard let next else {
            writeInline(s, l.start..<l.end, &w, markup, &state)
            return
        }
        switch hyphenJoin(s, l, next, &state) {
        case .dropHyphen:
            writeInline(s, l.start..<(l.end - 1), &w, markup, &state)
            w.cancelSpace()
        case .keepHyphen:
            writeInline(s, l.start..<l.end, &w, markup, &state)
            w.cancelSpace()
        case .space:
            writeInline(s, l.start..<l.end, &w, markup, &state)
            w.space(sourceOffset: l.end)
        }
    }

    enum Join { case space, dropHyphen, keepHyphen }

    /// How to join a line ending in a hyphen to the next one.
    static func hyphenJoin(_ s: UnsafeBufferPointer<UInt8>, _ l: Line, _ next: Line, _ state: inout WriteState) -> Join {
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
        if state.compounds == nil {
            state.compounds = hyphenatedWords(s)
            state.lookahead += s.count
        }
        return state.compounds!.contains(candidate) ? .keepHyphen : .dropHyphen
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

    static func writeTableRow(_ s: UnsafeBufferPointer<UInt8>, _ l: Line, _ w: inout BlockWriter, _ markup: MarkupBytes,
                              _ state: inout WriteState) {
        let pipe = l.kind == .pipeRow
        var start = l.start
        var end = l.end
        if pipe {
            if start < end, s[start] == 0x7C { start += 1 }
            if end > start, s[end - 1] == 0x7C, end - 2 < start || s[end - 2] != 0x5C { end -= 1 }
        }
        var cellStart = start
        var i = start
        let separator: UInt64 = pipe ? 0x7C : 0x09
        while i <= end {
            if i < end { i += assay_first_of(s.baseAddress! + i, end - i, separator, 1) }  // the next `|` or tab (C)
            let atSeparator = i == end || !pipe || i == start || s[i - 1] != 0x5C
            if atSeparator {
                var a = cellStart, b = i
                while a < b, isSpace(s[a]) { a += 1 }
                while b > a, isSpace(s[b - 1]) { b -= 1 }
                if a < b {
                    w.cellBreak(sourceOffset: cellStart)
                    writeInline(s, a..<b, &w, markup, &state)
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

    /// The bytes that may start inline markup: `* [ ! <`, and in Markdown also `\\ _ \` &`. The block
    /// writer stops at them (so that one pass over a line finds both markup and white space). Built
    /// once per input `s`, with where in it the writer's stretches end; asked about `s` only.
    struct MarkupBytes: StopBytes {
        let markdown: Bool
        let low: UInt64  // bytes 0x00-0x3F
        let high: UInt64  // bytes 0x40-0x7F
        /// Where stretches end in `s`: found for the whole input in one pass, where a scan per stretch
        /// spent about a third of its instructions setting up and finishing.
        let stretchEnds: ByteMarks

        init(_ s: UnsafeBufferPointer<UInt8>, markdown: Bool) {
            let stops = Self.stops(markdown: markdown)
            self.init(markdown: markdown, stretchEnds: ByteMarks.stretchEndsAndBlanks(of: s, stops: stops.set, count: stops.count).ends)
        }

        /// With the stretch ends of `s` made from `stops(markdown:)`.
        init(markdown: Bool, stretchEnds: ByteMarks) {
            self.markdown = markdown
            low = 1 << 0x21 | 1 << 0x2A | 1 << 0x3C | (markdown ? 1 << 0x26 : 0)
            high = 1 << (0x5B - 0x40) | (markdown ? 1 << (0x5C - 0x40) | 1 << (0x5F - 0x40) | 1 << (0x60 - 0x40) : 0)
            self.stretchEnds = stretchEnds
        }

        /// The stop bytes packed lowest first, as `assay_stretch_ends_and_blanks` takes them: ! * < [, and in
        /// Markdown & \ _ `.
        static func stops(markdown: Bool) -> (set: UInt64, count: Int32) {
            markdown ? (0x605F_5C26_5B3C_2A21, 8) : (0x5B3C_2A21, 4)
        }

        /// `assay_plain_stretch`'s answer for `s` (the input the marks were made from).
        @inline(__always) func stretch(_ s: UnsafeBufferPointer<UInt8>, from i: Int, to end: Int, runStarted: Bool) -> Int {
            guard i < end else { return 0 }
            if !runStarted, s[i] == 0x20 { return 0 }  // a space does not start a run
            let stop = stretchEnds.next(from: i)
            if stop < end { return stop - i }
            // A space just before `end` is followed by nothing copied.
            return s[end - 1] == 0x20 ? end - 1 - i : end - i
        }

        @inline(__always) func contains(_ b: UInt8) -> Bool {
            b < 0x40 ? (low >> UInt64(b)) & 1 != 0 : b < 0x80 && (high >> UInt64(b & 0x3F)) & 1 != 0
        }
    }

    /// Writes one line's content (or a table cell's), dropping inline markup and keeping its text.
    static func writeInline(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ w: inout BlockWriter, _ markup: MarkupBytes,
                            _ state: inout WriteState) {
        state.brackets.forget()
        writeMarkup(s, range, &w, markup, &state)
    }

    /// Writes text with inline markup, keeping the text: the writer copies the text up to the next
    /// byte that may start markup, and what that byte starts is decided here. A link's text is written
    /// by a nested call (within the same line).
    static func writeMarkup(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ w: inout BlockWriter, _ markup: MarkupBytes,
                            _ state: inout WriteState) {
        var i = range.lowerBound
        let end = range.upperBound
        let markdown = markup.markdown
        let openBase = state.delimiters.count  // the delimiters below are an enclosing call's
        var closers = Closers()
        var linkParts = LinkParts()
        /// Writes `s[from..<to]` as text: bytes that turned out not to start markup.
        @inline(__always) func text(_ from: Int, _ to: Int, _ w: inout BlockWriter) {
            w.write(UnsafeBufferPointer(rebasing: s[from..<to]), sourceOffset: from)
        }
        while true {
            i = w.write(s, from: i, to: end, stoppingAt: markup)
            guard i < end else { break }
            let c = s[i]
            switch c {
            case 0x5C where markdown && i + 1 < end && isASCIIPunctuation(s[i + 1]):  // \* escapes
                text(i + 1, i + 2, &w)
                i += 2
            case 0x2A, 0x5F:  // * _
                var r = i
                while r < end, s[r] == c { r += 1 }
                let count = r - i
                guard count <= 3 else {
                    text(i, r, &w)
                    i = r
                    continue
                }
                let prev: UInt8 = i > range.lowerBound ? s[i - 1] : 0x20
                let next: UInt8 = r < end ? s[r] : 0x20
                let canClose = !isWhite(prev) && (isWhite(next) || isASCIIPunctuation(next))
                let canOpen = !isWhite(next) && (isWhite(prev) || isASCIIPunctuation(prev))
                if canClose, state.delimiters.count > openBase, let top = state.delimiters.last, top.byte == c, top.count == count {
                    state.delimiters.removeLast()
                    w.endEmphasis()
                } else if canOpen, closers.exist(after: r, byte: c, count: count, s, range, &state.lookahead) {
                    state.delimiters.append((c, count))
                    w.beginEmphasis()
                } else {
                    text(i, r, &w)
                }
                i = r
            case 0x60 where markdown:  // `code`
                let close = firstIndex(of: 0x60, in: s, i + 1, end)
                state.lookahead += (close ?? end) - i
                if let close {
                    if close > i + 1 { text(i + 1, close, &w) }
                    i = close + 1
                } else {
                    text(i, i + 1, &w)
                    i += 1
                }
            case 0x5B, 0x21:  // [text](url) and ![alt](url)
                let bracket = c == 0x21 ? i + 1 : i
                if bracket < end, s[bracket] == 0x5B, state.linkDepth < maxLinkDepth,
                   let link = markdownLink(s, at: bracket, end: end, &linkParts, &state) {
                    state.linkDepth += 1
                    writeMarkup(s, link.text, &w, markup, &state)
                    state.linkDepth -= 1
                    i = link.end
                } else {
                    text(i, i + 1, &w)
                    i += 1
                }
            case 0x3C:  // <tag>
                if let tag = inlineTag(s, at: i, end: end, &state.lookahead) {
                    if tag.name == "br" || tag.name == "p" || tag.name == "div" || tag.name == "td" || tag.name == "li" {
                        w.space(sourceOffset: i)
                    } else if emphasisTags.contains(tag.name) {
                        if tag.closing { w.endEmphasis() } else { w.beginEmphasis() }
                    }
                    i = tag.end
                } else if let url = autolink(s, at: i, end: end, &state.lookahead) {
                    text(url.lowerBound, url.upperBound, &w)
                    i = url.upperBound + 1
                } else {
                    text(i, i + 1, &w)
                    i += 1
                }
            case 0x26 where markdown:  // &entity;
                if let (bytes, length) = HTMLEntities.decode(s, at: i, end: end) {
                    w.write(bytes, sourceOffset: i)
                    i += length
                } else {
                    text(i, i + 1, &w)
                    i += 1
                }
            default:
                text(i, i + 1, &w)
                i += 1
            }
        }
        for _ in openBase..<state.delimiters.count { w.endEmphasis() }
        state.delimiters.removeLast(state.delimiters.count - openBase)
    }

    static func isWhite(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    static func isASCIIPunctuation(_ b: UInt8) -> Bool {
        (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E)
    }

    /// Where the last closing run of each delimiter (`*` or `_`, one to three long) starts in a line.
    /// An opening run has a closer when one starts after it: one pass over the line answers every
    /// opener, however many there are.
    struct Closers {
        private var last = SIMD8<Int>(repeating: -1)
        private var scanned = false

        /// True when a closing run of exactly `count` `byte`s starts at `from` or later in the line `range`.
        mutating func exist(after from: Int, byte: UInt8, count: Int, _ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                            _ lookahead: inout Int) -> Bool {
            if !scanned {
                scan(s, range)
                lookahead += range.count
            }
            return last[Self.slot(byte, count)] >= from
        }

        private mutating func scan(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            scanned = true
            let end = range.upperBound
            var i = range.lowerBound
            while i < end {
                i += assay_first_of(s.baseAddress! + i, end - i, 0x5F_2A, 2)  // the next `*` or `_` (C)
                guard i < end else { break }
                let byte = s[i]
                var r = i
                while r < end, s[r] == byte { r += 1 }
                // A run at the line's start closes nothing: an opener comes before its closer.
                if i > range.lowerBound, r - i <= 3 {
                    let prev = s[i - 1]
                    let next: UInt8 = r < end ? s[r] : 0x20
                    if !isWhite(prev), isWhite(next) || isASCIIPunctuation(next) { last[Self.slot(byte, r - i)] = i }
                }
                i = r
            }
        }

        @inline(__always) static func slot(_ byte: UInt8, _ count: Int) -> Int { (byte == 0x2A ? 0 : 3) + count - 1 }
    }

    /// The `]` closing each `[` of a line: the first `]` that brings the depth back to that of its `[`
    /// (what scanning forward from it finds), matched for the whole line in one pass with a stack so
    /// that many brackets stay linear. Queries come left to right, a link's text included (its brackets
    /// close within it).
    struct Brackets {
        private var opens: [Int] = []  // where each `[` is, in order
        private var closes: [Int] = []  // where its `]` is, or -1
        private var unclosed: [Int] = []  // indices into `opens`
        private var matched = false
        private var cursor = 0

        /// A new line: its brackets are matched when one is first asked for.
        mutating func forget() { matched = false }

        /// The `]` closing the `[` at `open`, in the line that runs from `open` to `line.upperBound`.
        mutating func close(of open: Int, _ s: UnsafeBufferPointer<UInt8>, line: Range<Int>, _ lookahead: inout Int) -> Int? {
            if !matched { match(s, line, &lookahead) }
            while cursor < opens.count, opens[cursor] < open { cursor += 1 }
            return cursor < opens.count && opens[cursor] == open && closes[cursor] >= 0 ? closes[cursor] : nil
        }

        private mutating func match(_ s: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ lookahead: inout Int) {
            matched = true
            cursor = 0
            opens.removeAll(keepingCapacity: true)
            closes.removeAll(keepingCapacity: true)
            unclosed.removeAll(keepingCapacity: true)
            for i in line {
                if s[i] == 0x5B {
                    unclosed.append(opens.count)
                    opens.append(i)
                    closes.append(-1)
                } else if s[i] == 0x5D, let k = unclosed.popLast() {
                    closes[k] = i
                }
            }
            lookahead += line.count
        }
    }

    /// The `)` and the space a link's URL part ends at, for the links of one line. Links are tried left
    /// to right, so an answer usually serves the next query too and each byte is read about once.
    struct LinkParts {
        var paren = NextByte(0x29)
        var space = NextByte(0x20)
    }

    struct NextByte {
        let byte: UInt8
        private var searchedFrom = Int.max
        private var found = Int.max  // the first `byte` at or after `searchedFrom`, or the end

        init(_ byte: UInt8) { self.byte = byte }

        /// The first `byte` at or after `start`, before `end` (the same end for every query).
        mutating func find(_ s: UnsafeBufferPointer<UInt8>, from start: Int, end: Int, _ lookahead: inout Int) -> Int? {
            if !(searchedFrom <= start && start <= found) {
                var i = start
                while i < end, s[i] != byte { i += 1 }
                lookahead += i - start
                searchedFrom = start
                found = i
            }
            return found < end ? found : nil
        }
    }

    static func markdownLink(_ s: UnsafeBufferPointer<UInt8>, at open: Int, end: Int, _ parts: inout LinkParts,
                             _ state: inout WriteState) -> (text: Range<Int>, end: Int)? {
        guard let i = state.brackets.close(of: open, s, line: open..<end, &state.lookahead), i < end, i + 1 < end, s[i + 1] == 0x28,
              let close = parts.paren.find(s, from: i + 2, end: end, &state.lookahead) else { return nil }
        // No white space inside the URL part, or it is prose in brackets followed by a parenthesis.
        if let space = parts.space.find(s, from: i + 2, end: end, &state.lookahead), space < close,
           !(space + 1 < close && s[space + 1] == 0x22) {
            return nil
        }
        return ((open + 1)..<i, close + 1)
    }

    static func inlineTag(_ s: UnsafeBufferPointer<UInt8>, at i: Int, end: Int, _ lookahead: inout Int) -> (name: String, closing: Bool, end: Int)? {
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
        defer { lookahead += j - i }
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

    static func autolink(_ s: UnsafeBufferPointer<UInt8>, at i: Int, end: Int, _ lookahead: inout Int) -> Range<Int>? {
        guard hasPrefix(s, i + 1, end, "http") || hasPrefix(s, i + 1, end, "mailto:") else { return nil }
        var j = i + 1
        while j < end, s[j] != 0x3E, s[j] != 0x20, s[j] != 0x3C { j += 1 }
        lookahead += j - i
        guard j < end, s[j] == 0x3E else { return nil }
        return (i + 1)..<j
    }

    // MARK: byte helpers

    static func hasPrefix(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ p: StaticString) -> Bool {
        let count = p.utf8CodeUnitCount
        guard start + count <= end else { return false }
        for k in 0..<count where s[start + k] != p.utf8Start[k] { return false }
        return true
    }

    static func firstIndex(of b: UInt8, in s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end { if s[i] == b { return i }; i += 1 }
        return nil
    }
}
