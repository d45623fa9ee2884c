// Boilerplate marking and readability-style content scoring on the indexed tree.

extension HTree {
    func isDead(_ i: Int) -> Bool { elems[i].flags & HFlag.dead != 0 }

    /// Marks boilerplate subtrees. `strict` uses every class/id name; otherwise only the sure signs
    /// (cookie banners, comments, navigation and sidebars by tag, hidden elements) count.
    mutating func markBoilerplate(strict: Bool) {
        // The aggregates leave dropped subtrees out: they change only when something was dropped.
        var hadDrops = false
        for i in elems.indices {
            if elems[i].flags & HFlag.dropped != 0 { hadDrops = true }
            elems[i].flags &= ~(HFlag.dropped | HFlag.dead | HFlag.headingOnly)
        }
        if hadDrops { aggregate() }
        let bodyLongP = root >= 0 ? elems[root].longPCount : 0
        for i in elems.indices {
            let e = elems[i]
            let p = Int(e.parent)
            if p >= 0 && elems[p].flags & HFlag.dead != 0 {
                elems[i].flags |= HFlag.dead
                continue
            }
            if e.tag == .body || e.tag == .html { continue }
            // Holds most of the page's paragraphs: a wrapper, whatever its name says (pages hidden
            // until a script reveals them, a form around everything).
            let bigWrapper = e.longPCount >= 1 && e.longPCount * 2 > bodyLongP
            var drop = e.flags & HFlag.hardDrop != 0 && !bigWrapper
            if !drop {
                let contentish = e.marks & (ClassMarks.okMaybe | ClassMarks.bodyMarker | ClassMarks.itemBody) != 0
                    || e.tag == .article || e.tag == .main
                let substantial = e.longPCount >= 2
                let quotation = e.quoteChars >= 40 && e.quoteChars * 10 >= e.chars * 6
                switch e.tag {
                case .figcaption:
                    drop = true
                case .nav, .aside, .footer, .form, .fieldset:
                    drop = !bigWrapper
                case .header:
                    // A header is out, except the heading it holds (the article title).
                    if !bigWrapper {
                        drop = e.headingChars == 0
                        elems[i].flags |= HFlag.headingOnly
                    }
                default:
                    if strict && e.marks & ClassMarks.header != 0 && !bigWrapper {
                        drop = e.headingChars == 0
                        elems[i].flags |= HFlag.headingOnly
                    }
                }
                if !drop && e.marks & ClassMarks.comment != 0 {
                    // Comment sections can hold more prose than the article: size protects nothing.
                    drop = !(e.tag == .article || e.tag == .main || e.marks & ClassMarks.itemBody != 0)
                } else if !drop && e.marks & ClassMarks.strongBoiler != 0 {
                    drop = !bigWrapper
                } else if !drop && strict && e.marks & ClassMarks.boiler != 0 {
                    drop = !(bigWrapper || quotation || (contentish && substantial)
                             || e.marks & (ClassMarks.bodyMarker | ClassMarks.itemBody) != 0)
                }
            }
            if drop { elems[i].flags |= HFlag.dropped | HFlag.dead }
        }
        aggregate()
    }

    /// Readability's initial score of a candidate container.
    private func baseScore(_ t: HTag) -> Float {
        switch t {
        case .div: return 5
        case .article, .main: return 5
        case .pre, .td, .blockquote: return 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: return -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: return -5
        default: return 0
        }
    }

    private mutating func touch(_ i: Int, weightClasses: Bool) {
        if elems[i].flags & HFlag.scored == 0 {
            elems[i].flags |= HFlag.scored
            elems[i].score = baseScore(elems[i].tag) + (weightClasses ? Float(elems[i].weight) : 0)
        }
    }

    /// Scores paragraphs into their ancestors and returns the best candidate container.
    mutating func scoreCandidates(weightClasses: Bool) -> Int {
        for i in elems.indices {
            elems[i].flags &= ~HFlag.scored
            elems[i].score = 0
        }
        for i in elems.indices where elems[i].flags & HFlag.dead == 0 {
            let e = elems[i]
            var len: Int32
            var commas: Int32
            var start: Int
            switch e.tag {
            case .p, .pre, .td:
                len = e.chars
                commas = e.commas
                start = Int(e.parent)
            case .li:
                // List items of prose (provisions, recommendations), not menus of links.
                if e.linkChars * 10 > e.chars * 3 { continue }
                len = e.chars
                commas = e.commas
                start = Int(e.parent)
            default:
                if e.tag.isInline || e.tag == .body || e.tag == .html || e.tag.isHeading { continue }
                len = e.inlineChars
                commas = e.inlineCommas
                start = e.flags & HFlag.hasBlockChild == 0 ? Int(e.parent) : i
            }
            if len < 25 || start < 0 { continue }
            let contentScore = 1 + Float(commas) + Float(min(len / 100, 3))
            var anc = start
            var level = 0
            while anc >= 0 && level < 5 {
                if elems[anc].tag == .html { break }
                touch(anc, weightClasses: weightClasses)
                let divider: Float = level == 0 ? 1 : (level == 1 ? 2 : Float(level * 3))
                elems[anc].score += contentScore / divider
                anc = Int(elems[anc].parent)
                level += 1
                ancestorSteps += 1
            }
        }
        var best = -1
        var bestScore: Float = -.infinity
        for i in elems.indices where elems[i].flags & HFlag.scored != 0 {
            elems[i].score *= (1 - linkDensity(i))
            if elems[i].score > bestScore && elems[i].tag != .body {
                bestScore = elems[i].score
                best = i
            }
        }
        return best
    }

    private func elementChildren(_ i: Int) -> [Int] {
        var out: [Int] = []
        var c = nodes[elems[i].node].firstChild
        while c >= 0 {
            if nodes[c].kind == .element, let k = index(of: c), !isDead(k) { out.append(k) }
            c = nodes[c].next
        }
        return out
    }

    /// Readability's choice of the article: the top candidate, moved up where its ancestors
    /// score as well, plus the siblings that look like content. Returns the containers to render.
    mutating func selectContent(top initial: Int, weightClasses: Bool) -> [Int] {
        guard root >= 0 else { return [] }
        var top = initial
        if top < 0 || top == root { return [root] }
        // Several near-best candidates sharing an ancestor: take that ancestor.
        var ranked = elems.indices.filter { elems[$0].flags & HFlag.scored != 0 && $0 != root }
        ranked.sort { elems[$0].score > elems[$1].score }
        let topScore = elems[top].score
        var alternatives: [Set<Int>] = []
        for c in ranked.prefix(5).dropFirst() where topScore > 0 && elems[c].score / topScore >= 0.75 {
            var anc = Set<Int>()
            var a = Int(elems[c].parent)
            while a >= 0 {
                anc.insert(a)
                a = Int(elems[a].parent)
                ancestorSteps += 1
            }
            alternatives.append(anc)
        }
        if alternatives.count >= 3 {
            var p = Int(elems[top].parent)
            while p >= 0 && p != root {
                let n = alternatives.filter { $0.contains(p) }.count
                if n >= 3 { top = p; break }
                p = Int(elems[p].parent)
                ancestorSteps += 1
            }
        }
        touch(top, weightClasses: weightClasses)
        // Move up while the parent scores better.
        var parent = Int(elems[top].parent)
        var lastScore = elems[top].score
        let threshold = lastScore / 3
        while parent >= 0 && parent != root && elems[parent].tag != .html {
            ancestorSteps += 1
            if elems[parent].flags & HFlag.scored == 0 {
                parent = Int(elems[parent].parent)
                continue
            }
            let ps = elems[parent].score
            if ps < threshold { break }
            if ps > lastScore {
                top = parent
                break
            }
            lastScore = ps
            parent = Int(elems[parent].parent)
        }
        // A lone child is its parent.
        parent = Int(elems[top].parent)
        while parent >= 0 && parent != root && elems[parent].tag != .html && elementChildren(parent).count == 1 {
            top = parent
            parent = Int(elems[top].parent)
            ancestorSteps += 1
        }
        // Siblings.
        parent = Int(elems[top].parent)
        if parent < 0 { return [top] }
        let finalTopScore = elems[top].score
        let siblingThreshold = max(10, finalTopScore * 0.2)
        var out: [Int] = []
        for s in elementChildren(parent) {
            if s == top { out.append(s); continue }
            var append = false
            let bonus: Float = sameClass(s, top) ? finalTopScore * 0.2 : 0
            if elems[s].flags & HFlag.scored != 0 && elems[s].score + bonus >= siblingThreshold {
                append = true
            } else if elems[s].tag == .p {
                let ld = linkDensity(s)
                let len = elems[s].chars
                if len > 80 && ld < 0.25 {
                    append = true
                } else if len < 80 && len > 0 && ld == 0 && endsSentence(s) {
                    append = true
                }
            }
            // Beyond readability: a block of plain prose or a list without links (an annex, a
            // list of provisions) is content too.
            if !append && elems[s].chars >= 100 && elems[s].linkChars * 4 < elems[s].chars
                && elems[s].weight >= 0 && !elems[s].tag.isInline {
                append = true
            }
            if append { out.append(s) }
        }
        // A heading just before an included sibling belongs to it.
        let children = elementChildren(parent)
        let included = Set(out)
        var withHeadings: [Int] = []
        var k = 0
        while k < children.count {
            let s = children[k]
            if included.contains(s) {
                withHeadings.append(s)
            } else if elems[s].tag.isHeading && elems[s].tag != .h1 {
                var j = k + 1
                while j < children.count && elems[children[j]].tag.isHeading { j += 1 }
                if j < children.count && included.contains(children[j]) { withHeadings.append(s) }
            }
            k += 1
        }
        return withHeadings
    }

    private func sameClass(_ a: Int, _ b: Int) -> Bool {
        guard let x = nodes.classValue(of: elems[a].node), let y = nodes.classValue(of: elems[b].node),
              !x.isEmpty else { return false }
        return x.elementsEqual(y)
    }

    /// The text has ". " somewhere or ends with ".".
    private func endsSentence(_ i: Int) -> Bool {
        var found = false
        var lastNonSpace: UInt8 = 0
        let top = elems[i].node
        var cur = nodes[top].firstChild
        while cur >= 0, !found {
            let n = nodes[cur]
            if n.kind == .text {
                var afterDot = false
                nodes.withContent(of: cur) {
                    runs.pieces(of: $0) { piece in
                        for b in piece {
                            if afterDot && b == 0x20 { found = true }
                            afterDot = b == 0x2E
                            if b != 0x20 && b != 0x0A && b != 0x09 { lastNonSpace = b }
                        }
                    }
                }
                if afterDot { found = true }
            }
            if n.kind == .element, n.firstChild >= 0 {
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
        return found || lastNonSpace == 0x2E
    }

    /// The page's h1 when it stands just before the chosen content, in the same article (its
    /// header), and the content has no h1 of its own.
    mutating func leadingTitle(for content: [Int]) -> Int? {
        guard let first = content.first, first != root else { return nil }
        var candidate = -1
        // Inside the content: a container or below one (parents come before their children).
        var inContent = [Bool](repeating: false, count: elems.count)
        for c in content { inContent[c] = true }
        for i in elems.indices {
            let p = Int(elems[i].parent)
            if p >= 0 && inContent[p] { inContent[i] = true }
            ancestorSteps += 1
            if elems[i].tag == .h1 && !isDead(i) {
                if inContent[i] { return nil }
                if i < first { candidate = i }
            }
        }
        guard candidate >= 0 else { return nil }
        var anc = Int(elems[first].parent)
        var level = 0
        while anc >= 0 && level < 4 {
            if isInside(candidate, anc) {
                if anc != root && elems[anc].tag != .html { return candidate }
                break
            }
            anc = Int(elems[anc].parent)
            level += 1
        }
        // Further away: only when it repeats the page title.
        let h = HTMLExtractor.collapse(text(of: candidate))
        let t = HTMLExtractor.collapse(titleText)
        if h.count >= 8, ClassMarks.find(t[...], h) != nil { return candidate }
        return nil
    }

    /// Readability's conditional cleaning: containers inside the article that look like
    /// boilerplate (link lists, image galleries, forms, embeds).
    func shouldClean(_ i: Int) -> Bool {
        let e = elems[i]
        switch e.tag {
        case .form, .fieldset, .table, .ul, .ol, .div, .section, .other, .header, .figure, .dl, .center, .details:
            break
        case .h1, .h2:
            return e.weight < 0 || linkDensity(i) > 0.33
        default:
            return false
        }
        if e.tag == .table && isDataTable(i) { return false }
        // A quotation (an embedded post, a pull quote) is content even with links in it.
        if e.quoteChars >= 40 && e.quoteChars * 10 >= e.chars * 6 && e.linkChars * 2 < e.chars { return false }
        let isList = e.tag == .ul || e.tag == .ol || e.tag == .dl
            || (e.chars > 0 && Float(e.liChars) / Float(e.chars) > 0.9)
        let weight = Float(e.weight)
        let contentScore = e.flags & HFlag.scored != 0 ? e.score : 0
        if weight + contentScore < 0 { return true }
        if e.commas < 10 {
            let p = Float(e.pCount)
            let img = Float(e.imgCount)
            let li = Float(e.liCount) - 100
            let input = Float(e.inputCount)
            let headingDensity = e.chars > 0 ? Float(e.headingChars) / Float(e.chars) : 0
            let ld = linkDensity(i)
            let len = e.chars
            let inFigure = e.tag == .figure
            if img > 1 && p / img < 0.5 && !inFigure { return true }
            if !isList && li > p { return true }
            if input > (p / 3).rounded(.down) { return true }
            if !isList && headingDensity < 0.9 && len < 25 && (img == 0 || img > 2) && !inFigure { return true }
            if !isList && weight < 25 && ld > 0.2 { return true }
            if weight >= 25 && ld > 0.5 { return true }
            if (e.embedCount == 1 && len < 75) || e.embedCount > 1 { return true }
        }
        return false
    }

    /// A table of data (rows of cells), not a layout grid holding paragraphs.
    func isDataTable(_ i: Int) -> Bool {
        let e = elems[i]
        return e.tableCount == 0 && e.bigCells == 0
    }
}
