// Patterns for what no gazetteer lists, all over the token array (no regular expressions):
//   - "Optional Protocol to the <treaty>"                         -> treaty (the protocol's key when known)
//   - "Article 19 of the Constitution", "Art. 25(a)", "section 295-C of the Pakistan Penal Code",
//     "295-C PPC"                                                 -> provision (instrument in attributes)
//   - "[Name] Act[,] YYYY", Ordinance / Code / Bill / Order, "Act XVI of 2012" -> law (no key)
//   - a known law followed by ", YYYY"                            -> the year joins the law's span
//   - "[Name] Foundation|Commission|...", "Ministry of ...", "Directorate General of ..." -> organization
//   - "18 December 1979", "December 1979", "28 September", "in 2016" -> date (attributes["value"])
//   - "By: First Last" on a line of its own                       -> person

import AssayCore

extension DocAnalysis {
    mutating func runPatterns() {
        protocols()
        provisions()
        knownLawYears()
        laws()
        organizations()
        if options.dates { dates() }
        if options.persons { bylines() }
    }

    @inline(__always) private func isPunct(_ i: Int, _ c: UInt8) -> Bool { i >= 0 && i < n && tokens[i].punct == c }
    @inline(__always) private func id(_ i: Int) -> Int32 { i >= 0 && i < n ? tokens[i].id : -3 }
    @inline(__always) private func usable(_ i: Int) -> Bool { i >= 0 && i < n && !tokens[i].has(.skip) }
    /// "Article"/"Art." (a provision head that is not a section head).
    @inline(__always) private func isArticleHead(_ i: Int) -> Bool { tokens[i].is(.provisionHead) && !tokens[i].is(.provisionSection) }

    // Kinds a pattern's span may take over, as sets made once (a set literal is built and hashed
    // at each use).
    static let placeDateProvision: Set<Entity.Kind> = [.place, .date, .provision]
    static let placePersonDate: Set<Entity.Kind> = [.place, .person, .date]

    /// The single entry of a mention (resolved, or its only candidate, or its first of `kinds`).
    func entryOf(_ m: Mention, kinds: Set<Entity.Kind>) -> Int? {
        if let e = m.entry { return e }
        return candidates(of: m).first { lex.entries[$0].kind.map(kinds.contains) ?? false }
    }

    // MARK: Optional protocols

    mutating func protocols() {
        let kOptional = kw.optional, kProtocol = kw.protocol_, kProtocols = kw.protocols
        for c in starts[.protocols] {
            let i = Int(c)
            guard tokens[i].id == kOptional && tokens[i].has(.capitalized) && owner[i] < 0 && usable(i) else { continue }
            let p = i + 1
            guard p < n, tokens[p].id == kProtocol || tokens[p].id == kProtocols, owner[p] < 0, sameLine(p) else { continue }
            let plural = tokens[p].id == kProtocols
            var begin = i
            var ordinal: Int?
            if i > 0, owner[i - 1] < 0, sameLine(i) {
                let w = tokens[i - 1].id
                if w == kw.first { ordinal = 1 } else if w == kw.second { ordinal = 2 } else if w == kw.third { ordinal = 3 }
                if ordinal != nil { begin = i - 1 }
            }
            var k = p + 1
            if k < n && (tokens[k].id == kw.to || tokens[k].id == kw.on) && sameLine(k) { k += 1 } else { continue }
            if k < n && tokens[k].id == kw.the && sameLine(k) { k += 1 }
            guard k < n, sameLine(k), let mi = ownerMention(k).map({ _ in Int(owner[k]) }), mentions[mi].first == k,
                  mentions[mi].type == .treaty || candidates(of: mentions[mi]).contains(where: { lex.entries[$0].kind == .treaty }),
                  let parent = entryOf(mentions[mi], kinds: [.treaty]) else { continue }
            let parentKey = lex.entries[parent].key
            var chosen: Int?
            if !plural {
                let cands = lex.protocols[parentKey] ?? []
                if let o = ordinal {
                    chosen = cands.first { lex.entries[$0].ordinal == o }
                } else if cands.count == 1 {
                    chosen = cands[0]
                } else {
                    // Told apart by the words that follow ("on the sale of children"), else the first protocol.
                    let lo = mentions[mi].last, hi = min(n, mentions[mi].last + 10)
                    let byCue = cands.filter { c in lex.cueWords[c].contains { containsPath($0, lo, hi, excluding: 0..<0) } }
                    if byCue.count == 1 { chosen = byCue[0] } else { chosen = cands.first { lex.entries[$0].ordinal == 1 } }
                }
            }
            let last = mentions[mi].last
            removeMention(mi)
            var m = Mention(first: begin, last: last, type: .treaty, origin: .pattern)
            m.protocolTo = Int32(parent)
            let idx = addMention(m)
            if let chosen { setEntry(idx, chosen) }
        }
    }

    // MARK: Provisions

    /// Gives a provision no gazetteer lists a key and label of its own.
    private mutating func makeName(_ idx: Int, key: String, label: String) {
        mentions[idx].madeName = Int32(madeNames.count)
        madeNames.append((key, label))
    }

    mutating func provisions() {
        let kOf = kw.of, kThe = kw.the, kConstitution = kw.constitution
        var next = 0  // a match resumes the scan after itself
        for c in starts[.provisions] {
            let i = Int(c)
            guard i >= next, tokens[i].is(.provisionHead), usable(i), canStart(at: i) else { continue }
            let head = (plural: tokens[i].is(.provisionPlural), section: tokens[i].is(.provisionSection), needsDot: tokens[i].is(.provisionNeedsDot))
            if let om = ownerMention(i), om.type != .place { continue }
            var k = i + 1
            if head.needsDot {
                guard isPunct(k, 0x2E), !tokens[k].has(.spaceBefore) else { continue }
                k += 1
            } else if isPunct(k, 0x2E) {
                continue
            }
            // "s." and "ss." need care: only with a number right after.
            guard k < n, sameLine(k), tokens[k].isWord, tokens[k].has(.hasDigit), CharClass.isDigit(text[Int(tokens[k].start)]) else { continue }
            if tokens[k].has(.hasLetter) && tokens[k].length > 4 { continue }
            let numFirst = k
            var display = tokenText(k)
            k += 1
            // Letter suffix: "295-C", "295C", "19-A".
            if k < n, tokens[k].isWord, tokens[k].has(.hasLetter), !tokens[k].has(.hasDigit), tokens[k].length <= 2,
               tokens[k].has(.hyphenBefore) || tokens[k].has(.splitBefore) {
                display += "-" + tokenText(k)
                k += 1
            }
            // Sub-paragraphs: "(a)", "(1)", "(2)(b)".
            while k + 2 < n, isPunct(k, 0x28), tokens[k + 1].isWord, tokens[k + 1].length <= 4, isPunct(k + 2, 0x29),
                  !tokens[k].has(.newlineBefore), tokens[k + 1].has(.hasDigit) || tokens[k + 1].has(.lowerStart) || tokens[k + 1].length <= 3 {
                if tokens[k + 1].has(.capitalized) && tokens[k + 1].length > 1 && !tokens[k + 1].has(.allUpper) { break }
                display += "(" + tokenText(k + 1) + ")"
                k += 3
            }
            // Lists and ranges after a plural head: "Articles 8 to 28", "sections 295-A, 295-B and 295-C".
            if head.plural {
                while k + 1 < n, sameLine(k + 1),
                      isPunct(k, 0x2C) || tokens[k].id == kw.and || tokens[k].id == kw.to || tokens[k].id == kw.or || isPunct(k, 0x2D),
                      tokens[k + 1].has(.hasDigit), CharClass.isDigit(text[Int(tokens[k + 1].start)]) {
                    k += 2
                    if k < n, tokens[k].has(.hyphenBefore) || tokens[k].has(.splitBefore), tokens[k].length <= 2, !tokens[k].has(.hasDigit) { k += 1 }
                }
                display = string(numFirst, k)
            }
            let numEnd = k
            // A gazetteer provision inside the number ("295-C").
            var provEntry: Int?
            var absorb: Set<Int> = []
            for mi in mentionsIn(numFirst, numEnd) where mentions[mi].type == .provision {
                provEntry = entryOf(mentions[mi], kinds: [.provision])
                absorb.insert(mi)
            }
            // The instrument.
            var inst: Int?
            var instKey: String?
            var end = numEnd
            if k < n, tokens[k].id == kOf, sameLine(k) {
                var k2 = k + 1
                if k2 < n && tokens[k2].id == kThe && sameLine(k2) { k2 += 1 }
                if k2 < n, sameLine(k2), owner[k2] >= 0 {
                    let mi = Int(owner[k2])
                    let mm = mentions[mi]
                    if mm.first == k2, let e = entryOf(mm, kinds: [.law, .treaty]) {
                        inst = e
                        instKey = lex.entries[e].key
                        end = mm.last
                        absorb.insert(mi)
                    } else if mm.first == k2, mm.type == .law || mm.type == .treaty {
                        end = mm.last   // a pattern-found law: no key
                        absorb.insert(mi)
                    }
                } else if k2 < n, sameLine(k2), tokens[k2].id == kConstitution, tokens[k2].has(.capitalized) {
                    instKey = options.constitutionKey
                    inst = instKey.flatMap { lex.keyIndex[$0] }
                    end = k2 + 1
                } else if k2 < n, sameLine(k2), tokens[k2].has(.capitalized),
                          tokens[k2].id == kw.covenant || tokens[k2].id == kw.convention || tokens[k2].id == kw.charter {
                    // "of the Covenant": the last treaty named before with that word in its label.
                    let word = tokenText(k2).lowercased()
                    for mm in mentions.reversed() where !mm.removed && mm.last <= i && mm.type == .treaty {
                        if let e = entryOf(mm, kinds: [.treaty]), lex.entries[e].label.lowercased().contains(word) {
                            inst = e
                            instKey = lex.entries[e].key
                            break
                        }
                    }
                    end = k2 + 1
                }
            } else if k < n, sameLine(k), let mm = ownerMention(k), mm.first == k, mm.acronym, mm.type == .law,
                      let e = entryOf(mm, kinds: [.law]) {
                // "295-C PPC"
                inst = e
                instKey = lex.entries[e].key
                end = mm.last
                absorb.insert(Int(owner[k]))
            }
            if instKey == nil, let pe = provEntry, let pi = lex.entries[pe].instrument {
                instKey = pi
                inst = lex.keyIndex[pi]
            }
            let capitalizedHead = tokens[i].has(.capitalized)
            if head.section {
                guard instKey != nil || provEntry != nil else { continue }
            } else {
                guard capitalizedHead || instKey != nil else { continue }
            }
            guard let remove = takeable(i, end, absorbable: DocAnalysis.placeDateProvision, allow: absorb) else { continue }
            for r in remove { removeMention(r) }
            var m = Mention(first: i, last: end, type: .provision, origin: .pattern)
            m.number = keepText(display)
            if let instKey { m.instrument = keepText(instKey) }
            let idx = addMention(m)
            let norm = Lexicon.normalizeNumber(display)
            if !head.plural {
                if let ik = instKey, let pe = lex.provisions[ik + "|" + norm] {
                    setEntry(idx, pe)
                } else if let pe = provEntry, instKey == nil || lex.entries[pe].instrument == instKey {
                    setEntry(idx, pe)
                } else if let ik = instKey, let inst {
                    let word = head.section ? "Section" : "Article"
                    makeName(idx, key: ik + "/" + (head.section ? "s-" : "art-") + norm, label: lex.entries[inst].label + ", " + word + " " + display)
                }
            }
            next = end
        }
        // "Article 9 of the Constitution ... and on Article 10-A": a bare article right after one of a
        // named instrument (same paragraph, within 30 tokens) belongs to that instrument.
        var lastWithInstrument: Int?
        for idx in mentions.indices where !mentions[idx].removed && mentions[idx].type == .provision {
            let m = mentions[idx]
            if m.instrument >= 0 { lastWithInstrument = idx; continue }
            guard let p = lastWithInstrument, m.first - mentions[p].last <= 30, m.origin == .pattern,
                  let inst = attributeText(mentions[p].instrument), let ie = lex.keyIndex[inst],
                  let number = attributeText(m.number), isArticleHead(m.first) && isArticleHead(mentions[p].first),
                  !(mentions[p].last..<m.first).contains(where: { tokens[$0].has(.blankBefore) }) else { continue }
            mentions[idx].instrument = mentions[p].instrument
            let norm = Lexicon.normalizeNumber(number)
            if let pe = lex.provisions[inst + "|" + norm] {
                setEntry(idx, pe)
            } else if tokens[m.first].is(.provisionHead) && !tokens[m.first].is(.provisionPlural) {
                makeName(idx, key: inst + "/art-" + norm, label: lex.entries[ie].label + ", Article " + number)
            }
        }
        // A known provision written with its instrument's acronym after it: "295-C PPC".
        for idx in mentions.indices where !mentions[idx].removed && mentions[idx].type == .provision && mentions[idx].origin == .gazetteer {
            let m = mentions[idx]
            guard m.last < n, sameLine(m.last), let next = ownerMention(m.last), next.first == m.last, next.acronym,
                  let e = entryOf(m, kinds: [.provision]), let inst = lex.entries[e].instrument,
                  entryOf(next, kinds: [.law]).map({ lex.entries[$0].key }) == inst else { continue }
            let ni = Int(owner[m.last])
            let last = next.last
            removeMention(ni)
            for t in m.last..<last { owner[t] = Int32(idx) }
            mentions[idx].last = last
            mentions[idx].end = Int(tokens[last - 1].end)
        }
    }

    // MARK: Laws

    /// A known law followed by ", YYYY": the year becomes part of the mention; a year that is not the
    /// law's is a fact to check.
    mutating func knownLawYears() {
        for idx in mentions.indices where !mentions[idx].removed && mentions[idx].type == .law {
            let m = mentions[idx]
            var k = m.last
            if k < n && isPunct(k, 0x2C) && sameLine(k) { k += 1 }
            guard k < n, sameLine(k), owner[k] < 0, let y = isYear(k), canEnd(after: k) else { continue }
            if let e = entryOf(m, kinds: [.law]), lex.entries[e].fact("year") == nil { continue }
            for t in m.last...k { owner[t] = Int32(idx) }
            mentions[idx].last = k + 1
            mentions[idx].end = Int(tokens[k].end)
            mentions[idx].year = Int32(y)
        }
    }

    mutating func laws() {
        let kOf = kw.of, kNo = kw.no
        for c in starts[.laws] {
            let h = Int(c)
            guard tokens[h].is(.lawHead) && tokens[h].has(.capitalized) && !tokens[h].has(.allUpper) && usable(h) && owner[h] < 0 else { continue }
            // The year: "Act 2016", "Act, 2016", "Act XVI of 2012", "Act No. XVI of 2012".
            var k = h + 1
            var year: Int?
            var end = h + 1
            var numbered = false
            if k < n && isPunct(k, 0x2C) && sameLine(k) { k += 1 }
            if let y = isYear(k), sameLine(k), owner[k] < 0, canEnd(after: k) {
                year = y
                end = k + 1
            } else {
                k = h + 1
                if k + 1 < n && tokens[k].id == kNo && isPunct(k + 1, 0x2E) { k += 2 }
                if k + 2 < n, sameLine(k), tokens[k].isWord, tokens[k].has(.allUpper) || number(k) != nil,
                   AcronymFinder.isRomanNumeral(tokenText(k)) || number(k) != nil,
                   tokens[k + 1].id == kOf, let y = isYear(k + 2) {
                    year = y
                    end = k + 3
                    numbered = true
                }
            }
            guard let year else { continue }
            // The name before the head.
            var begin = h
            var names = 0
            var j = h - 1
            var steps = 0
            while j >= 0 && steps < 16 && sameLine(j + 1) && usable(j) {
                steps += 1
                let t = tokens[j]
                if t.punct == 0x29 {  // ")" : take a parenthesized part "(Protection of Rights)"
                    var o = j - 1
                    while o >= 0 && j - o <= 8 && !isPunct(o, 0x28) && tokens[o].isWord && sameLine(o + 1) { o -= 1 }
                    guard o >= 0, isPunct(o, 0x28), j - o >= 2 else { break }
                    begin = o
                    j = o - 1
                    continue
                }
                if !t.isWord || t.has(.possessive) && j != h - 1 { break }
                if t.has(.capitalized) && !t.is(.stopLeft) && !(t.has(.allUpper) && t.length > 1 && !t.has(.hasDigit)) {
                    if let om = ownerMention(j), om.type != .place && om.type != .person { break }
                    begin = j
                    names += 1
                } else if t.is(.connector) && !t.has(.capitalized) && t.id != kw.the && t.id != kw.to {
                    // a connector inside the name; kept only if a capitalized word comes before it
                } else {
                    break
                }
                j -= 1
            }
            if isPunct(begin, 0x28) { begin += 1 }
            guard names > 0 || numbered else { continue }
            guard let remove = takeable(begin, end, absorbable: DocAnalysis.placePersonDate) else { continue }
            for r in remove { removeMention(r) }
            var m = Mention(first: begin, last: end, type: .law, origin: .pattern)
            m.year = Int32(year)
            addMention(m)
        }
    }

    // MARK: Organizations

    mutating func organizations() {
        let kGeneral = kw.general, kThe = kw.the, kAnd = kw.and
        let kOf = kw.of, kFor = kw.for_, kOn = kw.on, kAgainst = kw.against, kTo = kw.to
        func ofLike(_ id: Int32) -> Bool { id == kOf || id == kFor || id == kOn || id == kAgainst || id == kTo }
        for c in starts[.organizations] {
            let h = Int(c)
            guard tokens[h].is(.head) && tokens[h].has(.capitalized) && !tokens[h].has(.allUpper)
                && !tokens[h].has(.capsLine) && usable(h) && owner[h] < 0 && canStart(at: h) else { continue }
            // Right: "General", then "of/for/on/against/to" + a capitalized name.
            var end = h + 1
            if end < n, tokens[end].id == kGeneral, tokens[end].has(.capitalized), sameLine(end), owner[end] < 0 { end += 1 }
            var hasRight = false
            if end + 1 < n, ofLike(tokens[end].id), !tokens[end].has(.capitalized), sameLine(end), sameLine(end + 1) {
                var k = end + 1
                if tokens[k].id == kThe, k + 1 < n, sameLine(k + 1) { k += 1 }
                if tokens[k].isWord, tokens[k].has(.capitalized), !tokens[k].is(.stopLeft) || tokens[k].id == kThe {
                    var last = end
                    var j = end + 1
                    while j < n, sameLine(j), usable(j) {
                        let t = tokens[j]
                        if t.isWord && t.has(.capitalized) {
                            if let om = ownerMention(j), om.type != .place { break }
                            last = j
                        } else if t.isWord && t.is(.connector) {
                            // "and", "of", "&", "the", "for", "on" inside the name
                        } else if t.punct == 0x26 {
                            // "&"
                        } else if t.punct == 0x2C {
                            // A comma continues only a list closed by "and <Name>": "Law, Parliamentary Affairs, and Human Rights".
                            var q = j + 1
                            var closed = false
                            while q + 1 < n, sameLine(q), q - j < 12 {
                                let u = tokens[q]
                                if u.id == kAnd { closed = tokens[q + 1].has(.capitalized) && sameLine(q + 1); break }
                                if !(u.isWord && u.has(.capitalized)) && u.punct != 0x2C && !u.is(.connector) { break }
                                q += 1
                            }
                            if !closed { break }
                        } else {
                            break
                        }
                        j += 1
                    }
                    if last > end {
                        end = last + 1
                        hasRight = true
                    }
                }
            }
            if tokens[h].is(.headNeedsOf) && !hasRight { continue }
            // Left: capitalized words ("Aurat Foundation", "Woman Parliamentary Caucus").
            var begin = h
            var j = h - 1
            var count = 0
            while j >= 0 && count < 6 && sameLine(j + 1) && usable(j) {
                let t = tokens[j]
                // "Securities and Exchange Commission": "and" / "&" between capitalized words.
                if (t.id == kAnd && !t.has(.capitalized) || t.punct == 0x26) && begin < h, j > 0, sameLine(j),
                   tokens[j - 1].isWord, tokens[j - 1].has(.capitalized), !tokens[j - 1].has(.allUpper),
                   !tokens[j - 1].is(.stopLeft), owner[j - 1] < 0 || ownerMention(j - 1)?.type == .place {
                    j -= 1
                    continue
                }
                guard t.isWord, t.has(.capitalized), !t.has(.possessive), !t.is(.stopLeft) else { break }
                if t.has(.allUpper) && t.length > 1 { break }
                if let om = ownerMention(j), om.type != .place { break }
                if j > 0 && (t.has(.hyphenBefore) || t.has(.splitBefore)) { break }
                begin = j
                count += 1
                j -= 1
            }
            guard begin < h || hasRight else { continue }
            // Trim trailing connectors.
            while end - 1 > h && (tokens[end - 1].is(.connector) || isPunct(end - 1, 0x2C)) { end -= 1 }
            guard canEnd(after: end - 1), canStart(at: begin) else { continue }
            guard let remove = takeable(begin, end, absorbable: DocAnalysis.placePersonDate) else { continue }
            for r in remove { removeMention(r) }
            addMention(Mention(first: begin, last: end, type: .organization, origin: .pattern))
        }
    }

    // MARK: Dates

    mutating func dates() {
        var next = 0  // a match resumes the scan after itself
        for c in starts[.dates] {
            let i = Int(c)
            guard i >= next, owner[i] < 0, usable(i), tokens[i].isWord else { continue }
            var value: FactDate?
            var end = i
            if let d = number(i), (1...31).contains(d), tokens[i].length <= 2 {
                // "18 December 1979", "12th April 1996", "28 September"
                var k = i + 1
                if k < n, tokens[k].is(.ordinalSuffix), tokens[k].has(.splitBefore) { k += 1 }
                guard k < n, sameLine(k), tokens[k].is(.month), tokens[k].has(.capitalized), owner[k] < 0 else { continue }
                let m = tokens[k].month
                var y: Int?
                var k2 = k + 1
                if isPunct(k2, 0x2E) && tokens[k].length <= 4 { k2 += 1 }
                if isPunct(k2, 0x2C) { k2 += 1 }
                if let yy = isYear(k2), sameLine(k2), owner[k2] < 0, canEnd(after: k2) { y = yy; end = k2 + 1 } else { end = k + 1 }
                value = FactDate(year: y, month: m, day: d)
            } else if tokens[i].is(.month), tokens[i].has(.capitalized), !tokens[i].has(.allUpper) || tokens[i].length > 3 {
                let m = tokens[i].month
                // "December 18, 1979", "December 1979", "September 28"
                var k = i + 1
                if isPunct(k, 0x2E) && tokens[i].length <= 4 { k += 1 }
                guard k < n, sameLine(k), owner[k] < 0 else { continue }
                if let y = isYear(k), canEnd(after: k) {
                    value = FactDate(year: y, month: m, day: nil)
                    end = k + 1
                } else if let d = number(k), (1...31).contains(d), tokens[k].length <= 2 {
                    var k2 = k + 1
                    if k2 < n, tokens[k2].is(.ordinalSuffix), tokens[k2].has(.splitBefore) { k2 += 1 }
                    var k3 = k2
                    if isPunct(k3, 0x2C) { k3 += 1 }
                    if let y = isYear(k3), sameLine(k3), owner[k3] < 0, canEnd(after: k3) {
                        value = FactDate(year: y, month: m, day: d)
                        end = k3 + 1
                    } else {
                        if m == 5 { continue }  // "May 3" is too often a verb and a number
                        value = FactDate(year: nil, month: m, day: d)
                        end = k2
                    }
                } else {
                    continue
                }
            } else if let y = isYear(i), i > 0, tokens[i - 1].is(.yearIntro), sameLine(i),
                      canEnd(after: i), !(i + 1 < n && (tokens[i + 1].id == kw.s && tokens[i + 1].has(.joined))) {
                // "in 2016", "since 2010": the year alone, when a preposition introduces it.
                if i + 1 < n, isPunct(i + 1, 0x2D) || isPunct(i + 1, 0x2F), !tokens[i + 1].has(.spaceBefore) { continue }
                value = FactDate(year: y, month: nil, day: nil)
                end = i + 1
            }
            guard let value else { continue }
            var m = Mention(first: i, last: end, type: .date, origin: .pattern)
            m.value = value
            addMention(m)
            next = end
        }
    }

    // MARK: Bylines

    mutating func bylines() {
        let kBy = kw.by
        for c in starts[.bylines] {
            let i = Int(c)
            guard tokens[i].id == kBy && tokens[i].has(.capitalized) && (i == 0 || tokens[i].has(.newlineBefore)) && usable(i) else { continue }
            var k = i + 1
            if isPunct(k, 0x3A) { k += 1 }
            let s = k
            while k < n, sameLine(k), tokens[k].isWord, tokens[k].has(.capitalized), !tokens[k].has(.allUpper), owner[k] < 0, k - s < 5 { k += 1 }
            guard k - s >= 2, k - s <= 4, k >= n || !sameLine(k) || isPunct(k, 0x2C) else { continue }
            var m = Mention(first: s, last: k, type: .person, origin: .pattern)
            m.byline = true
            addMention(m)
        }
    }
}
