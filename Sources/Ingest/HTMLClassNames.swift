// What class and id values say about an element: boilerplate (menus, share bars, cookie banners,
// comments...), likely content, an explicit article-body container. Matched on the lowercased value
// ('_' read as '-') in one pass, with the patterns bucketed by their first two bytes.

/// Bits found in class and id values.
struct ClassMarks {
    static let boiler: UInt32 = 1 << 0        // unlikely to be content (menus, share bars, ...)
    static let okMaybe: UInt32 = 1 << 1       // article, body, content, main, column...
    static let positive: UInt32 = 1 << 2      // readability's positive class weight
    static let negative: UInt32 = 1 << 3      // readability's negative class weight
    static let bodyMarker: UInt32 = 1 << 4    // names the article body explicitly
    static let header: UInt32 = 1 << 5        // a header: out unless it holds a heading
    static let comment: UInt32 = 1 << 6
    static let itemBody: UInt32 = 1 << 9      // itemprop=articleBody
    static let strongBoiler: UInt32 = 1 << 10 // cookie/consent/newsletter/...: out even if okMaybe

    private enum Mode: UInt8 {
        case substring, token, tokenPrefix, tokenSuffix
        case comment  // "comment" not followed by "ary"/"ator" (commentary is content)
        case word     // a whole token not followed by '-' ("hidden", but not Bootstrap's "hidden-xs")
    }

    private struct Pattern {
        var bytes: [UInt8]
        var bits: UInt32
        var mode: Mode
    }

    /// A pattern in the flat table: its bytes are `store[start..<start + len]`.
    private struct Flat {
        var start: Int32
        var len: Int32
        var bits: UInt32
        var mode: Mode
        /// Its first two bytes, packed lowest first (every pattern has two or more).
        var head: UInt16
    }

    /// The buckets of the flat table, and the one the patterns starting with `b0 b1` are in.
    private static let bucketCount = 512
    @inline(__always) private static func bucket(_ b0: UInt8, _ b1: UInt8) -> Int { (Int(b0) << 1 ^ Int(b1)) & 511 }

    private static func add(_ list: inout [Pattern], _ words: [String], _ bits: UInt32, _ mode: Mode) {
        for w in words { list.append(Pattern(bytes: Array(w.utf8), bits: bits, mode: mode)) }
    }

    private static let table: (store: [UInt8], flat: [Flat], bucketStart: [Int32]) = {
        var all: [Pattern] = []
        // Boilerplate anywhere in the value.
        add(&all, ["cookie", "consent", "gdpr", "newsletter", "breadcrumb", "bread-crumb", "disqus", "outbrain",
                   "taboola", "popup", "pop-up", "modal", "signup", "sign-up", "subscribe", "subscription",
                   "paywall", "skip-link", "skiplink", "most-read", "mostread", "most-popular", "mostpopular",
                   "social", "sharing", "share", "related", "recommend", "sidebar", "side-bar", "widget",
                   "navbar", "navigation", "pagination", "advert", "sponsor", "promo", "footer", "masthead",
                   "menu", "trending", "screen-reader", "sr-only", "visually-hidden", "visuallyhidden",
                   "print-only", "tag-list", "taglist", "post-tags", "entry-tags", "article-tags", "tags-list",
                   "more-stories", "read-more", "readmore", "next-post", "prev-post", "post-nav", "toolbar",
                   "login", "banner", "rating", "byline", "disclaimer", "author", "caption", "credit"],
            boiler, .substring)
        add(&all, ["hidden", "hide", "print"], boiler, .word)
        add(&all, ["nav", "tags", "tag", "ad", "ads", "adv", "meta", "reply",
                   "replies", "respond", "pager", "extra", "skip", "dfp", "gpt", "breaking", "ticker", "alert",
                   "recirc", "more", "topics", "keywords"], boiler, .token)
        add(&all, ["ad-", "ads-", "nav-"], boiler, .tokenPrefix)
        add(&all, ["-ad", "-ads", "-nav", "-banner", "-promo"], boiler, .tokenSuffix)
        add(&all, ["header"], header, .tokenPrefix)
        add(&all, ["-header"], header, .tokenSuffix)
        all.append(Pattern(bytes: Array("comment".utf8), bits: boiler | comment | negative, mode: .comment))
        add(&all, ["cookie", "consent", "gdpr", "newsletter", "breadcrumb", "disqus", "outbrain", "taboola",
                   "popup", "modal", "paywall", "sr-only", "screen-reader", "visually-hidden", "visuallyhidden"],
            strongBoiler, .substring)
        add(&all, ["article", "body", "content", "main", "column", "shadow", "entry", "story", "post"],
            okMaybe, .substring)
        add(&all, ["article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text",
                   "blog", "story"], positive, .substring)
        add(&all, ["-ad-", "hidden", "banner", "combx", "com-", "contact", "footer", "gdpr", "masthead",
                   "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar",
                   "skyscraper", "sponsor", "shopping", "tags", "widget", "social", "nav", "menu"],
            negative, .substring)
        add(&all, ["articlebody", "article-body", "article--body", "article-content", "article--content",
                   "articlecontent", "article-text", "articletext", "entry-content", "entrycontent", "post-content",
                   "postcontent", "post-body", "postbody", "post-text", "post-entry", "postentry", "story-body",
                   "storybody", "story-content", "storycontent", "body-text", "bodytext", "main-content",
                   "maincontent", "content-body", "rich-text", "richtext", "field-body", "article-main",
                   "single-content", "blog-content", "text-content", "page-content", "article-detail",
                   "news-content", "entry-body", "article-copy", "story-text"], bodyMarker, .substring)
        precondition(all.allSatisfy { $0.bytes.count >= 2 }, "a class pattern of one byte")
        // Sorted by bucket, so the patterns that can start at two bytes are one contiguous run
        // (their order does not matter: the bits found are the same).
        func bucketOf(_ p: Pattern) -> Int { bucket(p.bytes[0], p.bytes[1]) }
        all.sort { bucketOf($0) < bucketOf($1) }
        var store: [UInt8] = []
        var flat: [Flat] = []
        for p in all {
            flat.append(Flat(start: Int32(store.count), len: Int32(p.bytes.count), bits: p.bits, mode: p.mode,
                             head: UInt16(p.bytes[0]) | UInt16(p.bytes[1]) << 8))
            store.append(contentsOf: p.bytes)
        }
        var bucketStart = [Int32](repeating: 0, count: bucketCount + 1)
        for p in all { bucketStart[bucketOf(p) + 1] += 1 }
        for k in 1...bucketCount { bucketStart[k] += bucketStart[k - 1] }
        return (store, flat, bucketStart)
    }()

    @inline(__always)
    static func isAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }

    /// Classifies a lowercased class/id value ('_' already read as '-').
    static func scan(_ s: ArraySlice<UInt8>) -> UInt32 {
        var m: UInt32 = 0
        let t = table
        s.withUnsafeBufferPointer { sb in
            t.store.withUnsafeBufferPointer { store in
                t.flat.withUnsafeBufferPointer { flat in
                    t.bucketStart.withUnsafeBufferPointer { buckets in
                        let end = sb.count
                        var i = 0
                        // (no pattern starts at the last byte: each has two or more)
                        while i + 1 < end {
                            let c = bucket(sb[i], sb[i + 1])
                            let head = UInt16(sb[i]) | UInt16(sb[i + 1]) << 8
                            var k = Int(buckets[c])
                            let stop = Int(buckets[c + 1])
                            while k < stop {
                                let p = flat[k]
                                k += 1
                                if p.head != head || m & p.bits == p.bits { continue }
                                let n = Int(p.len)
                                if i + n > end { continue }
                                let ps = Int(p.start)
                                var j = 2
                                while j < n && sb[i + j] == store[ps + j] { j += 1 }
                                if j < n { continue }
                                let startOK = i == 0 || !isAlnum(sb[i - 1])
                                let endOK = i + n == end || !isAlnum(sb[i + n])
                                switch p.mode {
                                case .substring: m |= p.bits
                                case .token: if startOK && endOK { m |= p.bits }
                                case .word: if startOK && endOK && (i + n == end || sb[i + n] != 0x2D) { m |= p.bits }
                                case .tokenPrefix: if startOK { m |= p.bits }
                                case .tokenSuffix: if endOK { m |= p.bits }
                                case .comment:
                                    let rest = UnsafeBufferPointer(rebasing: sb[(i + n)...])
                                    if !(rest.starts(with: "ary".utf8) || rest.starts(with: "ator".utf8)) { m |= p.bits }
                                }
                            }
                            i += 1
                        }
                    }
                }
            }
        }
        if m & comment != 0 { m &= ~bodyMarker }
        return m
    }

    // MARK: byte search helpers

    static func find(_ s: ArraySlice<UInt8>, _ pat: [UInt8]) -> Int? {
        guard !pat.isEmpty, s.count >= pat.count else { return nil }
        var i = s.startIndex
        while i <= s.endIndex - pat.count {
            if s[i] == pat[0] && s[i..<i + pat.count].elementsEqual(pat) { return i }
            i += 1
        }
        return nil
    }

    static func has(_ s: ArraySlice<UInt8>, _ pat: StaticString) -> Bool {
        find(s, pat) != nil
    }

    static func find(_ s: ArraySlice<UInt8>, _ pat: StaticString, from: Int? = nil) -> Int? {
        let t = pat.utf8Start
        let n = pat.utf8CodeUnitCount
        let lower = s.startIndex
        let start = (from ?? lower) - lower
        return s.withUnsafeBufferPointer { b -> Int? in
            guard let base = b.baseAddress, b.count >= n else { return nil }
            var i = start
            let last = b.count - n
            let first = t[0]
            while i <= last {
                if base[i] == first {
                    var k = 1
                    while k < n && base[i + k] == t[k] { k += 1 }
                    if k == n { return lower + i }
                }
                i += 1
            }
            return nil
        }
    }

    /// A whole token (bounded by non-alphanumerics) equal to `pat`.
    static func tokenEquals(_ s: ArraySlice<UInt8>, _ pat: StaticString) -> Bool {
        var from = s.startIndex
        let n = pat.utf8CodeUnitCount
        while let i = find(s, pat, from: from) {
            let before = i == s.startIndex || !isAlnum(s[i - 1])
            let after = i + n == s.endIndex || !isAlnum(s[i + n])
            if before && after { return true }
            from = i + 1
        }
        return false
    }
}
