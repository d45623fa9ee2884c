import CLibXML2

/// The parsed page, built from libxml2's SAX events into flat arrays: the same nodes, text
/// coalescing and line numbers as the tree libxml2's own SAX2 handler (xmlSAX2StartElement,
/// xmlSAX2Characters, ...) would build, without an xmlDoc to allocate, walk and free. The HTML
/// parser keeps its implied-tag and auto-close logic to itself, so the events carry the structure.
struct HNodes {
    enum Kind: UInt8 {
        case element, text, cdata
        case comment  // comments and processing instructions
        case dtd
    }

    struct Node {
        var kind: Kind
        var tag: HTag = .other
        var parent: Int32 = -1  // -1: the document
        var firstChild: Int32 = -1
        var lastChild: Int32 = -1
        var next: Int32 = -1
        var prev: Int32 = -1
        /// The line libxml2 records: 65535 for any line past that.
        var line: UInt16 = 0
        /// A text node's line past 65535 (libxml2 keeps it under XML_PARSE_BIG_LINES), else 0.
        var bigLine: Int32 = 0
        /// Text: its content in `bytes`. Element: its class attribute's value there (empty when none).
        var start: Int32 = 0
        var end: Int32 = 0
        var hasClass = false
        /// An element's attributes as the extractor reads them (see `HTree.readAttributes`).
        var weight: Int16 = 0
        var flags: UInt16 = 0
        var marks: UInt32 = 0
        /// Set while indexing: an element's index in `HTree.elems` (-1 when it has none); set
        /// before, by `measureTexts`: a text node's characters and commas (chars -1 when not measured).
        var elem: Int32 = -1
        var chars: Int32 = -1
        var commas: Int32 = 0
    }

    private(set) var nodes: [Node] = []
    /// Text contents and class values.
    private(set) var bytes: [UInt8] = []
    /// The document's first and last child.
    private(set) var docFirst: Int32 = -1
    private var docLast: Int32 = -1
    private var hasDTD = false
    /// The open elements, innermost last (libxml2's node stack).
    private var open: [Int32] = []
    private var scratch: [UInt8] = []

    /// `capacity`: the page's length; `expectedNodes`: how many nodes it makes, when known.
    init(capacity: Int, expectedNodes: Int? = nil) {
        // Else a node for every 8 bytes: the page libxml2 reads is mostly markup once its text runs
        // are replaced (capped: a page that kept its text grows the array as it needs).
        nodes.reserveCapacity(expectedNodes ?? max(64, min(capacity / 8, 1 << 16)))
        bytes.reserveCapacity(capacity / 2)
        open.reserveCapacity(64)
        scratch.reserveCapacity(256)
    }

    /// The root element: the document's first element child.
    var root: Int32 {
        var c = docFirst
        while c >= 0 && nodes[Int(c)].kind != .element { c = nodes[Int(c)].next }
        return c
    }

    subscript(_ i: Int32) -> Node { nodes[Int(i)] }

    mutating func setElem(_ n: Int32, _ i: Int) { nodes[Int(n)].elem = Int32(i) }

    /// Measures the text of every text and CDATA node whose parent may hold content (see
    /// `HTree.index`): one pass over the nodes, before the tree is indexed.
    mutating func measureTexts(_ runs: HTextRuns) {
        bytes.withUnsafeBufferPointer { bytes in
            nodes.withUnsafeMutableBufferPointer { nodes in
                for k in nodes.indices where nodes[k].kind == .text || nodes[k].kind == .cdata {
                    let parent = Int(nodes[k].parent)
                    guard parent >= 0, nodes[parent].kind == .element, !nodes[parent].tag.isSkipped else { continue }
                    let m = runs.measure(UnsafeBufferPointer(rebasing: bytes[Int(nodes[k].start)..<Int(nodes[k].end)]))
                    nodes[k].chars = m.chars
                    nodes[k].commas = m.commas
                }
            }
        }
    }

    // MARK: building (what libxml2's SAX2 tree builder does)

    private mutating func appendChild(_ n: Int32, to parent: Int32) {
        nodes[Int(n)].parent = parent
        if parent < 0 {
            if docLast >= 0 { nodes[Int(docLast)].next = n; nodes[Int(n)].prev = docLast } else { docFirst = n }
            docLast = n
            return
        }
        // (through a buffer pointer: one uniqueness check for the three or four links written)
        nodes.withUnsafeMutableBufferPointer { nodes in
            let last = nodes[Int(parent)].lastChild
            if last >= 0 { nodes[Int(last)].next = n; nodes[Int(n)].prev = last } else { nodes[Int(parent)].firstChild = n }
            nodes[Int(parent)].lastChild = n
        }
    }

    mutating func startElement(_ name: UnsafePointer<UInt8>?, _ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, line: Int) {
        var node = Node(kind: .element, tag: HTag.classify(name), line: UInt16(min(line, 65535)))
        // Only elements that can be content have their attributes read.
        if let atts, !node.tag.isSkipped { readAttributes(atts, into: &node) }
        let n = Int32(nodes.count)
        nodes.append(node)
        // xmlSAX2StartElement: the first node of the document is its root; with no element open,
        // a later element goes under the document's first child, or beside it (at the document's
        // level) when that is not an element, such as the DTD.
        if let parent = open.last {
            appendChild(n, to: parent)
        } else if docFirst >= 0 && nodes[Int(docFirst)].kind == .element {
            appendChild(n, to: docFirst)
        } else {
            appendChild(n, to: -1)
        }
        open.append(n)
    }

    mutating func endElement() {
        _ = open.popLast()
    }

    /// xmlSAX2Characters / xmlSAX2CDataBlock: text goes to the current element, joining its last
    /// child when that is text of the same kind.
    mutating func characters(_ ch: UnsafePointer<UInt8>, _ len: Int, kind: Kind, line: Int, bigLines: Bool) {
        guard let parent = open.last else { return }
        let last = nodes[Int(parent)].lastChild
        if last >= 0 && nodes[Int(last)].kind == kind {
            // Content stays contiguous: moved to the end of `bytes` should anything have come after
            // it (a start tag would have made an element the last child, so nothing does).
            if Int(nodes[Int(last)].end) != bytes.count {
                let content = Array(bytes[Int(nodes[Int(last)].start)..<Int(nodes[Int(last)].end)])
                nodes[Int(last)].start = Int32(bytes.count)
                bytes.append(contentsOf: content)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(start: ch, count: len))
            nodes[Int(last)].end = Int32(bytes.count)
            return
        }
        var node = Node(kind: kind)
        if kind == .text {
            node.line = UInt16(min(line, 65535))
            if line >= 65535 && bigLines { node.bigLine = Int32(line) }
        }
        node.start = Int32(bytes.count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: ch, count: len))
        node.end = Int32(bytes.count)
        let n = Int32(nodes.count)
        nodes.append(node)
        appendChild(n, to: parent)
    }

    /// xmlSAX2Comment / xmlSAX2ProcessingInstruction: under the current element, or at the
    /// document's level.
    mutating func comment(line: Int) {
        let n = Int32(nodes.count)
        nodes.append(Node(kind: .comment, line: UInt16(min(line, 65535))))
        appendChild(n, to: open.last ?? -1)
    }

    /// xmlSAX2InternalSubset: the DTD (one, the first), first child of the document.
    mutating func doctype() {
        guard !hasDTD else { return }
        hasDTD = true
        let n = Int32(nodes.count)
        nodes.append(Node(kind: .dtd))
        nodes[Int(n)].next = docFirst
        if docFirst >= 0 { nodes[Int(docFirst)].prev = n } else { docLast = n }
        docFirst = n
    }

    // MARK: attributes

    /// The attributes the extractor reads: class and id (class/id weight and marks), hidden,
    /// aria-hidden, style and role (hidden or navigation), itemprop; the class value is kept.
    private mutating func readAttributes(_ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>, into e: inout Node) {
        scratch.removeAll(keepingCapacity: true)
        var k = 0
        while let name = atts[k] {
            let value = atts[k + 1]
            k += 2
            guard name[0] != 0 else { continue }
            if !e.hasClass, let v = value, eq(name, "class") {
                e.hasClass = true
                e.start = Int32(bytes.count)
                var p = v
                while p.pointee != 0 { bytes.append(p.pointee); p += 1 }
                e.end = Int32(bytes.count)
            }
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

    // MARK: reading

    /// The line libxml2's xmlGetLineNo gives a node: a line past 65535 is looked for in a child or
    /// neighbour, at most five steps away.
    func lineNumber(_ n: Int32, depth: Int = 0) -> Int {
        if depth >= 5 || n < 0 { return -1 }
        let x = nodes[Int(n)]
        switch x.kind {
        case .element, .text, .comment:
            var result = -1
            if x.line == 65535 {
                if x.kind == .text && x.bigLine != 0 {
                    result = Int(x.bigLine)
                } else if x.kind == .element && x.firstChild >= 0 {
                    result = lineNumber(x.firstChild, depth: depth + 1)
                } else if x.next >= 0 {
                    result = lineNumber(x.next, depth: depth + 1)
                } else if x.prev >= 0 {
                    result = lineNumber(x.prev, depth: depth + 1)
                }
            }
            if result == -1 || result == 65535 { result = Int(x.line) }
            return result
        case .cdata, .dtd:
            if x.prev >= 0 {
                let k = nodes[Int(x.prev)].kind
                if k == .element || k == .text || k == .comment { return lineNumber(x.prev, depth: depth + 1) }
            }
            if x.parent >= 0 { return lineNumber(x.parent, depth: depth + 1) }
            return -1
        }
    }

    /// Calls `body` with the content of a text node.
    @inline(__always)
    func withContent<R>(of n: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let x = nodes[Int(n)]
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(x.start)..<Int(x.end)])) }
    }

    /// The class attribute's value of an element, nil when it has none.
    func classValue(of n: Int32) -> ArraySlice<UInt8>? {
        let x = nodes[Int(n)]
        return x.hasClass ? bytes[Int(x.start)..<Int(x.end)] : nil
    }

    // MARK: parsing

    /// Parses `page` (UTF-8) as htmlReadMemory(page, "UTF-8", options) would, with line numbers past
    /// 65,535 (XML_PARSE_BIG_LINES, which HTML options cannot ask for, set on the context).
    /// `expectedNodes`: room to make for the nodes, when the caller knows about how many there are.
    static func parse(_ page: UnsafeBufferPointer<UInt8>, options: Int32, expectedNodes: Int? = nil) -> HNodes? {
        var built = HNodes(capacity: page.count, expectedNodes: expectedNodes)
        let ok = page.withMemoryRebound(to: CChar.self) { p -> Bool in
            guard let ctxt = htmlCreateMemoryParserCtxt(p.baseAddress, Int32(p.count)) else { return false }
            defer { htmlFreeParserCtxt(ctxt) }
            _ = htmlCtxtUseOptions(ctxt, options)
            ctxt.pointee.options |= Int32(bitPattern: XML_PARSE_BIG_LINES.rawValue)
            if let utf8 = xmlFindCharEncodingHandler("UTF-8") { _ = xmlSwitchToEncoding(ctxt, utf8) }
            guard let sax = ctxt.pointee.sax else { return false }
            // No document: the events below build `built` instead.
            sax.pointee.startDocument = nil
            sax.pointee.endDocument = nil
            sax.pointee.startElement = { ctx, name, atts in
                HNodes.with(ctx) { $0.startElement(name, atts, line: HNodes.line(ctx)) }
            }
            sax.pointee.endElement = { ctx, _ in HNodes.with(ctx) { $0.endElement() } }
            sax.pointee.characters = { ctx, ch, len in
                guard let ch else { return }
                let big = HNodes.bigLines(ctx)
                HNodes.with(ctx) { $0.characters(ch, Int(len), kind: .text, line: HNodes.line(ctx), bigLines: big) }
            }
            sax.pointee.cdataBlock = { ctx, ch, len in
                guard let ch else { return }
                HNodes.with(ctx) { $0.characters(ch, Int(len), kind: .cdata, line: 0, bigLines: false) }
            }
            sax.pointee.comment = { ctx, _ in HNodes.with(ctx) { $0.comment(line: HNodes.line(ctx)) } }
            sax.pointee.processingInstruction = { ctx, _, _ in HNodes.with(ctx) { $0.comment(line: HNodes.line(ctx)) } }
            sax.pointee.internalSubset = { ctx, _, _, _ in HNodes.with(ctx) { $0.doctype() } }
            return withUnsafeMutablePointer(to: &built) { b -> Bool in
                ctxt.pointee._private = UnsafeMutableRawPointer(b)
                _ = htmlParseDocument(ctxt)
                ctxt.pointee._private = nil
                return true
            }
        }
        return ok ? built : nil
    }

    private static func context(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<xmlParserCtxt> {
        ctx!.assumingMemoryBound(to: xmlParserCtxt.self)
    }

    @inline(__always)
    private static func with(_ ctx: UnsafeMutableRawPointer?, _ body: (inout HNodes) -> Void) {
        body(&context(ctx).pointee._private!.assumingMemoryBound(to: HNodes.self).pointee)
    }

    /// The line the parser is on, as libxml2's tree builder records it (0 without line numbers).
    private static func line(_ ctx: UnsafeMutableRawPointer?) -> Int {
        let c = context(ctx)
        guard c.pointee.linenumbers != 0, let input = c.pointee.input else { return 0 }
        return Int(input.pointee.line)
    }

    private static func bigLines(_ ctx: UnsafeMutableRawPointer?) -> Bool {
        context(ctx).pointee.options & Int32(bitPattern: XML_PARSE_BIG_LINES.rawValue) != 0
    }
}
