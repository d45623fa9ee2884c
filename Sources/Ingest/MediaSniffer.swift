import AssayCore
import CByteScan

/// Decides what a document is from its content, the file name only breaking ties.
///
/// HTML: starts with a doctype, `<html>`, `<head>` or `<body>` (after white space and comments), or
/// is made mostly of block-level markup. Markdown-like text with a few inline tags (seed 004: `##`
/// headings, `**bold**` and `<a href>` anchors around e-mail addresses) is Markdown, not HTML.
/// Markdown: ATX headings, bold, links, pipe tables or fences. Anything else is plain text.
public enum MediaSniffer {
    public static func detect(_ utf8: [UInt8], path: String = "") -> MediaType {
        // The first 32 KB tell what a document is; reading more only costs time.
        let lowerPath = path.lowercased()
        let (startsHTML, stats) = utf8.prefix(32_768).withUnsafeBufferPointer { sample in
            startsLikeHTML(sample) ? (true, Stats()) : (false, markupStats(sample))
        }
        if startsHTML { return .html }
        if stats.blockTags >= 5, stats.lines > 0, stats.linesStartingWithTag * 10 >= stats.lines * 3 { return .html }
        if lowerPath.hasSuffix(".html") || lowerPath.hasSuffix(".htm") || lowerPath.hasSuffix(".xhtml") {
            if stats.blockTags >= 2 { return .html }
        }
        if stats.atxHeadings > 0 || stats.bold >= 2 || stats.links > 0 || stats.pipeRows >= 2 || stats.fences >= 2 { return .markdown }
        if lowerPath.hasSuffix(".md") || lowerPath.hasSuffix(".markdown") { return .markdown }
        return .plain
    }

    static func startsLikeHTML(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while true {
            while i < s.count, s[i] == 0x20 || s[i] == 0x09 || s[i] == 0x0A || s[i] == 0x0D { i += 1 }
            if hasPrefix(s, i, "<!--") {
                guard let close = indexOf(s, "-->", from: i + 4) else { return false }
                i = close + 3
                continue
            }
            if hasPrefix(s, i, "<?xml") {
                guard let close = indexOf(s, "?>", from: i) else { return false }
                i = close + 2
                continue
            }
            break
        }
        return hasPrefix(s, i, "<!doctype html") || hasPrefix(s, i, "<html") || hasPrefix(s, i, "<head") || hasPrefix(s, i, "<body")
    }

    struct Stats {
        var lines = 0, linesStartingWithTag = 0, blockTags = 0
        var atxHeadings = 0, bold = 0, links = 0, pipeRows = 0, fences = 0
    }

    static let blockTagNames: [String] = ["p", "div", "br", "table", "tr", "td", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                                          "body", "head", "section", "article", "span", "meta", "link", "script", "style", "nav"]
    /// The names above packed as `packedName` packs a tag's name, for comparing without strings.
    static let packedBlockTagNames: [UInt64] = blockTagNames.map { name in
        name.utf8.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// Counts, in one pass over the bytes, what tells HTML, Markdown and plain text apart.
    static func markupStats(_ s: UnsafeBufferPointer<UInt8>) -> Stats {
        var st = Stats()
        var lineStart = 0
        let n = s.count
        // Line feeds, `<`, `*` and `]`: the bytes the counts start at.
        let marks = ByteMarks(s, set: 0x5D_2A_3C_0A, count: 4)
        var i = 0
        while i <= n {
            i = marks.next(from: i)
            if i == n || s[i] == 0x0A {
                let lineEnd = i
                var j = lineStart
                lineStart = i + 1
                while j < lineEnd, s[j] == 0x20 || s[j] == 0x09 { j += 1 }
                if j < lineEnd {
                    st.lines += 1
                    let c = s[j]
                    if c == 0x3C { st.linesStartingWithTag += 1 }
                    if c == 0x23 {  // '#'
                        var k = j
                        while k < lineEnd, s[k] == 0x23 { k += 1 }
                        if k - j <= 6, k < lineEnd, s[k] == 0x20 { st.atxHeadings += 1 }
                    }
                    if c == 0x7C, lineEnd - j > 2 { st.pipeRows += 1 }
                    if c == 0x60, j + 2 < n, s[j + 1] == 0x60, s[j + 2] == 0x60 { st.fences += 1 }  // ```
                }
                i += 1
                continue
            }
            let c = s[i]
            if c == 0x3C, i + 1 < n {  // '<'
                if isBlockTag(s, nameFrom: s[i + 1] == 0x2F ? i + 2 : i + 1) { st.blockTags += 1 }
            } else if c == 0x2A, i + 1 < n, s[i + 1] == 0x2A {  // '**'
                st.bold += 1
                i += 2
                continue
            } else if c == 0x5D, i + 1 < n, s[i + 1] == 0x28 {  // ']('
                st.links += 1
            }
            i += 1
        }
        st.bold /= 2
        return st
    }

    /// True when a block-level tag's name (any case) starts at `from`, ended by `>`, `/` or white space.
    static func isBlockTag(_ s: UnsafeBufferPointer<UInt8>, nameFrom from: Int) -> Bool {
        let n = s.count
        var k = from
        var packed: UInt64 = 0
        // Letters, then digits too; at most 10 bytes (no block tag name is longer than 8).
        while k < n, k - from < 10 {
            let lower = s[k] | 0x20
            guard (lower >= 0x61 && lower <= 0x7A) || (k > from && s[k] >= 0x30 && s[k] <= 0x39) else { break }
            if k - from < 8 { packed |= UInt64(lower) << (8 * UInt64(k - from)) }
            k += 1
        }
        guard k > from, k - from <= 8, k < n, s[k] == 0x3E || s[k] == 0x20 || s[k] == 0x2F || s[k] == 0x0A else { return false }
        return packedBlockTagNames.contains(packed)
    }

    /// True when `p` (lower case) is at `at`, in any case.
    static func hasPrefix(_ s: UnsafeBufferPointer<UInt8>, _ at: Int, _ p: StaticString) -> Bool {
        let count = p.utf8CodeUnitCount
        guard at + count <= s.count else { return false }
        for k in 0..<count {
            let c = s[at + k]
            let lower = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
            if lower != p.utf8Start[k] { return false }
        }
        return true
    }

    static func indexOf(_ s: UnsafeBufferPointer<UInt8>, _ p: StaticString, from: Int) -> Int? {
        var i = from
        while i + p.utf8CodeUnitCount <= s.count {
            if s[i] == p.utf8Start[0], hasPrefix(s, i, p) { return i }
            i += 1
        }
        return nil
    }
}
