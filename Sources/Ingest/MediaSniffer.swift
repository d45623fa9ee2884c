import AssayCore

/// Decides what a document is from its content, the file name only breaking ties.
///
/// HTML: starts with a doctype, `<html>`, `<head>` or `<body>` (after white space and comments), or
/// is made mostly of block-level markup. Markdown-like text with a few inline tags (seed 004: `##`
/// headings, `**bold**` and `<a href>` anchors around e-mail addresses) is Markdown, not HTML.
/// Markdown: ATX headings, bold, links, pipe tables or fences. Anything else is plain text.
public enum MediaSniffer {
    public static func detect(_ utf8: [UInt8], path: String = "") -> MediaType {
        // The first 32 KB tell what a document is; reading more only costs time.
        let sample = Array(utf8.prefix(32_768))
        let lowerPath = path.lowercased()
        if startsLikeHTML(sample) { return .html }
        let stats = markupStats(sample)
        if stats.blockTags >= 5, stats.lines > 0, stats.linesStartingWithTag * 10 >= stats.lines * 3 { return .html }
        if lowerPath.hasSuffix(".html") || lowerPath.hasSuffix(".htm") || lowerPath.hasSuffix(".xhtml") {
            if stats.blockTags >= 2 { return .html }
        }
        if stats.atxHeadings > 0 || stats.bold >= 2 || stats.links > 0 || stats.pipeRows >= 2 || stats.fences >= 2 { return .markdown }
        if lowerPath.hasSuffix(".md") || lowerPath.hasSuffix(".markdown") { return .markdown }
        return .plain
    }

    static func startsLikeHTML(_ s: [UInt8]) -> Bool {
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
        for p in ["<!doctype html", "<html", "<head", "<body"] where hasPrefix(s, i, p) { return true }
        return false
    }

    struct Stats {
        var lines = 0, linesStartingWithTag = 0, blockTags = 0
        var atxHeadings = 0, bold = 0, links = 0, pipeRows = 0, fences = 0
    }

    static let blockTagNames: [String] = ["p", "div", "br", "table", "tr", "td", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                                          "body", "head", "section", "article", "span", "meta", "link", "script", "style", "nav"]

    static func markupStats(_ s: [UInt8]) -> Stats {
        var st = Stats()
        var lineStart = 0
        let n = s.count
        var i = 0
        while i <= n {
            if i == n || s[i] == 0x0A {
                let line = lineStart..<i
                lineStart = i + 1
                var j = line.lowerBound
                while j < line.upperBound, s[j] == 0x20 || s[j] == 0x09 { j += 1 }
                if j < line.upperBound {
                    st.lines += 1
                    let c = s[j]
                    if c == 0x3C { st.linesStartingWithTag += 1 }
                    if c == 0x23 {  // '#'
                        var k = j
                        while k < line.upperBound, s[k] == 0x23 { k += 1 }
                        if k - j <= 6, k < line.upperBound, s[k] == 0x20 { st.atxHeadings += 1 }
                    }
                    if c == 0x7C, line.upperBound - j > 2 { st.pipeRows += 1 }
                    if hasPrefix(s, j, "```") { st.fences += 1 }
                }
                i += 1
                continue
            }
            let c = s[i]
            if c == 0x3C, i + 1 < n {  // '<'
                var k = i + 1
                if s[k] == 0x2F { k += 1 }
                var name: [UInt8] = []
                while k < n, name.count < 10, (s[k] | 0x20) >= 0x61 && (s[k] | 0x20) <= 0x7A || (name.count > 0 && s[k] >= 0x30 && s[k] <= 0x39) {
                    name.append(s[k] | 0x20)
                    k += 1
                }
                if k < n, s[k] == 0x3E || s[k] == 0x20 || s[k] == 0x2F || s[k] == 0x0A,
                   blockTagNames.contains(String(decoding: name, as: UTF8.self)) {
                    st.blockTags += 1
                }
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

    static func hasPrefix(_ s: [UInt8], _ at: Int, _ p: String) -> Bool {
        let pb = Array(p.utf8)
        guard at + pb.count <= s.count else { return false }
        for k in 0..<pb.count {
            let c = s[at + k]
            let lower = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
            if lower != pb[k] { return false }
        }
        return true
    }

    static func indexOf(_ s: [UInt8], _ p: String, from: Int) -> Int? {
        let pb = Array(p.utf8)
        var i = from
        while i + pb.count <= s.count {
            if s[i] == pb[0], hasPrefix(s, i, p) { return i }
            i += 1
        }
        return nil
    }
}
