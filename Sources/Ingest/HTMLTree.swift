import CLibXML2

// The extractor's view of a parsed page: every element that may hold content gets an index
// (stored in the node's `_private` field, so a node finds its record without a dictionary; a text
// node's `_private` holds its measure, so rendering does not measure it again),
// with text statistics of its subtree. Boilerplate marking and content scoring work on these
// arrays; the tree itself is only walked iteratively (parent/next pointers), never recursively.

typealias XNode = UnsafeMutablePointer<xmlNode>

struct HElem {
    var node: XNode
    var parent: Int32
    var tag: HTag
    var flags: UInt16 = 0
    /// Class/id weight in readability's sense: +25 content-like, -25 boilerplate-like (per attribute).
    var weight: Int16 = 0
    var marks: UInt32 = 0  // ClassMarks bits of class + id

    // Text directly inside the element (its own text children).
    var ownChars: Int32 = 0
    var ownLinkChars: Int32 = 0
    var ownCommas: Int32 = 0
    var ownInputs: Int32 = 0     // form controls directly inside (they are not indexed)
    var ownEmbeds: Int32 = 0     // iframes, objects, embeds, videos directly inside

    // Subtree aggregates (dropped subtrees excluded).
    var chars: Int32 = 0
    var linkChars: Int32 = 0
    var commas: Int32 = 0
    /// Text whose nearest block-level ancestor is this element.
    var inlineChars: Int32 = 0
    var inlineCommas: Int32 = 0
    var pCount: Int32 = 0        // <p> descendants
    var longPCount: Int32 = 0    // <p> descendants with at least 80 chars of low link density
    var liCount: Int32 = 0
    var liChars: Int32 = 0
    var imgCount: Int32 = 0
    var inputCount: Int32 = 0
    var embedCount: Int32 = 0
    var headingChars: Int32 = 0
    var blockCount: Int32 = 0    // block descendants that are not table structure
    var tableCount: Int32 = 0    // <table> descendants
    var bigCells: Int32 = 0      // cells that look like layout (long text or several blocks)
    var quoteChars: Int32 = 0    // text inside <blockquote>

    var score: Float = 0
}

struct HFlag {
    static let dropped: UInt16 = 1 << 0       // boilerplate: the whole subtree is out
    static let hardDrop: UInt16 = 1 << 1      // hidden / navigation role: out in every pass (unless it holds the page)
    static let hasBlockChild: UInt16 = 1 << 2
    static let scored: UInt16 = 1 << 3
    static let dead: UInt16 = 1 << 4          // dropped itself or below a dropped element
    static let headingOnly: UInt16 = 1 << 5   // a header: only the h1 inside it is text
}

struct HTree {
    var elems: [HElem] = []
    var root: Int = -1     // <body> if there is one, else the root element
    var titleText: [UInt8] = []
    /// Steps taken up parent chains while scoring and choosing the content: tests check it grows
    /// in proportion to the page, however deep its nesting.
    var ancestorSteps = 0
    let lineStarts: [Int]
    /// The page's text runs: node text is read through it (`runs.pieces`, `runs.measure`).
    let runs: HTextRuns

    init(doc: UnsafeMutablePointer<xmlDoc>, lineStarts: [Int], runs: HTextRuns) {
        self.lineStarts = lineStarts
        self.runs = runs
        elems.reserveCapacity(2048)
        index(doc: doc)
        aggregate()
    }

    // MARK: source offsets

    func sourceOffset(_ node: XNode) -> Int {
        var line = xmlGetLineNo(node)
        if line <= 0 || lineStarts.isEmpty { return 0 }
        // A long run's text node took its line where libxml2 flushed its first 1000 bytes.
        if node.pointee.type == XML_TEXT_NODE, let c = node.pointee.content {
            line -= runs.lineDelta(of: c)
        }
        let l = min(Int(line), lineStarts.count)
        return lineStarts[l - 1]
    }

    static func index(of node: XNode) -> Int? {
        guard let p = node.pointee._private else { return nil }
        return Int(bitPattern: p) - 1
    }

    /// Characters and commas of a text node, as indexing measured them.
    static func measure(of text: XNode) -> (chars: Int32, commas: Int32)? {
        guard let p = text.pointee._private else { return nil }
        let v = UInt(bitPattern: p)
        return (Int32(truncatingIfNeeded: v >> 32 & 0x7FFF_FFFF), Int32(truncatingIfNeeded: v & 0xFFFF_FFFF))
    }

    private static func setMeasure(of text: XNode, _ m: (chars: Int32, commas: Int32)) {
        let v = 1 << 63 | UInt(UInt32(bitPattern: m.chars)) << 32 | UInt(UInt32(bitPattern: m.commas))
        text.pointee._private = UnsafeMutableRawPointer(bitPattern: v)
    }

    // MARK: indexing

    private mutating func index(doc: UnsafeMutablePointer<xmlDoc>) {
        guard let top = xmlDocGetRootElement(doc) else { return }
        var scratch = [UInt8]()
        scratch.reserveCapacity(256)
        var linkDepth = 0
        var cur: XNode? = top
        while let n = cur {
            var descend = false
            if n.pointee.type == XML_ELEMENT_NODE {
                let tag = HTag.classify(n.pointee.name)
                if tag == .head {
                    captureTitle(head: n)
                } else if !tag.isSkipped {
                    let parentIdx = n.pointee.parent.flatMap { HTree.index(of: $0) } ?? -1
                    var e = HElem(node: n, parent: Int32(parentIdx), tag: tag)
                    readAttributes(n, into: &e, scratch: &scratch)
                    if parentIdx >= 0 {
                        if !tag.isInline { elems[parentIdx].flags |= HFlag.hasBlockChild }
                    }
                    elems.append(e)
                    n.pointee._private = UnsafeMutableRawPointer(bitPattern: elems.count)
                    if tag == .body && root < 0 { root = elems.count - 1 }
                    if tag == .a { linkDepth += 1 }
                    descend = true
                } else if tag == .title && titleText.isEmpty {
                    appendText(of: n, to: &titleText)
                } else if let p = n.pointee.parent, let pi = HTree.index(of: p) {
                    switch tag {
                    case .input, .select, .textarea, .button: elems[pi].ownInputs += 1
                    case .iframe, .object, .embed, .video, .audio: elems[pi].ownEmbeds += 1
                    default: break
                    }
                }
            } else if n.pointee.type == XML_TEXT_NODE || n.pointee.type == XML_CDATA_SECTION_NODE {
                if let p = n.pointee.parent, let pi = HTree.index(of: p), let content = n.pointee.content {
                    let m = runs.measure(content)
                    HTree.setMeasure(of: n, m)
                    if m.chars > 0 {
                        elems[pi].ownChars += m.chars
                        elems[pi].ownCommas += m.commas
                        if linkDepth > 0 || elems[pi].tag == .a { elems[pi].ownLinkChars += m.chars }
                    }
                }
            }
            if descend, let c = n.pointee.children {
                cur = c
                continue
            }
            // Leave n and every ancestor whose subtree is finished.
            var x = n
            cur = nil
            while true {
                if x.pointee.type == XML_ELEMENT_NODE, x.pointee._private != nil,
                   let i = HTree.index(of: x), elems[i].tag == .a {
                    linkDepth -= 1
                }
                if x == top { break }
                if let nx = x.pointee.next {
                    cur = nx
                    break
                }
                guard let p = x.pointee.parent, p.pointee.type == XML_ELEMENT_NODE else { break }
                x = p
            }
        }
        if root < 0 && !elems.isEmpty { root = 0 }
    }

    private mutating func captureTitle(head: XNode) {
        var c = head.pointee.children
        while let n = c {
            if n.pointee.type == XML_ELEMENT_NODE, HTag.classify(n.pointee.name) == .title {
                if titleText.isEmpty { appendText(of: n, to: &titleText) }
            }
            c = n.pointee.next
        }
    }

    private func appendText(of el: XNode, to out: inout [UInt8]) {
        var c = el.pointee.children
        while let n = c {
            if n.pointee.type == XML_TEXT_NODE, let content = n.pointee.content {
                runs.pieces(of: content) { out.append(contentsOf: $0) }
            }
            c = n.pointee.next
        }
    }

    private func readAttributes(_ n: XNode, into e: inout HElem, scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        var attr = n.pointee.properties
        while let a = attr {
            attr = a.pointee.next
            guard let name = a.pointee.name, name[0] != 0 else { continue }
            let value: UnsafeMutablePointer<UInt8>? = a.pointee.children?.pointee.content
            switch (name[0], name[1]) {
            case (UInt8(ascii: "c"), UInt8(ascii: "l")) where eq(name, "class"),
                 (UInt8(ascii: "i"), UInt8(ascii: "d")) where name[2] == 0:
                guard let v = value else { continue }
                if !scratch.isEmpty { scratch.append(0x20) }
                var p = v
                var count = 0
                while p.pointee != 0 && count < 200 {
                    var b = p.pointee
                    if b >= 65 && b <= 90 { b += 32 } else if b == 0x5F { b = 0x2D }
                    scratch.append(b)
                    p += 1
                    count += 1
                }
                // Weight per attribute, as readability does.
                let m = ClassMarks.scan(scratch[(scratch.count - count)...])
                if m & ClassMarks.negative != 0 { e.weight -= 25 }
                if m & ClassMarks.positive != 0 { e.weight += 25 }
                e.marks |= m
            case (UInt8(ascii: "h"), UInt8(ascii: "i")) where eq(name, "hidden"):
                e.flags |= HFlag.hardDrop
            case (UInt8(ascii: "a"), UInt8(ascii: "r")) where eq(name, "aria-hidden"):
                if let v = value, startsCI(v, "true") { e.flags |= HFlag.hardDrop }
            case (UInt8(ascii: "s"), UInt8(ascii: "t")) where eq(name, "style"):
                if let v = value, styleHides(v) { e.flags |= HFlag.hardDrop }
            case (UInt8(ascii: "r"), UInt8(ascii: "o")) where eq(name, "role"):
                if let v = value, roleIsBoilerplate(v) { e.flags |= HFlag.hardDrop }
            case (UInt8(ascii: "i"), UInt8(ascii: "t")) where eq(name, "itemprop"):
                if let v = value, containsCI(v, "articlebody") { e.marks |= ClassMarks.itemBody }
            default:
                break
            }
        }
        if e.marks & ClassMarks.comment != 0 { e.marks &= ~ClassMarks.bodyMarker }
    }

    // MARK: aggregation

    /// Recomputes the subtree aggregates from the own counts, leaving dropped subtrees out.
    mutating func aggregate() {
        let n = elems.count
        for i in 0..<n {
            elems[i].chars = elems[i].ownChars
            elems[i].linkChars = elems[i].ownLinkChars
            elems[i].commas = elems[i].ownCommas
            elems[i].inlineChars = elems[i].ownChars
            elems[i].inlineCommas = elems[i].ownCommas
            elems[i].pCount = 0
            elems[i].longPCount = 0
            elems[i].liCount = 0
            elems[i].liChars = 0
            elems[i].imgCount = 0
            elems[i].inputCount = elems[i].ownInputs
            elems[i].embedCount = elems[i].ownEmbeds
            elems[i].headingChars = 0
            elems[i].blockCount = 0
            elems[i].tableCount = 0
            elems[i].bigCells = 0
            elems[i].quoteChars = 0
        }
        var i = n - 1
        while i >= 0 {
            let e = elems[i]
            let p = Int(e.parent)
            if p >= 0 && e.flags & HFlag.dropped == 0 {
                elems[p].chars += e.chars
                elems[p].linkChars += e.linkChars
                elems[p].commas += e.commas
                elems[p].pCount += e.pCount + (e.tag == .p ? 1 : 0)
                elems[p].longPCount += e.longPCount
                if e.tag == .p && e.chars >= 80 && e.linkChars * 4 < e.chars { elems[p].longPCount += 1 }
                elems[p].liCount += e.liCount + (e.tag == .li ? 1 : 0)
                elems[p].liChars += e.tag == .li ? e.chars : e.liChars
                elems[p].imgCount += e.imgCount + (e.tag == .img ? 1 : 0)
                elems[p].inputCount += e.inputCount
                elems[p].embedCount += e.embedCount
                elems[p].headingChars += e.tag.isHeading ? e.chars : e.headingChars
                elems[p].blockCount += e.blockCount + ((!e.tag.isInline && !e.tag.isTablePart) ? 1 : 0)
                elems[p].tableCount += e.tableCount + (e.tag == .table ? 1 : 0)
                elems[p].bigCells += e.bigCells
                elems[p].quoteChars += e.tag == .blockquote ? e.chars : e.quoteChars
                if (e.tag == .td || e.tag == .th) && (e.chars > 400 || e.blockCount >= 2) { elems[p].bigCells += 1 }
                if e.tag.isInline {
                    elems[p].inlineChars += e.inlineChars
                    elems[p].inlineCommas += e.inlineCommas
                }
            }
            i -= 1
        }
    }

    /// The text of the first <h1> of the page (not hidden), at most 400 bytes.
    func firstH1Text() -> [UInt8] {
        guard let i = elems.firstIndex(where: { $0.tag == .h1 && $0.flags & HFlag.hardDrop == 0 }) else { return [] }
        return text(of: i)
    }

    /// The text of an element (indexed descendants only), at most about 400 bytes.
    func text(of i: Int) -> [UInt8] {
        var out: [UInt8] = []
        let top = elems[i].node
        var cur: XNode? = top.pointee.children
        while let n = cur, out.count < 400 {
            if n.pointee.type == XML_TEXT_NODE, let c = n.pointee.content {
                runs.pieces(of: c) { out.append(contentsOf: $0) }
                out.append(0x20)
            }
            if n.pointee.type == XML_ELEMENT_NODE, HTree.index(of: n) != nil, let c = n.pointee.children {
                cur = c
                continue
            }
            var x = n
            cur = nil
            while x != top {
                if let nx = x.pointee.next { cur = nx; break }
                guard let p = x.pointee.parent else { break }
                x = p
            }
        }
        return out
    }

    func linkDensity(_ i: Int) -> Float {
        let e = elems[i]
        return e.chars > 0 ? Float(e.linkChars) / Float(e.chars) : 0
    }

    /// True when `i` has `anc` among its ancestors (or is it).
    mutating func isInside(_ i: Int, _ anc: Int) -> Bool {
        var x = i
        while x >= 0 {
            if x == anc { return true }
            x = Int(elems[x].parent)
            ancestorSteps += 1
        }
        return false
    }
}

// MARK: text measuring

/// Eight bytes at a time (little-endian words): tests and masks with one bit (0x80) per byte.
enum Word {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let high: UInt64 = 0x8080_8080_8080_8080

    @inline(__always) static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
    }

    /// True when some byte of `w` equals `b`.
    @inline(__always) static func has(_ w: UInt64, _ b: UInt8) -> Bool {
        let t = w ^ (ones &* UInt64(b))
        return (t &- ones) & ~t & high != 0
    }

    /// How many bytes a mask marks (no popcount instruction on baseline x86-64).
    @inline(__always) static func count(_ mask: UInt64) -> Int {
        Int(truncatingIfNeeded: ((mask >> 7) &* ones) >> 56)
    }

    /// The bytes of `w` equal to `b` (`w` all ASCII).
    @inline(__always) static func equalMask(_ w: UInt64, _ b: UInt8) -> UInt64 {
        let t = w ^ (ones &* UInt64(b))
        return ~(((t & ~high) &+ ~high) | t) & high
    }
}

/// Characters (UTF-8 lead bytes, white space runs counted once, leading and trailing white space
/// not counted) and commas of a text, fed in pieces.
struct TextMeasure {
    var chars: Int32 = 0
    var commas: Int32 = 0
    private var pendingSpace = false

    @inline(__always)
    mutating func add(_ s: UnsafeBufferPointer<UInt8>) {
        guard let base = s.baseAddress else { return }
        let n = s.count
        var i = 0
        while i < n {
            // Eight printable ASCII bytes without a comma, once the text has begun: each one a
            // character, each space run before a character one more.
            if chars > 0 && i + 8 <= n {
                let w = Word.load(base + i)
                if w & Word.high == 0 && (w &+ Word.ones &* 0x60) & Word.high == Word.high && !Word.has(w, 0x2C) {
                    let spaces = Word.equalMask(w, 0x20)
                    let others = ~spaces & Word.high
                    chars &+= Int32(Word.count(others) + Word.count(others & (spaces << 8)))
                    if pendingSpace && others & 0x80 != 0 { chars &+= 1 }
                    pendingSpace = spaces >> 56 != 0
                    i += 8
                    continue
                }
            }
            let b = base[i]
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                pendingSpace = chars > 0
                i += 1
                continue
            }
            if b == 0xC2 && i + 1 < n && base[i + 1] == 0xA0 {
                pendingSpace = chars > 0
                i += 2
                continue
            }
            if pendingSpace {
                chars += 1
                pendingSpace = false
            }
            if b & 0xC0 != 0x80 { chars += 1 }
            if b == 0x2C { commas += 1 }
            else if b == 0xEF && i + 2 < n && base[i + 1] == 0xBC && base[i + 2] == 0x8C { commas += 1 }  // ，
            else if b == 0xD8 && i + 1 < n && base[i + 1] == 0x8C { commas += 1 }                        // ،
            else if b == 0xE3 && i + 2 < n && base[i + 1] == 0x80 && base[i + 2] == 0x81 { commas += 1 }  // 、
            i += 1
        }
    }
}

// MARK: text runs kept out of libxml2

/// libxml2 2.9's HTML parser reads character data one character at a time, which on a page of prose
/// costs more than everything else the extractor does. So before parsing, each long run of plain
/// character data is replaced by a placeholder: U+FDD0 (a noncharacter), a 4-character index, and
/// the run's line breaks (line numbers stay as they were). Text nodes then hold placeholders, and
/// every reader of node text goes through `pieces(of:)`, which yields the original bytes.
///
/// A run is replaced only where libxml2 reads the placeholder exactly as it reads the run: content
/// text that begins where libxml2's character data begins, with no '<', '&', '>', carriage return,
/// control character or U+Fxxx character, non-blank within its first chunk of 1000 bytes. The scan
/// below follows libxml2's tokenizer (tags and quoted attribute values, comments, script and style);
/// where it may disagree it replaces nothing, and after parsing every placeholder must sit in a text
/// node (`allLanded`), else the page is parsed again as it is.
struct HTextRuns {
    struct Run {
        var start: Int
        var end: Int
        var newlines: Int      // line breaks in the run, repeated in its placeholder
        var lineDelta: Int     // line breaks libxml2 reads after creating the text node (runs of 1000+ bytes)
    }

    let source: UnsafeBufferPointer<UInt8>
    private(set) var runs: [Run] = []

    /// libxml2 hands character data over in chunks of this many bytes.
    private static let chunk = 1000
    /// Runs shorter than this stay in the page: a placeholder would save too little.
    private static let minRun = 16
    private static let indexDigits: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let digitValue: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (v, d) in indexDigits.enumerated() { t[Int(d)] = UInt8(v) }
        return t
    }()
    private static let maxRuns = 1 << 24

    /// Byte classes inside character data: 0 plain, 1 line feed, 2 ends it ('<', '&'), 3 keeps the run in the page.
    private static let byteClass: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for b in 0..<0x20 { t[b] = 3 }
        t[0x09] = 0
        t[0x0A] = 1
        t[0x3C] = 2
        t[0x26] = 2
        t[0x3E] = 3
        t[0xEF] = 3
        return t
    }()

    init(source: UnsafeBufferPointer<UInt8>) {
        self.source = source
    }

    // MARK: reading node text

    /// The run whose placeholder starts at `p`, and the placeholder's length.
    @inline(__always)
    private func run(at p: UnsafePointer<UInt8>) -> (Run, Int)? {
        guard p[0] == 0xEF, p[1] == 0xB7, p[2] == 0x90 else { return nil }
        var k = 0
        for d in 3..<7 {
            let v = HTextRuns.digitValue[Int(p[d])]
            if v == 0xFF { return nil }
            k = k << 6 | Int(v)
        }
        guard k < runs.count else { return nil }
        let r = runs[k]
        return (r, 7 + r.newlines)
    }

    /// Calls `body` with the text of a NUL-terminated node content, piece by piece, placeholders
    /// replaced by their runs.
    @inline(__always)
    func pieces(of content: UnsafePointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var p = content
        var literal = content
        while p.pointee != 0 {
            if p.pointee == 0xEF, !runs.isEmpty, let (r, length) = run(at: p) {
                if p > literal { body(UnsafeBufferPointer(start: literal, count: p - literal)) }
                body(UnsafeBufferPointer(rebasing: source[r.start..<r.end]))
                p += length
                literal = p
                continue
            }
            p += 1
        }
        if p > literal { body(UnsafeBufferPointer(start: literal, count: p - literal)) }
    }

    func measure(_ content: UnsafePointer<UInt8>) -> (chars: Int32, commas: Int32) {
        var m = TextMeasure()
        pieces(of: content) { m.add($0) }
        return (m.chars, m.commas)
    }

    /// Lines to subtract from the line libxml2 gives a text node that a placeholder opens.
    func lineDelta(of content: UnsafePointer<UInt8>) -> Int {
        guard content.pointee == 0xEF, !runs.isEmpty, let (r, _) = run(at: content) else { return 0 }
        return r.lineDelta
    }

    /// True when every placeholder ended up in a text node of the parsed tree.
    func allLanded(in doc: UnsafeMutablePointer<xmlDoc>) -> Bool {
        let docNode = UnsafeMutableRawPointer(doc)
        var found = 0
        var cur: XNode? = doc.pointee.children
        while let n = cur {
            if n.pointee.type == XML_TEXT_NODE || n.pointee.type == XML_CDATA_SECTION_NODE, let c = n.pointee.content {
                var p = UnsafePointer(c)
                while p.pointee != 0 {
                    if p.pointee == 0xEF, p[1] == 0xB7, p[2] == 0x90 {
                        guard let (_, length) = run(at: p) else { return false }
                        found += 1
                        p += length
                        continue
                    }
                    p += 1
                }
            }
            if n.pointee.type != XML_ATTRIBUTE_NODE, let c = n.pointee.children {
                cur = c
                continue
            }
            var x = n
            cur = nil
            while true {
                if let nx = x.pointee.next {
                    cur = nx
                    break
                }
                guard let p = x.pointee.parent, UnsafeMutableRawPointer(p) != docNode else { break }
                x = p
            }
        }
        return found == runs.count
    }

    // MARK: replacing runs

    /// The page with its long runs of character data replaced by placeholders, or nil when no run
    /// is replaced (or the page holds U+FDD0 itself).
    mutating func replaceRuns() -> [UInt8]? {
        let s = source
        let n = s.count
        guard n >= HTextRuns.minRun, !HTextRuns.containsMark(s) else { return nil }
        var out: [UInt8] = []
        var copied = 0
        var i = 0
        var seenElement = false  // before the first element libxml2 skips blanks: replace nothing there
        var aligned = true       // character data at i starts where libxml2's does
        var rawText: StaticString?
        let base = s.baseAddress!
        let byteClass = HTextRuns.byteClass
        while i < n {
            if let name = rawText {
                i = HTextRuns.endOfRawText(s, from: i, name)
                rawText = nil
                continue
            }
            let b = s[i]
            if b == 0x3C {
                let next = i + 1 < n ? s[i + 1] : 0
                aligned = true
                if next == 0x2F {
                    i = HTextRuns.endOfEndTag(s, i)
                } else if next == 0x21 {
                    (i, aligned) = HTextRuns.endOfDeclaration(s, i)
                } else if next == 0x3F {
                    i = HTextRuns.skip(s, past: 0x3E, from: i + 2)
                    aligned = false
                } else if HTextRuns.isLetter(next) {
                    (i, rawText) = HTextRuns.endOfStartTag(s, i)
                    seenElement = true
                } else {
                    i += 1  // a '<' that opens nothing is text
                }
                continue
            }
            if b == 0x26 {
                (i, aligned) = HTextRuns.endOfReference(s, i)
                continue
            }
            // Character data, up to the next '<' or '&'.
            let start = i
            var j = i
            var newlines = 0
            while j < n, s[j] == 0x20 || s[j] == 0x09 || s[j] == 0x0A {
                if s[j] == 0x0A { newlines += 1 }
                j += 1
            }
            let firstText = j
            var kept = false
            var late = 0
            while j < n {
                // Eight printable ASCII bytes with no '<', '&' or '>' are plain.
                if j + 8 <= n {
                    let w = Word.load(base + j)
                    if w & Word.high == 0 && (w &+ Word.ones &* 0x60) & Word.high == Word.high
                        && !Word.has(w, 0x3C) && !Word.has(w, 0x26) && !Word.has(w, 0x3E) {
                        j += 8
                        continue
                    }
                }
                let c = byteClass[Int(s[j])]
                if c == 0 {
                    j += 1
                    continue
                }
                if c == 2 { break }
                if c == 1 {
                    newlines += 1
                    if j - start >= HTextRuns.chunk - 1 { late += 1 }
                } else {
                    kept = true
                }
                j += 1
            }
            i = j
            let length = j - start
            if aligned && seenElement && !kept && firstText < j && firstText - start < HTextRuns.chunk - 1
                && length >= HTextRuns.minRun + newlines && runs.count < HTextRuns.maxRuns {
                if out.isEmpty { out.reserveCapacity(n / 2) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: s[copied..<start]))
                let k = runs.count
                out.append(0xEF)
                out.append(0xB7)
                out.append(0x90)
                for shift in stride(from: 18, through: 0, by: -6) { out.append(HTextRuns.indexDigits[(k >> shift) & 63]) }
                for _ in 0..<newlines { out.append(0x0A) }
                copied = j
                runs.append(Run(start: start, end: j, newlines: newlines, lineDelta: length >= HTextRuns.chunk ? late : 0))
            }
            aligned = true
        }
        guard !runs.isEmpty else { return nil }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: s[copied..<n]))
        return out
    }

    // The tokenizer steps below follow libxml2 2.9's htmlParseContentInternal and what it calls.

    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    @inline(__always) private static func isNameStart(_ b: UInt8) -> Bool { isLetter(b) || b == 0x5F || b == 0x3A || b == 0x2E }
    @inline(__always) private static func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D
    }

    private static func containsMark(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while let k = find(s, 0xEF, from: i) {
            if k + 2 < s.count && s[k + 1] == 0xB7 && s[k + 2] == 0x90 { return true }
            i = k + 1
        }
        return false
    }

    /// The index just past the next `byte` at or after `from` (the end when there is none).
    private static func skip(_ s: UnsafeBufferPointer<UInt8>, past byte: UInt8, from: Int) -> Int {
        find(s, byte, from: from).map { $0 + 1 } ?? s.count
    }

    /// The index of the next `byte` at or after `from`.
    @inline(__always)
    private static func find(_ s: UnsafeBufferPointer<UInt8>, _ byte: UInt8, from: Int) -> Int? {
        var j = from
        while j + 8 <= s.count && !Word.has(Word.load(s.baseAddress! + j), byte) { j += 8 }
        while j < s.count {
            if s[j] == byte { return j }
            j += 1
        }
        return nil
    }

    private static func skipBlanks(_ s: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
        var j = from
        while j < s.count && isBlank(s[j]) { j += 1 }
        return j
    }

    /// `</name ... >`; without a name only "</" is read and text follows.
    private static func endOfEndTag(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var j = i + 2
        guard j < s.count, isNameStart(s[j]) else { return j }
        while j < s.count && isNameChar(s[j]) { j += 1 }
        j = skipBlanks(s, j)
        return skip(s, past: 0x3E, from: j)
    }

    /// `<!-- ... -->` or `<!DOCTYPE ... >`; any other `<!` is a '<' of text.
    private static func endOfDeclaration(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int, aligned: Bool) {
        let n = s.count
        if i + 3 < n && s[i + 2] == 0x2D && s[i + 3] == 0x2D {
            var j = i + 4
            while let k = find(s, 0x3E, from: j) {
                if k >= i + 6 && s[k - 1] == 0x2D && s[k - 2] == 0x2D { return (k + 1, true) }
                j = k + 1
            }
            return (n, true)
        }
        let doctype: [UInt8] = Array("DOCTYPE".utf8)
        if i + 9 <= n && (0..<7).allSatisfy({ s[i + 2 + $0] & 0xDF == doctype[$0] }) {
            return (skip(s, past: 0x3E, from: i + 9), false)
        }
        return (i + 1, true)
    }

    /// A start tag and its attributes (quoted values may hold '>'); returns where it ends and, for
    /// script and style, the name that ends their raw text.
    private static func endOfStartTag(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int, StaticString?) {
        let n = s.count
        var j = i + 1
        let nameStart = j
        while j < n && isNameChar(s[j]) { j += 1 }
        var raw: StaticString?
        if equalsLowercased(s, nameStart, j, "script") { raw = "script" } else if equalsLowercased(s, nameStart, j, "style") { raw = "style" }
        j = skipBlanks(s, j)
        while j < n && s[j] != 0x3E && !(s[j] == 0x2F && j + 1 < n && s[j + 1] == 0x3E) {
            if isNameStart(s[j]) {
                while j < n && isNameChar(s[j]) { j += 1 }
                j = skipBlanks(s, j)
                if j < n && s[j] == 0x3D {
                    j = skipBlanks(s, j + 1)
                    if j < n && (s[j] == 0x22 || s[j] == 0x27) {
                        j = skip(s, past: s[j], from: j + 1)
                    } else {
                        while j < n && s[j] != 0x3E && !isBlank(s[j]) { j += 1 }
                    }
                }
            } else {
                // A bogus attribute: dropped up to a blank or the end of the tag.
                while j < n && !isBlank(s[j]) && s[j] != 0x3E && !(s[j] == 0x2F && j + 1 < n && s[j + 1] == 0x3E) { j += 1 }
            }
            j = skipBlanks(s, j)
        }
        if j >= n { return (n, nil) }
        if s[j] == 0x2F { return (j + 2, nil) }  // "/>": no content
        return (j + 1, raw)
    }

    private static func equalsLowercased(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ name: StaticString) -> Bool {
        guard to - from == name.utf8CodeUnitCount else { return false }
        let t = name.utf8Start
        for k in 0..<(to - from) where s[from + k] | 0x20 != t[k] { return false }
        return true
    }

    /// Script and style text runs to the first `</name` (any case).
    private static func endOfRawText(_ s: UnsafeBufferPointer<UInt8>, from: Int, _ name: StaticString) -> Int {
        let n = s.count
        let m = name.utf8CodeUnitCount
        var j = from
        while let lt = find(s, 0x3C, from: j) {
            j = lt
            if j + 1 < n && s[j + 1] == 0x2F && j + 2 + m <= n {
                let t = name.utf8Start
                var k = 0
                while k < m && s[j + 2 + k] | 0x20 == t[k] { k += 1 }
                if k == m { return j }
            }
            j += 1
        }
        return n
    }

    /// Entities whose ';' libxml2 reads as part of the reference (names in its HTML 4 table).
    private static let knownEntities: Set<[UInt8]> = Set([
        "amp", "lt", "gt", "quot", "nbsp", "copy", "reg", "trade", "mdash", "ndash", "hellip", "lsquo", "rsquo",
        "ldquo", "rdquo", "laquo", "raquo", "middot", "bull", "sect", "para", "deg", "shy", "euro", "times",
        "eacute", "egrave", "aacute", "agrave", "oacute", "uacute", "iacute", "ouml", "uuml", "auml", "ccedil",
    ].map { Array($0.utf8) })

    /// A character or entity reference; `aligned` is false when libxml2 may end it elsewhere.
    private static func endOfReference(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int, aligned: Bool) {
        let n = s.count
        var j = i + 1
        guard j < n else { return (j, true) }
        if s[j] == 0x23 {
            j += 1
            if j < n && (s[j] == 0x78 || s[j] == 0x58) {
                j += 1
                while j < n && (s[j] >= 0x30 && s[j] <= 0x39 || (s[j] | 0x20) >= 0x61 && (s[j] | 0x20) <= 0x66) { j += 1 }
            } else {
                while j < n && s[j] >= 0x30 && s[j] <= 0x39 { j += 1 }
            }
            if j < n && s[j] == 0x3B { j += 1 }
            return (j, true)
        }
        if s[j] >= 0x80 { return (j, false) }
        guard isLetter(s[j]) || s[j] == 0x5F || s[j] == 0x3A else { return (j, true) }
        let nameStart = j
        while j < n && isNameChar(s[j]) { j += 1 }
        guard j < n else { return (j, true) }
        if s[j] >= 0x80 { return (j, false) }
        if s[j] == 0x3B {
            let known = knownEntities.contains(Array(s[nameStart..<j]))
            return (known ? j + 1 : j, known)
        }
        return (j, true)
    }
}

// MARK: attribute helpers

private func eq(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
    let q = s.utf8Start
    let n = s.utf8CodeUnitCount
    for k in 0..<n where p[k] != q[k] { return false }
    return p[n] == 0
}

private func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }

private func startsCI(_ p: UnsafeMutablePointer<UInt8>, _ s: StaticString) -> Bool {
    var q = p
    while q.pointee == 0x20 { q += 1 }
    let t = s.utf8Start
    for k in 0..<s.utf8CodeUnitCount {
        if lower(q[k]) != t[k] { return false }
    }
    return true
}

private func containsCI(_ p: UnsafeMutablePointer<UInt8>, _ s: StaticString) -> Bool {
    let t = s.utf8Start
    let n = s.utf8CodeUnitCount
    var i = 0
    while p[i] != 0 {
        var k = 0
        while k < n && p[i + k] != 0 && lower(p[i + k]) == t[k] { k += 1 }
        if k == n { return true }
        i += 1
    }
    return false
}

/// `display:none` or `visibility:hidden` in a style attribute.
private func styleHides(_ p: UnsafeMutablePointer<UInt8>) -> Bool {
    var buf = [UInt8]()
    var q = p
    while q.pointee != 0 && buf.count < 400 {
        let b = lower(q.pointee)
        if b != 0x20 && b != 0x09 && b != 0x0A { buf.append(b) }
        q += 1
    }
    return ClassMarks.has(buf[...], "display:none") || ClassMarks.has(buf[...], "visibility:hidden")
}

private func roleIsBoilerplate(_ p: UnsafeMutablePointer<UInt8>) -> Bool {
    var buf = [UInt8]()
    var q = p
    while q.pointee != 0 && buf.count < 60 { buf.append(lower(q.pointee)); q += 1 }
    let s = buf[...]
    for r: StaticString in ["navigation", "menu", "menubar", "complementary", "alert", "alertdialog",
                            "dialog", "banner", "contentinfo", "search", "toolbar", "tablist"] {
        if ClassMarks.tokenEquals(s, r) { return true }
    }
    return false
}
