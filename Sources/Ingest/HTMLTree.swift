import CLibXML2

// The extractor's view of a parsed page: every element that may hold content gets an index
// (stored in the node's `_private` field, so a node finds its record without a dictionary),
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
    let lineStarts: [Int]

    init(doc: UnsafeMutablePointer<xmlDoc>, lineStarts: [Int]) {
        self.lineStarts = lineStarts
        elems.reserveCapacity(2048)
        index(doc: doc)
        aggregate()
    }

    // MARK: source offsets

    func sourceOffset(_ node: XNode) -> Int {
        let line = xmlGetLineNo(node)
        if line <= 0 || lineStarts.isEmpty { return 0 }
        let l = min(Int(line), lineStarts.count)
        return lineStarts[l - 1]
    }

    static func index(of node: XNode) -> Int? {
        guard let p = node.pointee._private else { return nil }
        return Int(bitPattern: p) - 1
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
                    let m = measure(content)
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
                var p = content
                while p.pointee != 0 { out.append(p.pointee); p += 1 }
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
                var p = c
                while p.pointee != 0 { out.append(p.pointee); p += 1 }
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
    func isInside(_ i: Int, _ anc: Int) -> Bool {
        var x = i
        while x >= 0 {
            if x == anc { return true }
            x = Int(elems[x].parent)
        }
        return false
    }
}

// MARK: text measuring

/// Characters (UTF-8 lead bytes, white space runs counted once, leading and trailing white space
/// not counted) and commas of a NUL-terminated text.
@inline(__always)
func measure(_ p0: UnsafeMutablePointer<UInt8>) -> (chars: Int32, commas: Int32) {
    var p = p0
    var chars: Int32 = 0
    var commas: Int32 = 0
    var pendingSpace = false
    while true {
        let b = p.pointee
        if b == 0 { break }
        if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
            pendingSpace = chars > 0
            p += 1
            continue
        }
        if b == 0xC2 && p[1] == 0xA0 {
            pendingSpace = chars > 0
            p += 2
            continue
        }
        if pendingSpace {
            chars += 1
            pendingSpace = false
        }
        if b & 0xC0 != 0x80 { chars += 1 }
        if b == 0x2C { commas += 1 }
        else if b == 0xEF && p[1] == 0xBC && p[2] == 0x8C { commas += 1 }     // ，
        else if b == 0xD8 && p[1] == 0x8C { commas += 1 }                     // ،
        else if b == 0xE3 && p[1] == 0x80 && p[2] == 0x81 { commas += 1 }     // 、
        p += 1
    }
    return (chars, commas)
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
