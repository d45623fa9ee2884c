import AssayCore
import CLibXML2
import Foundation

/// Main-content extraction from an HTML page (libxml2's HTML parser, then a readability-style
/// choice of the article container, boilerplate removal inside it, and block-structured output).
public enum HTMLExtractor {
    /// libxml2 must be initialized once before it is used from several threads; never cleaned up.
    private static let parserReady: Bool = {
        xmlInitParser()
        return true
    }()

    private static let parseOptions: Int32 = Int32(bitPattern:
        HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue
        | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_HUGE.rawValue
        | HTML_PARSE_COMPACT.rawValue)

    /// `utf8`: the whole page, already decoded to UTF-8 by the caller (charset handled upstream).
    public static func extract(utf8: [UInt8]) -> IngestedText {
        extract(utf8: utf8, replacingRuns: true)
    }

    /// `replacingRuns: false` hands libxml2 the page as it is (tests check both read the same).
    static func extract(utf8: [UInt8], replacingRuns: Bool) -> IngestedText {
        _ = parserReady
        var writer = BlockWriter(capacity: min(utf8.count / 4, 1 << 20))
        guard utf8.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0x0C }),
              utf8.count < Int(Int32.max) else {
            return writer.finish(title: nil)
        }
        return utf8.withUnsafeBufferPointer { source in
            guard let (nodes, runs) = parse(source, replacingRuns: replacingRuns) else { return writer.finish(title: nil) }
            var tree = HTree(nodes: nodes, lineStarts: lineStarts(utf8), runs: runs)
            return extract(&tree, into: &writer)
        }
    }

    /// Parses the page, its long text runs replaced by placeholders (see `HTextRuns`) when they all
    /// come back as text; else as it is (crowded tags' excess attributes blanked all the same).
    static func parse(_ source: UnsafeBufferPointer<UInt8>, replacingRuns: Bool) -> (HNodes, HTextRuns)? {
        var runs = HTextRuns(source: source)
        if replacingRuns, let page = runs.replaceRuns() {
            let nodes = page.withUnsafeBufferPointer {
                HNodes.parse($0, options: parseOptions, expectedNodes: runs.expectedNodes)
            }
            if let nodes, runs.allLanded(in: nodes) { return (nodes, runs) }
            let blanked = runs.blanks.isEmpty ? nil : runs.blankedPage()
            runs = HTextRuns(source: source)
            if let blanked {
                guard let nodes = blanked.withUnsafeBufferPointer({ HNodes.parse($0, options: parseOptions) }) else { return nil }
                return (nodes, runs)
            }
        }
        guard let nodes = HNodes.parse(source, options: parseOptions) else { return nil }
        return (nodes, runs)
    }

    static func extract(_ tree: inout HTree, into writer: inout BlockWriter) -> IngestedText {
        guard tree.root >= 0 else { return writer.finish(title: cleanTitle(tree.titleText, headings: [tree.firstH1Text()])) }

        // Readability's attempts: each later one is less strict; the first that finds enough text wins.
        var best: HRenderer?
        var bestChars = -1
        for attempt in 0..<4 {
            tree.markBoilerplate(strict: attempt == 0)
            let weightClasses = attempt < 2
            let top = tree.scoreCandidates(weightClasses: weightClasses)
            let content = tree.selectContent(top: top, weightClasses: weightClasses)
            var r = HRenderer()
            r.cleaning = attempt < 3
            // The article's h1 just before the chosen container (its header) opens the text.
            if let h = tree.leadingTitle(for: content) { r.render(tree, h) }
            for c in content { r.render(tree, c) }
            filterBlocks(&r)
            let chars = r.totalChars
            if chars > bestChars {
                best = r
                bestChars = chars
            }
            if chars >= 500 { break }
        }
        guard let r = best else { return writer.finish(title: cleanTitle(tree.titleText, headings: [tree.firstH1Text()])) }

        // Title: the article's h1 when the content has one, else <title> without the site name.
        var title: String?
        var titleBlock: Int?
        let kept = r.blocks.indices.filter { r.blocks[$0].keep }
        let h1 = kept.first(where: { r.blocks[$0].kind == .heading && r.blocks[$0].level == 1 })
        if let h1 {
            title = String(decoding: r.text(of: r.blocks[h1]), as: UTF8.self)
            if h1 == kept.first { titleBlock = h1 }
        } else {
            var headings = [tree.firstH1Text()]
            if let h = kept.first(where: { r.blocks[$0].kind == .heading }) { headings.append(r.text(of: r.blocks[h])) }
            title = cleanTitle(tree.titleText, headings: headings)
        }
        r.write(into: &writer, titleBlock: titleBlock)
        var out = writer.finish(title: title)
        // The title as written (the writer's white space and invisible-character rules).
        if let h1, let pos = kept.firstIndex(of: h1), pos < out.blocks.count,
           out.blocks[pos].kind == .title || (out.blocks[pos].kind == .heading && out.blocks[pos].level == 1) {
            out.title = String(decoding: out.bytes[out.blocks[pos].span.range], as: UTF8.self)
        }
        return out
    }

    // MARK: block filtering

    private static func filterBlocks(_ r: inout HRenderer) {
        var line: [UInt8] = []  // one buffer for every short block's text
        line.reserveCapacity(200)
        for k in r.blocks.indices {
            let b = r.blocks[k]
            if b.chars == 0 {
                r.blocks[k].keep = false
                continue
            }
            if b.linkChars * 10 >= b.chars * 8 && b.chars < 300 && !(b.kind == .heading && b.level == 1) {
                r.blocks[k].keep = false
                continue
            }
            if b.chars < 120 {
                line.removeAll(keepingCapacity: true)
                r.appendText(of: b, to: &line, limit: 160)
                if isBoilerplateLine(&line, heading: b.kind == .heading) { r.blocks[k].keep = false }
            }
        }
        // Headings left with nothing after them.
        var k = r.blocks.count - 1
        while k >= 0 {
            if r.blocks[k].keep {
                if r.blocks[k].kind == .heading { r.blocks[k].keep = false } else { break }
            }
            k -= 1
        }
    }

    /// Whole lines that are page furniture (compared without case and trailing punctuation).
    private static let boilerplateLines: Set<[UInt8]> = Set([
        "advertisement", "advertising", "sponsored", "sponsored content", "comments", "share", "share this",
        "share this article", "share this story", "share this page", "share on facebook", "share on twitter",
        "read more", "continue reading", "recommended", "recommended for you", "most read", "most popular",
        "related", "related articles", "related posts", "related stories", "related content", "related news",
        "you may also like", "you might also like", "more from", "follow us", "subscribe", "sign up",
        "back to top", "print", "email", "tags", "print this", "email this", "skip to content",
        "skip to main content", "leave a comment", "leave a reply", "click here", "top stories",
        "latest news", "trending", "advertise with us",
    ].map { Array($0.utf8) })

    /// Beginnings of short furniture lines (not applied to headings).
    private static let boilerplatePrefixes: [[UInt8]] = [
        "share this ", "share on ", "share:", "read more:", "read also:", "see also:", "related:", "tags:",
        "filed under", "posted in ", "sign up for ", "subscribe to ", "follow us on ", "click here to ",
        "©", "(c) ", "we use cookies", "this website uses cookies", "this site uses cookies", "skip to ",
        "advertisement", "you may also like", "you might also like", "more stories", "recommended for you",
    ].map { Array($0.utf8) }

    /// The longest whole furniture line, and the bytes furniture prefixes start with: most lines
    /// are told apart without hashing or comparing.
    private static let boilerplateLineMax = boilerplateLines.map(\.count).max() ?? 0
    private static let boilerplatePrefixStarts: Set<UInt8> = Set(boilerplatePrefixes.map { $0[0] })

    /// `line` is lower-cased and trimmed in place.
    private static func isBoilerplateLine(_ line: inout [UInt8], heading: Bool) -> Bool {
        line.withUnsafeMutableBufferPointer { l in
            for i in l.indices where l[i] >= 65 && l[i] <= 90 { l[i] += 32 }
        }
        while let last = line.last, last == 0x3A || last == 0x2E || last == 0x20 || last == 0x21 { line.removeLast() }
        if line.count <= boilerplateLineMax && boilerplateLines.contains(line) { return true }
        if heading { return false }
        if let first = line.first, boilerplatePrefixStarts.contains(first) {
            for p in boilerplatePrefixes where line.starts(with: p) { return true }
        }
        if ClassMarks.has(line[...], "all rights reserved") { return true }
        return false
    }

    // MARK: helpers

    static func lineStarts(_ utf8: [UInt8]) -> [Int] {
        var starts = [0]
        starts.reserveCapacity(utf8.count / 40 + 1)
        utf8.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            var i = 0
            // memchr: lines are long enough for its vector scan to pay for the call.
            while i < p.count, let hit = memchr(base + i, 0x0A, p.count - i) {
                i = UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
                starts.append(i)
            }
        }
        return starts
    }

    /// Collapses white space (including no-break spaces) and trims.
    static func collapse(_ raw: [UInt8]) -> [UInt8] {
        var t: [UInt8] = []
        var space = false
        var i = 0
        while i < raw.count {
            let b = raw[i]
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                space = true
            } else if b == 0xC2 && i + 1 < raw.count && raw[i + 1] == 0xA0 {
                space = true
                i += 1
            } else {
                if space && !t.isEmpty { t.append(0x20) }
                space = false
                t.append(b)
            }
            i += 1
        }
        return t
    }

    private static let titleSeparators: [[UInt8]] = [" | ", " - ", " \u{2013} ", " \u{2014} ", " :: ", " \u{00B7} ",
                                                     " \u{00BB} ", " // ", " \\ ", " > ", " : "].map { Array($0.utf8) }

    /// The <title> text without the site name: the page's h1 when the title contains it, else the
    /// title cut at its last separator (" | Site", " - Site", " – Site", " :: Site"), or at its first
    /// one when the site comes first.
    ///
    /// Linear in the title: the separators are found once, words are counted only as far as a
    /// decision needs, and trailing segments are cut walking back through the separators once.
    static func cleanTitle(_ raw: [UInt8], headings: [[UInt8]] = []) -> String? {
        let t = collapse(raw)
        if t.isEmpty { return nil }
        let marks = separatorMarks(t)
        // A separator of the title t[..<end]; " : " separates a site only when what follows is short.
        func separates(_ m: SeparatorMark, before end: Int) -> Bool {
            m.end <= end && (!m.colon || words(t[m.end..<end], atMost: 4) <= 3)
        }
        let seps = marks.filter { separates($0, before: t.count) }
        // A heading of the page that the title repeats is the title without the site name.
        for raw in headings {
            let h = collapse(raw)
            guard !h.isEmpty, ClassMarks.find(t[...], h) != nil else { continue }
            if h.count >= 8 && words(h[...], atMost: 2) >= 2 { return String(decoding: h, as: UTF8.self) }
            // A shorter heading counts when it is a whole segment of the title (separators may
            // overlap, as in "a | | b", leaving no segment between them).
            var from = 0
            for sp in seps + [SeparatorMark(start: t.count, end: t.count, colon: false)] {
                if from <= sp.start && t[from..<sp.start].elementsEqual(h) { return String(decoding: h, as: UTF8.self) }
                from = sp.end
            }
        }
        guard let first = seps.first, let last = seps.last else { return String(decoding: t, as: UTF8.self) }
        // t[..<end] has two words or more when it reaches past the first space.
        let firstSpace = t.firstIndex(of: 0x20)
        func twoWords(before end: Int) -> Bool { firstSpace.map { end > $0 + 1 } ?? false }
        var cur = t[...]
        if twoWords(before: last.start) {
            cur = t[..<last.start]
            // Further short trailing segments ("Title | UK News | Sky News"). Separators skipped on
            // the way back start after the new end, so they never separate a shorter title either.
            var i = marks.count - 1
            while true {
                while i >= 0 && !separates(marks[i], before: cur.endIndex) { i -= 1 }
                guard i >= 0 else { break }
                let l = marks[i]
                guard words(cur[l.end...], atMost: 4) <= 3, twoWords(before: l.start) else { break }
                cur = t[..<l.start]
                i -= 1
            }
        } else if words(t[first.end...], atMost: 3) >= 3 {
            cur = t[first.end...]
        }
        return String(decoding: cur, as: UTF8.self)
    }

    struct SeparatorMark {
        var start: Int
        var end: Int
        /// " : ", which separates a site name only when few words follow it.
        var colon: Bool
    }

    /// Every title separator in `t`, in order of position.
    static func separatorMarks(_ t: [UInt8]) -> [SeparatorMark] {
        var out: [SeparatorMark] = []
        for sep in titleSeparators {
            let colon = sep.count == 3 && sep[1] == UInt8(ascii: ":")
            var k = 0
            while k + sep.count <= t.count {
                if t[k] == sep[0] && t[k..<k + sep.count].elementsEqual(sep) {
                    out.append(SeparatorMark(start: k, end: k + sep.count, colon: colon))
                }
                k += 1
            }
            WorkCounter.add(t.count)
        }
        return out.sorted { $0.start < $1.start }
    }

    /// The number of space-separated words in `s`, counted up to `limit`.
    static func words(_ s: ArraySlice<UInt8>, atMost limit: Int) -> Int {
        var n = 0
        var inWord = false
        var i = s.startIndex
        while i < s.endIndex && n < limit {
            if s[i] == 0x20 {
                inWord = false
            } else if !inWord {
                inWord = true
                n += 1
            }
            i += 1
        }
        WorkCounter.add(i - s.startIndex)
        return n
    }
}
