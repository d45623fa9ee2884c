import AssayCore
import CLibXML2

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
    enum Op: UInt8 { case text, space, cell, emOn, emOff }
    var op: Op
    var a: Int32 = 0
    var b: Int32 = 0
    var src: Int = 0
}

struct HRenderer {
    var buf: [UInt8] = []
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
    }

    var totalChars: Int { blocks.reduce(0) { $0 + ($1.keep ? $1.chars : 0) } }

    // MARK: walking

    mutating func render(_ tree: HTree, _ start: Int) {
        let top = tree.elems[start].node
        var cur: XNode? = top
        while let n = cur {
            var entered = false
            let type = n.pointee.type
            if type == XML_ELEMENT_NODE {
                if let i = HTree.index(of: n), !tree.isDead(i), !(cleaning && i != start && tree.shouldClean(i)) {
                    enter(tree, i)
                    entered = true
                }
            } else if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE {
                if let c = n.pointee.content { text(n, c, tree.runs, src: tree.sourceOffset(n)) }
            }
            if entered, let c = n.pointee.children {
                cur = c
                continue
            }
            var x = n
            var leaving = entered
            cur = nil
            while true {
                if leaving, let i = HTree.index(of: x) { leave(tree, i) }
                if x == top { break }
                if let nx = x.pointee.next {
                    cur = nx
                    break
                }
                guard let p = x.pointee.parent else { break }
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

    private mutating func text(_ node: XNode, _ c: UnsafeMutablePointer<UInt8>, _ runs: HTextRuns, src: Int) {
        if headingOnlyDepth > 0 && h1Depth == 0 { return }
        let m = HTree.measure(of: node) ?? runs.measure(c)
        if m.chars == 0 {
            if open >= 0 { push(.space, src: src) }
            return
        }
        if open < 0 {
            blocks.append(RBlock(kind: pendingKind, level: pendingLevel, src: pendingSrc >= 0 ? pendingSrc : src,
                                 evStart: events.count, evEnd: events.count, elem: pendingElem))
            open = blocks.count - 1
        }
        let start = buf.count
        runs.pieces(of: c) { buf.append(contentsOf: $0) }
        events.append(REvent(op: .text, a: Int32(start), b: Int32(buf.count), src: src))
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

    private mutating func genericLeave(_ src: Int) {
        if tight {
            push(.space, src: src)
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
        let src = tree.sourceOffset(tree.elems[i].node)
        switch t {
        case .table:
            let data = tableStack.popLast() ?? false
            if data { if !tight { endBlock() } } else { genericLeave(src) }
        case .tr where tableStack.last == true:
            rowDepth -= 1
            if rowDepth == 0 { endBlock() }
        case .td where tableStack.last == true && rowDepth > 0, .th where tableStack.last == true && rowDepth > 0:
            break
        case .h1, .h2, .h3, .h4, .h5, .h6:
            headDepth -= 1
            if tight { push(.space, src: src) } else { endBlock() }
        case .li:
            liDepth -= 1
            if rowDepth > 0 || headDepth > 0 {
                push(.space, src: src)
            } else {
                endBlock()
                if liDepth > 0 { pendingKind = .listItem; pendingLevel = max(listDepth, 1) }
            }
        case .ul, .ol, .menu, .dl:
            listDepth -= 1
            genericLeave(src)
        case .hr:
            break
        default:
            genericLeave(src)
        }
    }

    // MARK: block text

    /// The block's text, white space collapsed, at most `limit` bytes.
    func text(of b: RBlock, limit: Int = Int.max) -> [UInt8] {
        var out: [UInt8] = []
        var space = false
        for k in b.evStart..<b.evEnd {
            let ev = events[k]
            switch ev.op {
            case .text:
                var j = Int(ev.a)
                while j < Int(ev.b) {
                    let c = buf[j]
                    if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C {
                        space = true
                    } else if c == 0xC2 && j + 1 < Int(ev.b) && buf[j + 1] == 0xA0 {
                        space = true
                        j += 1
                    } else {
                        if space && !out.isEmpty { out.append(0x20) }
                        space = false
                        out.append(c)
                        if out.count >= limit { return out }
                    }
                    j += 1
                }
            case .space, .cell:
                space = true
            default:
                break
            }
        }
        return out
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
                        case .text: w.write(UnsafeBufferPointer(rebasing: text[Int(ev.a)..<Int(ev.b)]), sourceOffset: ev.src)
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
