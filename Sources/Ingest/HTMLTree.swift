import CByteScan
import Foundation

// The extractor's view of a parsed page: every element that may hold content gets an index
// (kept on its node, so a node finds its record without a dictionary; a text node keeps its
// measure, so rendering does not measure it again), with text statistics of its subtree.
// Boilerplate marking and content scoring work on these arrays; the tree itself is only walked
// iteratively (parent/next links), never recursively.

struct HElem {
    var node: Int32
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
    private(set) var nodes: HNodes

    init(nodes: HNodes, lineStarts: [Int], runs: HTextRuns) {
        self.nodes = nodes
        self.lineStarts = lineStarts
        self.runs = runs
        self.nodes.measureTexts(runs)
        elems.reserveCapacity(2048)
        index()
        aggregate()
    }

    // MARK: source offsets

    func sourceOffset(_ node: Int32) -> Int {
        var line = nodes.lineNumber(node)
        if line <= 0 || lineStarts.isEmpty { return 0 }
        // A long run's text node took its line where libxml2 flushed its first 1000 bytes.
        if nodes[node].kind == .text {
            line -= nodes.withContent(of: node) { runs.lineDelta(of: $0) }
        }
        let l = min(line, lineStarts.count)
        return lineStarts[l - 1]
    }

    /// The index of an element in `elems`, nil when it has none.
    func index(of node: Int32) -> Int? {
        let e = nodes[node].elem
        return e >= 0 ? Int(e) : nil
    }

    /// Characters and commas of a text node (of an indexed element), as measured before indexing.
    func measure(of text: Int32) -> (chars: Int32, commas: Int32) {
        let n = nodes[text]
        return (n.chars, n.commas)
    }

    // MARK: indexing

    private mutating func index() {
        let top = nodes.root
        guard top >= 0 else { return }
        var linkDepth = 0
        var cur = top
        while cur >= 0 {
            let n = nodes[cur]
            var descend = false
            if n.kind == .element {
                let tag = n.tag
                if tag == .head {
                    captureTitle(head: cur)
                } else if !tag.isSkipped {
                    let parentIdx = n.parent >= 0 ? index(of: n.parent) ?? -1 : -1
                    let e = HElem(node: cur, parent: Int32(parentIdx), tag: tag, flags: n.flags, weight: n.weight, marks: n.marks)
                    if parentIdx >= 0 {
                        if !tag.isInline { elems[parentIdx].flags |= HFlag.hasBlockChild }
                    }
                    elems.append(e)
                    nodes.setElem(cur, elems.count - 1)
                    if tag == .body && root < 0 { root = elems.count - 1 }
                    if tag == .a { linkDepth += 1 }
                    descend = true
                } else if tag == .title && titleText.isEmpty {
                    appendText(of: cur, to: &titleText)
                } else if n.parent >= 0, let pi = index(of: n.parent) {
                    switch tag {
                    case .input, .select, .textarea, .button: elems[pi].ownInputs += 1
                    case .iframe, .object, .embed, .video, .audio: elems[pi].ownEmbeds += 1
                    default: break
                    }
                }
            } else if n.kind == .text || n.kind == .cdata {
                if n.parent >= 0, let pi = index(of: n.parent), n.chars > 0 {
                    elems[pi].ownChars += n.chars
                    elems[pi].ownCommas += n.commas
                    if linkDepth > 0 || elems[pi].tag == .a { elems[pi].ownLinkChars += n.chars }
                }
            }
            if descend && n.firstChild >= 0 {
                cur = n.firstChild
                continue
            }
            // Leave n and every ancestor whose subtree is finished.
            var x = cur
            cur = -1
            while true {
                if let i = index(of: x), elems[i].tag == .a { linkDepth -= 1 }
                if x == top { break }
                if nodes[x].next >= 0 {
                    cur = nodes[x].next
                    break
                }
                let p = nodes[x].parent
                guard p >= 0, nodes[p].kind == .element else { break }
                x = p
            }
        }
        if root < 0 && !elems.isEmpty { root = 0 }
    }

    private mutating func captureTitle(head: Int32) {
        var c = nodes[head].firstChild
        while c >= 0 {
            if nodes[c].kind == .element, nodes[c].tag == .title {
                if titleText.isEmpty { appendText(of: c, to: &titleText) }
            }
            c = nodes[c].next
        }
    }

    private func appendText(of el: Int32, to out: inout [UInt8]) {
        var c = nodes[el].firstChild
        while c >= 0 {
            if nodes[c].kind == .text {
                nodes.withContent(of: c) { runs.pieces(of: $0) { out.append(contentsOf: $0) } }
            }
            c = nodes[c].next
        }
    }

    // MARK: aggregation

    /// Recomputes the subtree aggregates from the own counts, leaving dropped subtrees out.
    /// (Through a buffer pointer: one uniqueness check, not one per field written.)
    mutating func aggregate() {
        elems.withUnsafeMutableBufferPointer { elems in
            for i in elems.indices {
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
            // Children come after their parent: walking back, each is complete when it is added.
            var i = elems.count - 1
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
        var cur = nodes[top].firstChild
        while cur >= 0, out.count < 400 {
            let n = nodes[cur]
            if n.kind == .text {
                nodes.withContent(of: cur) { runs.pieces(of: $0) { out.append(contentsOf: $0) } }
                out.append(0x20)
            }
            if n.kind == .element, index(of: cur) != nil, n.firstChild >= 0 {
                cur = n.firstChild
                continue
            }
            var x = cur
            cur = -1
            while x != top {
                if nodes[x].next >= 0 { cur = nodes[x].next; break }
                let p = nodes[x].parent
                guard p >= 0 else { break }
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

    /// The white space (space, tab, line feed, form feed, carriage return) of eight ASCII bytes,
    /// nil when they hold another byte below 0x20 or a byte from 0x80.
    @inline(__always) static func asciiSpaces(_ w: UInt64) -> UInt64? {
        guard w & high == 0 else { return nil }
        let spaces = equalMask(w, 0x20)
        let controls = ByteMask.below(w, 0x20)
        if controls == 0 { return spaces }
        let blanks = equalMask(w, 0x09) | equalMask(w, 0x0A) | equalMask(w, 0x0C) | equalMask(w, 0x0D)
        return controls & ~blanks == 0 ? spaces | controls : nil
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
/// not counted) and commas of a text, fed in pieces: as bytes (`add`), or as the measure of a
/// piece taken on its own (`append`), which is how the text runs measured while they were found
/// join the text around them.
struct TextMeasure: Equatable {
    var chars: Int32 = 0
    var commas: Int32 = 0
    private var pendingSpace = false
    /// White space came before the first character (or the text is all white space).
    private var leadingSpace = false

    @inline(__always)
    mutating func add(_ s: UnsafeBufferPointer<UInt8>) {
        guard let base = s.baseAddress else { return }
        let n = s.count
        var i = 0
        while i < n {
            if i + 8 <= n {
                let w = Word.load(base + i)
                if let spaces = Word.asciiSpaces(w) {
                    addASCII(w, spaces: spaces, at: base + i)
                    i += 8
                    continue
                }
            }
            i += addCharacter(base, i, n)
        }
    }

    /// The eight ASCII bytes `w` loaded from `p`, `spaces` marking their white space: once the
    /// text has begun, each other byte is a character, and so is each space run before one.
    @inline(__always)
    mutating func addASCII(_ w: UInt64, spaces: UInt64, at p: UnsafePointer<UInt8>) {
        guard chars > 0 else {
            for k in 0..<8 { _ = addCharacter(p, k, 8) }
            return
        }
        let others = ~spaces & Word.high
        let runStarts = others & (spaces << 8 | (pendingSpace ? 0x80 : 0))
        // Both masks counted with one multiply (at most 16 marks).
        chars &+= Int32(truncatingIfNeeded: (((others >> 7) &+ (runStarts >> 7)) &* Word.ones) >> 56)
        pendingSpace = spaces >> 56 != 0
        let commaMask = Word.equalMask(w, 0x2C)
        if commaMask != 0 { commas &+= Int32(Word.count(commaMask)) }
    }

    /// The character or white space at `base[i]` (of `n` bytes); returns the bytes it took.
    @inline(__always)
    mutating func addCharacter(_ base: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        let b = base[i]
        if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
            pendingSpace = chars > 0
            if chars == 0 { leadingSpace = true }
            return 1
        }
        if b == 0xC2 && i + 1 < n && base[i + 1] == 0xA0 {
            pendingSpace = chars > 0
            if chars == 0 { leadingSpace = true }
            return 2
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
        return 1
    }

    /// Adds the character data `base[from..<count]` up to its first '<' or '&' (C, 32 bytes a
    /// step), as `addCharacter` would byte by byte; says where it ended, its line feeds (those at or
    /// after `lateFrom` apart) and whether it holds a byte that keeps a run in the page ('>', 0xEF,
    /// a control other than tab and line feed).
    mutating func addCharacterData(_ base: UnsafePointer<UInt8>, from: Int, count: Int, lateFrom: Int)
        -> (end: Int, newlines: Int, late: Int, kept: Bool) {
        var state = assay_text_measure(chars: chars, commas: commas, pendingSpace: pendingSpace ? 1 : 0,
                                       leadingSpace: leadingSpace ? 1 : 0)
        let data = assay_character_data_scan(base, from, count, lateFrom, &state)
        chars = state.chars
        commas = state.commas
        pendingSpace = state.pendingSpace != 0
        leadingSpace = state.leadingSpace != 0
        return (Int(data.end), Int(data.newlines), Int(data.late), data.kept != 0)
    }

    /// Continues with a text that `piece` measured on its own.
    mutating func append(_ piece: TextMeasure) {
        if piece.chars == 0 {
            if piece.leadingSpace { pendingSpace = chars > 0 }
            return
        }
        if chars > 0 && (pendingSpace || piece.leadingSpace) { chars += 1 }
        chars += piece.chars
        commas += piece.commas
        pendingSpace = piece.pendingSpace
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
/// control character or U+Fxxx character, non-blank within its first chunk of 1000 bytes, with a
/// placeholder that fits in one chunk (fewer than ~990 line breaks). The scan
/// below follows libxml2's tokenizer (tags and quoted attribute values, comments, script and style);
/// where it may disagree it replaces nothing, and after parsing every placeholder must sit in a text
/// node (`allLanded`), else the page is parsed again as it is.
///
/// The same scan blanks the attributes of a tag past its first `maxAttributes` (spaces, its line
/// breaks kept): libxml2 2.9 compares each attribute with every earlier one of its tag, so one tag
/// of 160,000 attributes took 41 s. Offsets and lines stay as they were; the extractor reads only a
/// tag's class and id.
struct HTextRuns {
    struct Run {
        var start: Int
        var end: Int
        var newlines: Int      // line breaks in the run, repeated in its placeholder
        var lineDelta: Int     // line breaks libxml2 reads after creating the text node (runs of 1000+ bytes)
        var measure: TextMeasure  // taken while the run was found
    }

    let source: UnsafeBufferPointer<UInt8>
    private(set) var runs: [Run] = []
    /// The stretches of crowded tags' attributes past their first `maxAttributes`, in page order.
    private(set) var blanks: [Range<Int>] = []
    /// The '<' outside script and style text that `replaceRuns` met.
    private var lessThans = 0

    /// About how many nodes libxml2 makes of the page `replaceRuns` returns, so that their array
    /// need not grow: each '<' may open an element, comment or declaration, and be followed by a
    /// text node (and libxml2 adds a few implied elements). Capped, as a '<' may also be text: a
    /// page past the cap grows the array as it needs.
    var expectedNodes: Int { min(2 * lessThans + 16, 1 << 16) }

    /// The attributes of one tag handed to libxml2.
    static let maxAttributes = 256

    /// libxml2 hands character data over in chunks of this many bytes.
    private static let chunk = 1000
    /// Runs shorter than this stay in the page: a placeholder would save too little.
    private static let minRun = 16
    private static let indexDigits: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// The value of an index digit (its place in `indexDigits`), nil for another byte. Worked out,
    /// not looked up: a static table costs a lazy-global check (swift_once) on every digit read.
    @inline(__always)
    private static func digitValue(_ d: UInt8) -> Int? {
        switch d {
        case 0x41...0x5A: return Int(d) - 0x41       // A-Z: 0-25
        case 0x61...0x7A: return Int(d) - 0x61 + 26  // a-z: 26-51
        case 0x30...0x39: return Int(d) - 0x30 + 52  // 0-9: 52-61
        case 0x2D: return 62                         // -
        case 0x5F: return 63                         // _
        default: return nil
        }
    }
    private static let maxRuns = 1 << 24

    init(source: UnsafeBufferPointer<UInt8>) {
        self.source = source
    }

    // MARK: reading node text

    /// The run whose placeholder starts at `p` (with `available` bytes from there), and the
    /// placeholder's length.
    @inline(__always)
    private func run(at p: UnsafePointer<UInt8>, available: Int) -> (Run, Int)? {
        guard available >= 7, p[0] == 0xEF, p[1] == 0xB7, p[2] == 0x90 else { return nil }
        var k = 0
        for d in 3..<7 {
            guard let v = HTextRuns.digitValue(p[d]) else { return nil }
            k = k << 6 | v
        }
        guard k < runs.count else { return nil }
        let r = runs[k]
        return (r, min(7 + r.newlines, available))
    }

    /// Calls `body` with the text of a node content, piece by piece, placeholders replaced by
    /// their runs.
    @inline(__always)
    func pieces(of content: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let base = content.baseAddress else { return }
        let end = base + content.count
        var p = base
        var literal = base
        while p < end {
            if p.pointee == 0xEF, !runs.isEmpty, let (r, length) = run(at: p, available: end - p) {
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

    /// Characters and commas of a node content: placeholders count as their runs' measures.
    func measure(_ content: UnsafeBufferPointer<UInt8>) -> (chars: Int32, commas: Int32) {
        var m = TextMeasure()
        guard let base = content.baseAddress else { return (0, 0) }
        let end = base + content.count
        var p = base
        var literal = base
        while p < end {
            if p.pointee == 0xEF, !runs.isEmpty, let (r, length) = run(at: p, available: end - p) {
                if p > literal { m.add(UnsafeBufferPointer(start: literal, count: p - literal)) }
                m.append(r.measure)
                p += length
                literal = p
                continue
            }
            p += 1
        }
        if p > literal { m.add(UnsafeBufferPointer(start: literal, count: p - literal)) }
        return (m.chars, m.commas)
    }

    /// Lines to subtract from the line libxml2 gives a text node that a placeholder opens.
    func lineDelta(of content: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = content.baseAddress, !runs.isEmpty,
              let (r, _) = run(at: base, available: content.count) else { return 0 }
        return r.lineDelta
    }

    /// True when every placeholder ended up in a text node of the parsed page.
    func allLanded(in nodes: HNodes) -> Bool {
        var found = 0
        for n in 0..<Int32(nodes.nodes.count) where nodes[n].kind == .text || nodes[n].kind == .cdata {
            let ok = nodes.withContent(of: n) { c -> Bool in
                guard let base = c.baseAddress else { return true }
                let end = base + c.count
                var p = base
                while p < end {
                    if p.pointee == 0xEF, end - p >= 3, p[1] == 0xB7, p[2] == 0x90 {
                        guard let (_, length) = run(at: p, available: end - p) else { return false }
                        found += 1
                        p += length
                        continue
                    }
                    p += 1
                }
                return true
            }
            if !ok { return false }
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
        let indexDigits = HTextRuns.indexDigits
        while i < n {
            if let name = rawText {
                i = HTextRuns.endOfRawText(s, from: i, name)
                rawText = nil
                continue
            }
            let b = s[i]
            if b == 0x3C {
                lessThans += 1
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
                    (i, rawText) = HTextRuns.endOfStartTag(s, i, crowded: &blanks)
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
            // The run is measured as it is read (its measure is kept if it is replaced).
            var measure = TextMeasure()
            if firstText > start { _ = measure.addCharacter(base, start, n) }
            let data = measure.addCharacterData(base, from: j, count: n, lateFrom: start + HTextRuns.chunk - 1)
            j = data.end
            newlines += data.newlines
            i = j
            let length = j - start
            // (The placeholder, 7 bytes and the run's line breaks, must itself fit in one chunk:
            // the line correction above is for the run, and 1,000 line breaks in one paragraph
            // made it negative.)
            if aligned && seenElement && !data.kept && firstText < j && firstText - start < HTextRuns.chunk - 1
                && 7 + newlines < HTextRuns.chunk - 1
                && length >= HTextRuns.minRun + newlines && runs.count < HTextRuns.maxRuns {
                if out.isEmpty {
                    out.reserveCapacity(n / 2)
                    // (a run for every 160 bytes: runs are a line of prose or longer)
                    runs.reserveCapacity(min(n / 160, 1 << 16))
                }
                // (most pages have no crowded tag: their bytes are copied as they are)
                if blanks.isEmpty {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: s[copied..<start]))
                } else {
                    appendBlanking(copied..<start, to: &out)
                }
                let k = runs.count
                out.append(0xEF)
                out.append(0xB7)
                out.append(0x90)
                for shift in stride(from: 18, through: 0, by: -6) { out.append(indexDigits[(k >> shift) & 63]) }
                for _ in 0..<newlines { out.append(0x0A) }
                copied = j
                runs.append(Run(start: start, end: j, newlines: newlines, lineDelta: length >= HTextRuns.chunk ? data.late : 0,
                                measure: measure))
            }
            aligned = true
        }
        guard !runs.isEmpty || !blanks.isEmpty else { return nil }
        appendBlanking(copied..<n, to: &out)
        return out
    }

    /// Appends the page's bytes in `range` to `out`, with the `blanks` in it blanked (spaces, line
    /// breaks kept).
    private func appendBlanking(_ range: Range<Int>, to out: inout [UInt8]) {
        var from = range.lowerBound
        // (blanks lie inside tags, never in a replaced run: a range holds each of its blanks whole)
        var lo = 0
        var hi = blanks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if blanks[mid].lowerBound < range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        for b in blanks[lo...] {
            guard b.lowerBound < range.upperBound else { break }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: source[from..<b.lowerBound]))
            for k in b { out.append(source[k] == 0x0A ? 0x0A : 0x20) }
            from = b.upperBound
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: source[from..<range.upperBound]))
    }

    /// The page with `blanks` blanked and no run replaced (when placeholders did not all land).
    func blankedPage() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        appendBlanking(0..<source.count, to: &out)
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
        guard let base = s.baseAddress else { return false }
        var i = 0
        // memchr: 0xEF (which starts U+F000-U+FFFF) is rare in text.
        while i < s.count, let hit = memchr(base + i, 0xEF, s.count - i) {
            let k = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
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
    /// script and style, the name that ends their raw text. The stretch of its attributes past the
    /// first `maxAttributes`, if it has more, is added to `crowded`.
    private static func endOfStartTag(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, crowded: inout [Range<Int>]) -> (Int, StaticString?) {
        let n = s.count
        var attributes = 0
        var excessStart: Int?
        var j = i + 1
        let nameStart = j
        while j < n && isNameChar(s[j]) { j += 1 }
        var raw: StaticString?
        if equalsLowercased(s, nameStart, j, "script") { raw = "script" } else if equalsLowercased(s, nameStart, j, "style") { raw = "style" }
        j = skipBlanks(s, j)
        while j < n && s[j] != 0x3E && !(s[j] == 0x2F && j + 1 < n && s[j + 1] == 0x3E) {
            if isNameStart(s[j]) {
                attributes += 1
                if attributes == maxAttributes + 1 { excessStart = j }
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
        if let e = excessStart { crowded.append(e..<j) }
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

func eq(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
    let q = s.utf8Start
    let n = s.utf8CodeUnitCount
    for k in 0..<n where p[k] != q[k] { return false }
    return p[n] == 0
}

func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }

func startsCI(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
    var q = p
    while q.pointee == 0x20 { q += 1 }
    let t = s.utf8Start
    for k in 0..<s.utf8CodeUnitCount {
        if lower(q[k]) != t[k] { return false }
    }
    return true
}

func containsCI(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
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
func styleHides(_ p: UnsafePointer<UInt8>) -> Bool {
    var buf = [UInt8]()
    var q = p
    while q.pointee != 0 && buf.count < 400 {
        let b = lower(q.pointee)
        if b != 0x20 && b != 0x09 && b != 0x0A { buf.append(b) }
        q += 1
    }
    return ClassMarks.has(buf[...], "display:none") || ClassMarks.has(buf[...], "visibility:hidden")
}

func roleIsBoilerplate(_ p: UnsafePointer<UInt8>) -> Bool {
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
