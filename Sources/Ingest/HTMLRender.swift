import AssayCore

// Renders the chosen content containers into candidate blocks (recorded, not yet written), so
// that whole blocks can still be dropped once their text is known; the kept blocks are then
// replayed into a BlockWriter.

struct RBlock {
    var kind: Block.Kind
    var level: Int
    var src: Int
    var evStart: Int
    var evEnd: Int
    var chars = 0
    var linkChars = 0
    var elem: Int          // the element that opened the block (-1 when text opened it)
    var keep = true
}

struct REvent {
    /// `text`: bytes a..<b of the renderer's buffer; `sourceText`: of the page (a text node that is
    /// one run, not copied).
    enum Op: UInt8 { case text, sourceText, space, cell, emOn, emOff }
    var op: Op
    var a: Int32 = 0
    var b: Int32 = 0
    var src: Int = 0
}

struct HRenderer {
    var buf: [UInt8] = []
    /// The page the runs are in (alive as long as the renderer is used).
    private var source = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var events: [REvent] = []
    var blocks: [RBlock] = []
    private var open = -1
    private var pendingKind: Block.Kind = .paragraph
    private var pendingLevel = 0
    private var pendingSrc = -1
    private var pendingElem = -1
    private var linkDepth = 0
    private var liDepth = 0
    private var listDepth = 0
    private var headDepth = 0
    private var rowDepth = 0
    private var tableStack: [Bool] = []
    private var lastWasBr = false
    private var headingOnlyDepth = 0  // inside a header: only its h1 (the title) is text
    private var h1Depth = 0
    var cleaning = true

    init() {
        buf.reserveCapacity(1 << 14)
        events.reserveCapacity(1024)
        blocks.reserveCapacity(128)
    }

    var totalChars: Int { blocks.reduce(0) { $0 + ($1.keep ? $1.chars : 0) } }

    // MARK: walking

    mutating func render(_ tree: HTree, _ start: Int) {
        source = tree.runs.source
        let nodes = tree.nodes
        let top = tree.elems[start].node
        var cur = top
        while cur >= 0 {
            let n = nodes[cur]
            var entered = false
            if n.kind == .element {
                if let i = tree.index(of: cur), !tree.isDead(i), !(cleaning && i != start && tree.shouldClean(i)) {
                    enter(tree, i)
                    entered = true
                }
            } else if n.kind == .text || n.kind == .cdata {
                text(tree, cur)
            }
            if entered && n.firstChild >= 0 {
                cur = n.firstChild
                continue
            }
            var x = cur
            var leaving = entered
            cur = -1
            while true {
                if leaving, let i = tree.index(of: x) { leave(tree, i) }
                if x == top { break }
                if nodes[x].next >= 0 {
                    cur = nodes[x].next
                    break
                }
                let p = nodes[x].parent
                guard p >= 0 else { break }
                x = p
                leaving = true
            }
        }
        endBlock()
    }

    // MARK: events

    private var currentKind: Block.Kind { open >= 0 ? blocks[open].kind : pendingKind }

    private var tight: Bool {
        rowDepth > 0 || headDepth > 0 || (liDepth > 0 && currentKind == .listItem)
    }

    private mutating func push(_ op: REvent.Op, src: Int) {
        if op == .space || op == .cell {
            guard open >= 0 else { return }
        }
        events.append(REvent(op: op, src: src))
    }

    mutating func endBlock() {
        if open >= 0 {
            blocks[open].evEnd = events.count
            open = -1
        }
        pendingKind = .paragraph
        pendingLevel = 0
        pendingSrc = -1
        pendingElem = -1
    }

    private mutating func pend(_ kind: Block.Kind, level: Int, src: Int, elem: Int) {
        endBlock()
        pendingKind = kind
        pendingLevel = level
        pendingSrc = src
        pendingElem = elem
    }

    /// (The node's source offset, which takes a line lookup, is found only when it is used.)
    private mutating func text(_ tree: HTree, _ node: Int32) {
        if headingOnlyDepth > 0 && h1Depth == 0 { return }
        let m = tree.measure(of: node)
        if m.chars == 0 {
            if open >= 0 { push(.space, src: tree.sourceOffset(node)) }
            return
        }
        let src = tree.sourceOffset(node)
        if open < 0 {
            blocks.append(RBlock(kind: pendingKind, level: pendingLevel, src: pendingSrc >= 0 ? pendingSrc : src,
                                 evStart: events.count, evEnd: events.count, elem: pendingElem))
            open = blocks.count - 1
        }
        // A text that is one run of the page is referred to where it is; other text is copied.
        let start = buf.count
        var only = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var pieces = 0
        tree.nodes.withContent(of: node) {
            tree.runs.pieces(of: $0) { piece in
                pieces += 1
                if pieces == 1 {
                    only = piece
                    return
                }
                if pieces == 2 { buf.append(contentsOf: only) }
                buf.append(contentsOf: piece)
            }
        }
        if pieces == 1, let p = only.baseAddress, let s = source.baseAddress, p >= s, p < s + source.count {
            events.append(REvent(op: .sourceText, a: Int32(p - s), b: Int32(p - s + only.count), src: src))
        } else {
            if pieces == 1 { buf.append(contentsOf: only) }
            events.append(REvent(op: .text, a: Int32(start), b: Int32(buf.count), src: src))
        }
        blocks[open].chars += Int(m.chars)
        if linkDepth > 0 { blocks[open].linkChars += Int(m.chars) }
        lastWasBr = false
    }

    private mutating func genericEnter(_ src: Int, _ i: Int) {
        if tight {
            push(.space, src: src)
        } else {
            pend(.paragraph, level: 0, src: src, elem: i)
        }
    }

    private mutating func genericLeave(_ tree: HTree, _ node: Int32) {
        if tight {
            push(.space, src: tree.sourceOffset(node))
        } else {
            endBlock()
        }
    }

    private mutating func enter(_ tree: HTree, _ i: Int) {
        let t = tree.elems[i].tag
        if tree.elems[i].flags & HFlag.headingOnly != 0 { headingOnlyDepth += 1 }
        if t == .h1 { h1Depth += 1 }
        if t.isInline {
            if t == .a { linkDepth += 1 }
            if t.isEmphasis { push(.emOn, src: 0) }
            if t == .br {
                let src = tree.sourceOffset(tree.elems[i].node)
                if lastWasBr && !tight {
                    endBlock()
                } else {
                    push(.space, src: src)
                }
                lastWasBr = true
            }
            return
        }
        lastWasBr = false
        let src = tree.sourceOffset(tree.elems[i].node)
        switch t {
        case .table:
            let data = tree.isDataTable(i)
            tableStack.append(data)
            if data { if !tight { endBlock() } } else { genericEnter(src, i) }
        case .tr where tableStack.last == true:
            if rowDepth == 0 { pend(.tableRow, level: 0, src: src, elem: i) }
            rowDepth += 1
        case .td where tableStack.last == true && rowDepth > 0, .th where tableStack.last == true && rowDepth > 0:
            push(.cell, src: src)
        case .h1, .h2, .h3, .h4, .h5, .h6:
            if tight {
                push(.space, src: src)
            } else {
                pend(.heading, level: t.headingLevel, src: src, elem: i)
            }
            headDepth += 1
        case .li:
            if rowDepth > 0 || headDepth > 0 {
                push(.space, src: src)
            } else {
                pend(.listItem, level: max(listDepth, 1), src: src, elem: i)
            }
            liDepth += 1
        case .ul, .ol, .menu, .dl:
            genericEnter(src, i)
            listDepth += 1
        case .hr:
            if !tight { endBlock() }
        default:
            genericEnter(src, i)
        }
    }

    private mutating func leave(_ tree: HTree, _ i: Int) {
        let t = tree.elems[i].tag
        if tree.elems[i].flags & HFlag.headingOnly != 0 { headingOnlyDepth -= 1 }
        if t == .h1 { h1Depth -= 1 }
        if t.isInline {
            if t == .a { linkDepth -= 1 }
            if t.isEmphasis { push(.emOff, src: 0) }
            return
        }
        lastWasBr = false
        // (Leaving writes a space only in a tight context: the source offset is found for it alone.)
        let node = tree.elems[i].node
        switch t {
        case .table:
            let data = tableStack.popLast() ?? false
            if data { if !tight { endBlock() } } else { genericLeave(tree, node) }
        case .tr where tableStack.last == true:
            rowDepth -= 1
            if rowDepth == 0 { endBlock() }
        case .td where tableStack.last == true && rowDepth > 0, .th where tableStack.last == true && rowDepth > 0:
            break
        case .h1, .h2, .h3, .h4, .h5, .h6:
            headDepth -= 1
            if tight { push(.space, src: tree.sourceOffset(node)) } else { endBlock() }
        case .li:
            liDepth -= 1
            if rowDepth > 0 || headDepth > 0 {
                push(.space, src: tree.sourceOffset(node))
            } else {
                endBlock()
                if liDepth > 0 { pendingKind = .listItem; pendingLevel = max(listDepth, 1) }
            }
        case .ul, .ol, .menu, .dl:
            listDepth -= 1
            genericLeave(tree, node)
        case .hr:
            break
        default:
            genericLeave(tree, node)
        }
    }

    // MARK: block text

    /// The block's text, white space collapsed, at most `limit` bytes.
    func text(of b: RBlock, limit: Int = Int.max) -> [UInt8] {
        var out: [UInt8] = []
        appendText(of: b, to: &out, limit: limit)
        return out
    }

    /// Appends the block's text, white space collapsed, to `out` until it holds `limit` bytes:
    /// the bytes between white space go over as one piece.
    func appendText(of b: RBlock, to out: inout [UInt8], limit: Int = Int.max) {
        var space = false
        buf.withUnsafeBufferPointer { copied in
            for k in b.evStart..<b.evEnd {
                let ev = events[k]
                switch ev.op {
                case .text, .sourceText:
                    let t = chunk(ev, copied)
                    var j = 0
                    let end = t.count
                    while j < end {
                        let c = t[j]
                        if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C {
                            space = true
                            j += 1
                            continue
                        }
                        if c == 0xC2 && j + 1 < end && t[j + 1] == 0xA0 {
                            space = true
                            j += 2
                            continue
                        }
                        var w = j + 1
                        while w < end, !HRenderer.isCollapsible(t, w, end) { w += 1 }
                        // Words after single spaces go over with them (the space they would get) in
                        // one piece, while the piece stays under the limit.
                        let before = out.count + (space && !out.isEmpty ? 1 : 0)
                        while w + 1 < end, t[w] == 0x20, !HRenderer.isCollapsible(t, w + 1, end) {
                            var v = w + 2
                            while v < end, !HRenderer.isCollapsible(t, v, end) { v += 1 }
                            guard before + (v - j) < limit else { break }
                            w = v
                        }
                        if space && !out.isEmpty { out.append(0x20) }
                        space = false
                        // At least one byte after a space, as the limit is checked after each byte.
                        let n = min(w - j, max(1, limit - out.count))
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: t[j..<j + n]))
                        if out.count >= limit { return }
                        j = w
                    }
                case .space, .cell:
                    space = true
                default:
                    break
                }
            }
        }
    }

    /// The bytes of a text event (`copied`: the renderer's buffer).
    @inline(__always)
    private func chunk(_ ev: REvent, _ copied: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let range = Int(ev.a)..<Int(ev.b)
        return UnsafeBufferPointer(rebasing: ev.op == .sourceText ? source[range] : copied[range])
    }

    /// White space or a no-break space starts at `j`.
    @inline(__always)
    private static func isCollapsible(_ t: UnsafeBufferPointer<UInt8>, _ j: Int, _ end: Int) -> Bool {
        let c = t[j]
        return c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C || (c == 0xC2 && j + 1 < end && t[j + 1] == 0xA0)
    }

    // MARK: replay

    func write(into w: inout BlockWriter, titleBlock: Int?) {
        buf.withUnsafeBufferPointer { text in
            var k = 0
            for (bi, b) in blocks.enumerated() {
                while k < b.evStart {
                    replayEmphasis(events[k], &w)
                    k += 1
                }
                if b.keep {
                    w.begin(bi == titleBlock ? .title : b.kind, level: bi == titleBlock ? 0 : b.level, sourceOffset: b.src)
                    while k < b.evEnd {
                        let ev = events[k]
                        switch ev.op {
                        case .text, .sourceText: w.write(chunk(ev, text), sourceOffset: ev.src)
                        case .space: w.space(sourceOffset: ev.src)
                        case .cell: w.cellBreak(sourceOffset: ev.src)
                        case .emOn: w.beginEmphasis()
                        case .emOff: w.endEmphasis()
                        }
                        k += 1
                    }
                    w.end()
                } else {
                    while k < b.evEnd {
                        replayEmphasis(events[k], &w)
                        k += 1
                    }
                }
            }
            while k < events.count {
                replayEmphasis(events[k], &w)
                k += 1
            }
        }
    }

    private func replayEmphasis(_ ev: REvent, _ w: inout BlockWriter) {
        if ev.op == .emOn { w.beginEmphasis() } else if ev.op == .emOff { w.endEmphasis() }
    }
}
