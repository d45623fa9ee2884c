// Fact checks: a sentence that states a date for a known treaty or law ("adopted by the United
// Nations General Assembly in 1979 and entering into force in 1981, CEDAW ..."; "the ICCPR, adopted
// in 1966"; "Pakistan ratified the CRC on 12 November 1990") is compared with the gazetteer at the
// precision the text states (a year against a full date compares the year). A value other public
// sources also give (`alsoSeen`) is a known misquote: reported as info, not as an error.

import AssayCore

extension DocAnalysis {
    enum FactKind {
        case adopted, inForce, ratification, signature, lawDate, founded

        /// The gazetteer facts a statement of this kind is compared with.
        var factNames: [String] {
            switch self {
            case .adopted: return ["adopted"]
            case .inForce: return ["inForce"]
            case .ratification: return ["pkRatification"]
            case .signature: return ["pkSignature"]
            case .lawDate: return []
            case .founded: return ["founded"]
            }
        }

        var wording: String {
            switch self {
            case .adopted: return "adopted"
            case .inForce: return "entered into force"
            case .ratification: return "ratified (or acceded to) by Pakistan"
            case .signature: return "signed by Pakistan"
            case .lawDate: return "enacted"
            case .founded: return "founded"
            }
        }

        var needsPakistan: Bool { self == .ratification || self == .signature }
    }

    /// Whether a new sentence starts at token i (after ". ? !" unless an abbreviation, or at a line
    /// break unless the text runs on in lower case).
    @inline(__always)
    func isSentenceStart(_ i: Int) -> Bool {
        guard i > 0 else { return false }
        let t = tokens[i], p = tokens[i - 1]
        if p.punct == 0x2E || p.punct == 0x3F || p.punct == 0x21 {
            let abbrev = i >= 2 && tokens[i - 2].is(.abbreviation) && tokens[i - 2].length <= 5 && !p.has(.spaceBefore)
            return (t.has(.capitalized) || t.has(.newlineBefore) || !t.isWord) && !(abbrev && !t.has(.newlineBefore))
        } else if t.has(.newlineBefore) || t.has(.tabBefore) {
            // A line break ends a sentence unless the text runs on in lower case ("Adopted\n\nby ...").
            return !t.has(.lowerStart) || p.punct == 0x3A
        }
        return false
    }

    /// The first token of the sentence of token i (sentences are told apart by it). The last answer
    /// is kept (`lastSentence`) and a walk back stops at its token: the statements come in text
    /// order, so a long sentence is walked once whatever the number of statements in it (linear in
    /// the text, with no table the size of the text to fill).
    mutating func sentenceStart(_ i: Int) -> Int {
        let (known, knownStart) = lastSentence
        var k = i
        while k > 0 && k != known && !isSentenceStart(k) {
            k -= 1
            workSteps += 1
        }
        let start = k == known ? knownStart : k
        lastSentence = (i, start)
        return start
    }

    /// The first token after token i that starts a sentence (n when none). The last answer is kept
    /// (`nextSentence`): the statements come in text order, so the walks forward over a long
    /// sentence are made once whatever the number of statements in it.
    mutating func sentenceEnd(after i: Int) -> Int {
        if nextSentence.after <= i && i < nextSentence.start { return nextSentence.start }
        var k = i + 1
        while k < n && !isSentenceStart(k) {
            k += 1
            workSteps += 1
        }
        nextSentence = (i, k)
        return k
    }

    /// A fact statement's verb at token i ("adopted", "entered into force", "ratified", ...) and the
    /// token after it.
    @inline(__always)
    private func trigger(at i: Int) -> (FactKind, Int)? {
        guard let code = tokens[i].triggerCode else { return nil }
        switch code {
        case 0: return (.adopted, i + 1)
        case 1:
            // "into force" / "into effect" after entered, entering, entry, came, ...
            guard i > 0, i + 1 < n, tokens[i + 1].is(.forceWord), tokens[i - 1].is(.enterWord) else { return nil }
            return (.inForce, i + 2)
        case 2: return (.ratification, i + 1)
        case 3: return (.signature, i + 1)
        case 4: return (.lawDate, i + 1)
        case 5: return (.founded, i + 1)
        default: return nil
        }
    }

    mutating func checkFacts() {
        // Statements need a trigger word ("adopted", "ratified", ...): without one, only the years
        // written into law names are checked.
        var anyTrigger = false
        for t in tokens where t.is(.factTrigger) && !t.has(.skip) { anyTrigger = true; break }
        if anyTrigger { checkStatedFacts() }
        checkLawYears()
    }

    private mutating func checkStatedFacts() {
        // Sentences are found around the statements that give a date (a sentence is told apart by
        // its first token): no pass over the whole text, and no walk for a mention no dated
        // statement is near.
        var tables: (dateAt: DatesByToken, pakistanAt: [Int], withFacts: FactMentions)?
        for c in starts[.factChecks] {
            let i = Int(c)
            guard !tokens[i].has(.skip), let (kind, after) = trigger(at: i) else { continue }
            // "has not ratified", "is yet to ratify"
            var negated = false
            for k in max(0, i - 3)..<i where tokens[k].is(.negation) { negated = true }
            if negated { continue }
            if tables == nil {
                // Dates by first token, and the mentions a statement may be about, in text order.
                var dateAt = DatesByToken()
                for mi in mentions.indices where !mentions[mi].removed && mentions[mi].type == .date {
                    if let d = mentions[mi].value, d.year != nil { dateAt.items.append((mentions[mi].first, mi)) }
                }
                dateAt.finish()
                // No statement without a date.
                if dateAt.items.isEmpty { return }
                // Where Pakistan is named, sorted (bisected below). By entry, not by key string (a
                // key made for a provision holds a "/": never "pakistan").
                var pakistanAt: [Int] = []
                if let pakistan = lex.keyIndex["pakistan"] {
                    for mi in mentions.indices where !mentions[mi].removed && mentions[mi].entry == pakistan {
                        pakistanAt.append(mentions[mi].first)
                    }
                }
                pakistanAt.sort()
                // Treaties, laws and organizations with facts.
                var withFacts = FactMentions()
                for mi in mentions.indices where !mentions[mi].removed {
                    let type = mentions[mi].type
                    guard type == .treaty || type == .law || type == .organization, let e = mentions[mi].entry, !lex.entries[e].facts.isEmpty else { continue }
                    withFacts.items.append((mentions[mi].first, mentions[mi].last, mi))
                }
                withFacts.finish()
                tables = (dateAt, pakistanAt, withFacts)
            }
            let (dateAt, pakistanAt, withFacts) = tables!
            // Active voice with another object: "the Committee adopted a general recommendation in 2017".
            if after < n {
                let nx = tokens[after].id
                if nx == kw.a || nx == kw.an || nx == kw.its { continue }
                if nx == kw.the, after + 1 < n {
                    guard let om = ownerMention(after + 1), om.first == after + 1, om.type == .treaty || om.type == .law else { continue }
                }
            }
            // The date: after the trigger (up to 14 tokens), else before it (up to 12), in the sentence.
            let near = dateAt.window(i - 12, after + 14)
            var dateMention: Int?
            var k = after
            var same = true  // no sentence starts in (i, k]
            var q = i + 1
            while q <= after && q < n { if isSentenceStart(q) { same = false; break }; q += 1 }
            while k < n && k - after < 14 && same {
                if let d = dateAt.mention(at: k, among: near) { dateMention = d; break }
                if k != i, trigger(at: k) != nil { break }
                k += 1
                if k < n && isSentenceStart(k) { same = false }
            }
            if dateMention == nil {
                k = i - 1
                same = !isSentenceStart(i)  // no sentence starts in (k, i]
                while k >= 0 && i - k <= 12 && same {
                    if let d = dateAt.mention(at: k, among: near), mentions[d].last <= i { dateMention = d; break }
                    if trigger(at: k) != nil { break }
                    same = !isSentenceStart(k)
                    k -= 1
                }
            }
            guard let dm = dateMention, let stated = mentions[dm].value else { continue }
            // The statement's sentence: tokens [start, end).
            let sentence = sentenceStart(i)..<sentenceEnd(after: i)
            if kind.needsPakistan && !DocAnalysis.sortedContains(pakistanAt, in: sentence) { continue }
            // The thing: the nearest treaty or law with facts in the sentence.
            var best: Int?
            var bestDistance = Int.max
            for mi in factMentions(near: i, in: sentence, withFacts) {
                let m = mentions[mi]
                guard (m.type == .organization) == (kind == .founded) else { continue }
                let distance = m.last <= i ? i - m.last : max(0, m.first - i)
                if distance < bestDistance || (distance == bestDistance && m.last <= i) {
                    best = mi
                    bestDistance = distance
                }
            }
            guard let mi = best, bestDistance <= DocAnalysis.maxFactDistance, let e = mentions[mi].entry else { continue }
            compare(entry: e, kind: kind, stated: stated, mention: mi, dateMention: dm)
        }
    }

    /// Whether the sorted list holds a value in `range`.
    static func sortedContains(_ a: [Int], in range: Range<Int>) -> Bool {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        return lo < a.count && a[lo] < range.upperBound
    }

    /// Dates with a year by their first token, sorted: a statement bisects once for the few dates
    /// near it and looks its tokens up among those.
    struct DatesByToken {
        var items: [(first: Int, mention: Int)] = []

        mutating func finish() {
            items.sort { $0.first != $1.first ? $0.first < $1.first : $0.mention < $1.mention }
        }

        /// The items of the dates starting in tokens [lo, hi).
        func window(_ lo: Int, _ hi: Int) -> Range<Int> {
            firstItem(from: lo)..<firstItem(from: hi)
        }

        /// The index of the first item starting at or after `token`.
        private func firstItem(from token: Int) -> Int {
            var lo = 0, hi = items.count  // items[..<lo] start before token
            while lo < hi {
                let mid = (lo + hi) / 2
                if items[mid].first < token { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }

        /// The date mention starting at `token` (of two, the later mention).
        subscript(token: Int) -> Int? { mention(at: token, among: window(token, token + 1)) }

        /// The date mention starting at `token` (of two, the later mention), among the items of
        /// `window` (which holds the token).
        func mention(at token: Int, among window: Range<Int>) -> Int? {
            for x in window.reversed() where items[x].first == token { return items[x].mention }
            return nil
        }
    }

    /// Fact-bearing mentions in text order, to find those near a statement without a pass over all.
    struct FactMentions {
        var items: [(first: Int, last: Int, mention: Int)] = []
        /// reach[k]: the largest `last` among items[0...k] (never decreasing, so it can be bisected).
        var reach: [Int] = []

        mutating func finish() {
            items.sort { $0.first < $1.first }
            var r = Int.min
            reach = items.map { r = max(r, $0.last); return r }
        }
    }

    /// The farthest a treaty or law may be from its fact statement (tokens).
    static let maxFactDistance = 30

    /// The mentions starting in `sentence` (the tokens of token i's) at most `maxFactDistance`
    /// tokens from token i (the distance a statement measures), in mention order: farther ones are
    /// never chosen, and looking only here keeps a long sentence's many statements linear.
    private mutating func factMentions(near i: Int, in sentence: Range<Int>, _ f: FactMentions) -> [Int] {
        let limit = DocAnalysis.maxFactDistance
        // The first item that ends no more than `limit` tokens before i.
        var lo = 0, hi = f.items.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if i - f.reach[mid] > limit { lo = mid + 1 } else { hi = mid }
        }
        var out: [Int] = []
        var k = lo
        while k < f.items.count && f.items[k].first - i <= limit {
            workSteps += 1
            let m = f.items[k]
            let distance = m.last <= i ? i - m.last : max(0, m.first - i)
            if sentence.contains(m.first) && distance <= limit { out.append(m.mention) }
            k += 1
        }
        out.sort()
        return out
    }

    /// Years written into a known law's name: "Anti-Terrorism Act, 1998".
    private mutating func checkLawYears() {
        for mi in mentions.indices where !mentions[mi].removed && mentions[mi].type == .law && mentions[mi].entry != nil {
            let m = mentions[mi]
            guard m.year != 0, let e = m.entry, let f = lex.entries[e].fact("year"),
                  f.verified, let known = FactDate(f.value), known.year != Int(m.year) else { continue }
            let y = Int(m.year)
            let amendYears = lex.entries[e].amendedBy.compactMap { lex.keyIndex[$0] }
                .compactMap { lex.entries[$0].fact("year").flatMap { FactDate($0.value)?.year } }
            if amendYears.contains(y) { continue }
            let stated = FactDate(year: y, month: nil, day: nil)
            if f.alsoSeen.compactMap(FactDate.init).contains(where: { stated.agrees(with: $0) }) {
                if options.reportKnownVariants {
                    findings.append(PendingFinding(kind: .factMismatch, severity: .info,
                        message: "\(name(e)) is written with the year \(y), a variant some sources give; the gazetteer has \(known) (source: \(f.source)).",
                        mentions: [mi]))
                }
                continue
            }
            findings.append(PendingFinding(kind: .factMismatch, severity: nil,
                message: "\"\(string(m.first, m.last))\": the name gives the year \(y), but \(name(e)) is of \(known.year!) (source: \(f.source)). Check the year, or whether another law is meant.",
                mentions: [mi]))
        }
    }

    private func name(_ e: Int) -> String {
        let entry = lex.entries[e]
        if let a = entry.acronyms.first { return "\(entry.label) (\(a))" }
        return entry.label
    }

    private mutating func compare(entry e: Int, kind: FactKind, stated: FactDate, mention mi: Int, dateMention dm: Int) {
        let entry = lex.entries[e]
        var facts: [GazetteerFact]
        if kind == .lawDate || (entry.kind == .law && kind != .founded) {
            // Laws: any of their dates (passed, assent, in force, the year of the title) may be meant.
            facts = entry.facts.filter { $0.verified && FactDate($0.value) != nil }
        } else {
            facts = kind.factNames.compactMap { entry.fact($0) }.filter(\.verified)
        }
        guard !facts.isEmpty else { return }
        if facts.contains(where: { f in FactDate(f.value).map { stated.agrees(with: $0) } ?? false }) { return }
        let written = "\"\(string(mentions[dm].first, mentions[dm].last))\""
        let main = facts[0]
        // A known variant (a common misquote).
        for f in facts {
            let variants = f.alsoSeen.compactMap(FactDate.init)
            if variants.contains(where: { stated.agrees(with: $0) }) {
                if options.reportKnownVariants {
                    findings.append(PendingFinding(kind: .factMismatch, severity: .info,
                        message: "\(name(e)): the text gives \(written) for the date it was \(kind.wording), a variant other sources also give; the gazetteer has \(FactDate(f.value).map(\.description) ?? f.value) (source: \(f.source)).",
                        mentions: [mi, dm]))
                }
                return
            }
        }
        let knownText: String
        if main.value == "none" {
            knownText = "no such act: \(kind == .signature ? "Pakistan has not signed it" : "Pakistan has not ratified or acceded to it")"
        } else {
            knownText = FactDate(main.value)!.description
            if kind == .lawDate || entry.kind == .law {
                let all = facts.map { "\($0.name) \(FactDate($0.value)!.description)" }.joined(separator: ", ")
                findings.append(PendingFinding(kind: .factMismatch, severity: nil,
                    message: "\(name(e)): the text says it was \(kind.wording) in \(written), but the gazetteer's dates are \(all) (source: \(main.source)).",
                    mentions: [mi, dm]))
                return
            }
        }
        findings.append(PendingFinding(kind: .factMismatch, severity: nil,
            message: "\(name(e)): the text says it was \(kind.wording) \(written), but the gazetteer has \(knownText) (source: \(main.source)). Correct the date or cite a source for it.",
            mentions: [mi, dm]))
    }
}
