// Acronyms: definitions in both orders, later uses tied to the defined thing, undefined ones reported.
//
// "Long Form (ACR)" and "ACR (Long Form)". The long form is first looked up among the mentions
// already found (the gazetteer knows "Convention on the Elimination of All Forms of Discrimination
// against Women", 11 words, where Schwartz & Hearst's window of min(|A|+5, 2|A|) words is too short);
// when no mention ends at the parenthesis, Schwartz & Hearst (2003) find the long form in the words
// before it (or inside the parentheses for the second order).

import AssayCore
import Foundation

struct AcronymDefinition: Sendable {
    var acronym: String
    var longForm: String
    /// The gazetteer entry the long form names, and the mention's type (pattern-found names have a
    /// type but no entry).
    var entry: Int?
    var type: Entity.Kind?
    /// The mention of the long form (index into mentions), when there is one.
    var mention: Int?
}

enum AcronymFinder {
    /// "NGOs" -> "NGO"; "HRDs" -> "HRD".
    static func stem(_ s: String) -> String {
        // Not ending in the byte "s": the last character cannot be "s".
        if s.utf8.last != 0x73 { return s }
        if s.count > 2, s.hasSuffix("s"), Lexicon.isAcronymLike(s) { return String(s.dropLast()) }
        return s
    }

    static func isRomanNumeral(_ s: String) -> Bool {
        // Every character must be one of IVXLCDM (single ASCII bytes), so bytes are characters.
        var s = s
        return s.withUTF8 { u in
            guard !u.isEmpty, u.count <= 8 else { return false }
            var total = 0
            var prev = 0
            for c in u.reversed() {
                let v = romanValue(c)
                guard v > 0 else { return false }
                if v < prev { total -= v } else { total += v; prev = v }
            }
            guard total > 0 && total < 4000 else { return false }
            return toRoman(total).elementsEqual(u)
        }
    }

    private static func romanValue(_ c: UInt8) -> Int {
        switch c {
        case 0x49: return 1      // I
        case 0x56: return 5      // V
        case 0x58: return 10     // X
        case 0x4C: return 50     // L
        case 0x43: return 100    // C
        case 0x44: return 500    // D
        case 0x4D: return 1000   // M
        default: return 0
        }
    }

    private static let romanTable: [(Int, [UInt8])] = [
        (1000, Array("M".utf8)), (900, Array("CM".utf8)), (500, Array("D".utf8)), (400, Array("CD".utf8)),
        (100, Array("C".utf8)), (90, Array("XC".utf8)), (50, Array("L".utf8)), (40, Array("XL".utf8)),
        (10, Array("X".utf8)), (9, Array("IX".utf8)), (5, Array("V".utf8)), (4, Array("IV".utf8)), (1, Array("I".utf8)),
    ]

    private static func toRoman(_ n: Int) -> [UInt8] {
        var n = n
        var out: [UInt8] = []
        for (v, s) in romanTable { while n >= v { out += s; n -= v } }
        return out
    }

    /// Schwartz & Hearst's best long form for `short` at the end of `long` (bytes), or nil.
    /// Returns the byte offset in `long` where the long form starts.
    static func schwartzHearst(short: [UInt8], long: [UInt8]) -> Int? {
        var s = short.count - 1
        var l = long.count - 1
        func lower(_ c: UInt8) -> UInt8 { CharClass.isUpper(c) ? c | 0x20 : c }
        func alnum(_ c: UInt8) -> Bool { CharClass.isASCIIAlnum(c) }
        while s >= 0 {
            let c = lower(short[s])
            if !alnum(c) { s -= 1; continue }
            while l >= 0 && (lower(long[l]) != c || (s == 0 && l > 0 && alnum(long[l - 1]))) { l -= 1 }
            if l < 0 { return nil }
            l -= 1
            s -= 1
        }
        // Back to the start of the word.
        var start = l + 1
        while start > 0 && long[start - 1] != 0x20 { start -= 1 }
        return start
    }

    /// Whether the letters of `acronym` can be read off `longForm` (S&H: first letter at a word start).
    static func fits(_ acronym: String, _ longForm: String) -> Bool {
        let short = Array(stem(acronym).utf8).filter { CharClass.isASCIIAlnum($0) }
        guard short.count >= 2 else { return false }
        return schwartzHearst(short: short, long: Array(longForm.utf8)) != nil
    }
}

extension DocAnalysis {
    /// An acronym-like run starting at token i: "UNHRC", "NGOs", "OP-CEDAW", "COVID-19", "GSP+".
    /// Returns the token range end and the text.
    func acronymRun(at i: Int) -> (end: Int, text: String)? {
        let t = tokens[i]
        guard t.isWord, !t.has(.skip), t.length <= 12, isAcronymToken(i) else { return nil }
        var k = i + 1
        while k < n, tokens[k].has(.hyphenBefore), tokens[k].isWord, isAcronymToken(k) || number(k) != nil { k += 1 }
        if k < n, tokens[k].punct == 0x2B, !tokens[k].has(.spaceBefore) { k += 1 }
        return (k, string(i, k))
    }

    /// Two or more capitals and no lower-case letter but a final plural "s" (ASCII): found by the scan.
    @inline(__always) func isAcronymToken(_ i: Int) -> Bool {
        tokens[i].has(.acronymShape)
    }

    // MARK: Definitions

    mutating func findDefinitions() {
        for c in candidates {
            let i = Int(c)
            guard tokens[i].punct == 0x28, !tokens[i].has(.skip), i > 0 else { continue }
            // "Long Form (ACR)"
            if i + 1 < n, let run = acronymRun(at: i + 1), run.end < n, tokens[run.end].punct == 0x29 {
                defineLongFormFirst(open: i, acrFirst: i + 1, acrEnd: run.end, acronym: run.text)
                continue
            }
            // "ACR (Long Form)"
            var a = i - 1
            while a > 0 && (tokens[a].has(.hyphenBefore) || tokens[a].punct == 0x2B) { a -= 1 }
            if let run = acronymRun(at: a), run.end == i {
                var close = i + 1
                while close < n && close - i <= 20 && tokens[close].punct != 0x29 && tokens[close].punct != 0x28 && sameLine(close) { close += 1 }
                guard close < n, tokens[close].punct == 0x29, close - i >= 3 else { continue }
                defineAcronymFirst(acrFirst: a, acrEnd: i, open: i, close: close, acronym: run.text)
            }
        }
    }

    private func compatible(_ acronym: String, entry: Int?, longForm: String) -> Bool {
        if let e = entry {
            let st = AcronymFinder.stem(acronym)
            if lex.entries[e].acronyms.contains(where: { $0 == acronym || $0 == st || $0.uppercased() == st.uppercased() }) { return true }
        }
        return AcronymFinder.fits(acronym, longForm)
    }

    private mutating func defineLongFormFirst(open: Int, acrFirst: Int, acrEnd: Int, acronym: String) {
        let stem = AcronymFinder.stem(acronym)
        if definitions[stem] != nil { return }
        // A mention ending right before "(".
        if owner[open - 1] >= 0 {
            let mi = Int(owner[open - 1])
            let mm = mentions[mi]
            let entry = entryOf(mm, kinds: Set(Entity.Kind.allCases))
            let long = string(mm.first, mm.last)
            if mm.last == open, !mm.acronym, compatible(acronym, entry: entry ?? mm.candidates.first, longForm: long) {
                // Prefer the candidate that lists the acronym when the long form is shared.
                var e = entry
                if mm.entry == nil, let withAcr = mm.candidates.first(where: { lex.entries[$0].acronyms.contains(stem) }) { e = withAcr }
                definitions[stem] = AcronymDefinition(acronym: acronym, longForm: long, entry: e, type: mm.type, mention: mi)
                mentions[mi].attributes["acronym"] = acronym
                if let e, mm.entry == nil, mm.candidates.count > 1 {
                    setEntry(mi, e)
                    mentions[mi].attributes["resolvedBy"] = "definition"
                }
                tieAcronym(first: acrFirst, last: acrEnd, definition: definitions[stem]!)
                return
            }
        }
        // Schwartz & Hearst over the words before "(" in the same sentence.
        let maxWords = min(stem.count + 5, stem.count * 2)
        var k = open - 1
        var words = 0
        var first = open
        while k >= 0 && words < maxWords {
            let t = tokens[k]
            if t.has(.skip) { break }
            if !t.isWord {
                if t.punct == 0x2E || t.punct == 0x3A || t.punct == 0x3B || t.punct == 0x29 || t.punct == 0x28 || t.punct == 0x22 { break }
            } else {
                words += 1
            }
            first = k
            if t.flags.contains(.newlineBefore) || t.flags.contains(.tabBefore) { break }
            k -= 1
        }
        guard first < open else { return }
        let longBytes = Array(text[Int(tokens[first].start)..<Int(tokens[open - 1].end)])
        let short = Array(stem.utf8).filter { CharClass.isASCIIAlnum($0) }
        guard short.count >= 2, let s = AcronymFinder.schwartzHearst(short: short, long: longBytes) else { return }
        let longForm = String(decoding: longBytes[s...], as: UTF8.self)
        guard !longForm.contains(stem), longForm.split(separator: " ").count <= maxWords else { return }
        var def = AcronymDefinition(acronym: acronym, longForm: longForm, entry: nil, type: nil, mention: nil)
        // The long form may be a pattern mention that starts later than the S&H start.
        if let mm = ownerMention(open - 1), mm.last == open, Int(tokens[first].start) + s <= mm.start {
            def.type = mm.type
            def.entry = mm.entry
            def.mention = Int(owner[open - 1])
            mentions[Int(owner[open - 1])].attributes["acronym"] = acronym
        }
        definitions[stem] = def
        if def.type != nil { tieAcronym(first: acrFirst, last: acrEnd, definition: def) }
    }

    private mutating func defineAcronymFirst(acrFirst: Int, acrEnd: Int, open: Int, close: Int, acronym: String) {
        let stem = AcronymFinder.stem(acronym)
        if definitions[stem] != nil { return }
        var s = open + 1
        if tokens[s].id == kw.the { s += 1 }
        // A mention spanning the parenthesized text.
        if let mm = ownerMention(s), mm.first == s, mm.last == close, !mm.acronym {
            let mi = Int(owner[s])
            let entry = entryOf(mm, kinds: Set(Entity.Kind.allCases))
            let long = string(mm.first, mm.last)
            if compatible(acronym, entry: entry, longForm: long) {
                let def = AcronymDefinition(acronym: acronym, longForm: long, entry: entry, type: mm.type, mention: mi)
                definitions[stem] = def
                mentions[mi].attributes["acronym"] = acronym
                tieAcronym(first: acrFirst, last: acrEnd, definition: def)
                return
            }
        }
        let long = string(open + 1, close)
        let short = Array(stem.utf8).filter { CharClass.isASCIIAlnum($0) }
        guard short.count >= 2, let st = AcronymFinder.schwartzHearst(short: short, long: Array(long.utf8)), st == 0 || long.utf8.count - st > 0 else { return }
        // The whole parenthesized text must be the long form (its first word gives the first letter).
        guard st == 0 || (long.hasPrefix("the ") && st == 4) else { return }
        definitions[stem] = AcronymDefinition(acronym: acronym, longForm: long, entry: nil, type: nil, mention: nil)
    }

    /// Makes the acronym at [first, last) a mention of the defined thing (or re-keys its mention).
    mutating func tieAcronym(first: Int, last: Int, definition d: AcronymDefinition) {
        guard let type = d.type else { return }
        if owner[first] >= 0 {
            let mi = Int(owner[first])
            let mm = mentions[mi]
            guard mm.first == first, mm.last == last else { return }  // part of a longer name
            if let e = d.entry {
                if mm.entry != e {
                    setEntry(mi, e)
                    if mm.candidates.count > 1 { mentions[mi].attributes["resolvedBy"] = "definition" }
                }
            } else if mm.entry == nil && mm.candidates.isEmpty {
                mentions[mi].type = type
            } else {
                // The document defines a known acronym as something else: the document wins.
                mentions[mi].entry = nil
                mentions[mi].key = nil
                mentions[mi].label = nil
                mentions[mi].candidates = []
                mentions[mi].type = type
            }
            mentions[mi].attributes["definedBy"] = d.longForm
            return
        }
        for k in first..<last where owner[k] >= 0 { return }
        var m = Mention(first: first, last: last, start: 0, end: 0, type: type, origin: .acronym)
        m.acronym = true
        m.attributes["definedBy"] = d.longForm
        let idx = addMention(m)
        if let e = d.entry { setEntry(idx, e) }
    }

    // MARK: Uses and undefined acronyms

    /// Ties every later (or earlier) use of a defined acronym to its definition, and reports acronyms
    /// that neither the document nor a gazetteer defines (once per acronym).
    mutating func acronymUses() {
        // Title-case forms present in the text: "KHAN" is a name when "Khan" also occurs (built when
        // first needed).
        var titleCase: HashSet64?
        var reported: Set<String> = []
        var uses: [String: Int] = [:]
        var firstUse: [String: Int] = [:]
        var next = 0  // a run resumes the scan after itself
        for c in candidates {
            let i = Int(c)
            // `acronymRun` is nil but for an acronym-shaped word.
            guard i >= next, tokens[i].has(.acronymShape), let run = acronymRun(at: i), canStart(at: i) else { continue }
            next = run.end
            let stem = AcronymFinder.stem(run.text)
            if let d = definitions[stem] ?? definitions[run.text] {
                if d.type != nil { tieAcronym(first: i, last: run.end, definition: d) }
                continue
            }
            if !options.undefinedAcronyms { continue }
            let t = tokens[i]
            if t.has(.capsLine) || t.has(.skip) || inHeading(i) { continue }
            if lex.knownAcronyms.contains(run.text) || lex.knownAcronyms.contains(stem) { continue }
            if owner[i] >= 0 { continue }  // part of a name a gazetteer or pattern knows
            if run.end == i + 1 && AcronymFinder.isRomanNumeral(stem) { continue }
            // A surname in capitals: "(KHAN et al., 2021)", "USMAN, M." -- or its title case occurs.
            if titleCase == nil { titleCase = titleCaseHashes() }
            if titleCase!.contains(asciiLowerHash(Int(t.start), Int(t.end))) { continue }
            if run.end < n, tokens[run.end].id == kw.et { continue }
            if isShouting(i, run.end) || isDateline(i, run.end) || isPostalCode(i, run.end) { continue }
            if run.end + 1 < n, isPunctToken(run.end, 0x2C), isYear(run.end + 1) != nil { continue }
            if run.end < n, isPunctToken(run.end, 0x26) { continue }
            uses[stem, default: 0] += 1
            if firstUse[stem] == nil { firstUse[stem] = i }
        }
        for (stem, i) in firstUse.sorted(by: { $0.value < $1.value }) where !reported.contains(stem) {
            reported.insert(stem)
            let count = uses[stem] ?? 1
            let times = count == 1 ? "once" : "\(count) times"
            findings.append(PendingFinding(
                kind: .undefinedAcronym, severity: nil,
                message: "The acronym \"\(stem)\" is used \(times) (first: \"\(context(around: i))\") but never defined in the document, and no gazetteer knows it: write it out at its first use, e.g. \"Long Form (\(stem))\".",
                mentions: []))
        }
    }

    private func isPunctToken(_ i: Int, _ c: UInt8) -> Bool { i < n && tokens[i].punct == c }

    /// `asciiLowerHash` of every capitalized word not in capitals. Two words are hashed side by side:
    /// each byte's step waits for the previous one (a multiplication), so two chains go twice as fast.
    private func titleCaseHashes() -> HashSet64 {
        var set = HashSet64(capacity: n / 8)
        let want = TokenFlags.word.rawValue | TokenFlags.capitalized.rawValue
        let mask = want | TokenFlags.allUpper.rawValue
        let basis: UInt64 = 0xcbf2_9ce4_8422_2325, prime: UInt64 = 0x0000_0100_0000_01b3
        @inline(__always) func lower(_ c: UInt8) -> UInt64 { UInt64(c &- 0x41 < 26 ? c | 0x20 : c) }
        tokens.withUnsafeBufferPointer { tb in
            text.withUnsafeBufferPointer { b in
                var held = -1  // a word waiting for a partner
                for (k, t) in tb.enumerated() where t.flags.rawValue & mask == want {
                    if held < 0 { held = k; continue }
                    var s0 = Int(tb[held].start), s1 = Int(t.start)
                    let e0 = Int(tb[held].end), e1 = Int(t.end)
                    var h0 = basis, h1 = basis
                    while s0 < e0 && s1 < e1 {
                        h0 = (h0 ^ lower(b[s0])) &* prime
                        h1 = (h1 ^ lower(b[s1])) &* prime
                        s0 += 1
                        s1 += 1
                    }
                    while s0 < e0 { h0 = (h0 ^ lower(b[s0])) &* prime; s0 += 1 }
                    while s1 < e1 { h1 = (h1 ^ lower(b[s1])) &* prime; s1 += 1 }
                    set.insert(h0)
                    set.insert(h1)
                    held = -1
                }
                if held >= 0 {
                    var h = basis
                    for k in Int(tb[held].start)..<Int(tb[held].end) { h = (h ^ lower(b[k])) &* prime }
                    set.insert(h)
                }
            }
        }
        return set
    }

    /// `Vocabulary.hash` of the bytes with ASCII capitals lowered.
    private func asciiLowerHash(_ s: Int, _ e: Int) -> UInt64 {
        text.withUnsafeBufferPointer { b in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for k in s..<e {
                let c = b[k]
                h = (h ^ UInt64(CharClass.isUpper(c) ? c | 0x20 : c)) &* 0x0000_0100_0000_01b3
            }
            return h
        }
    }

    private func isCapsWord(_ i: Int) -> Bool {
        i >= 0 && i < n && tokens[i].isWord && tokens[i].has(.allUpper) && tokens[i].has(.hasLetter) && !tokens[i].has(.hasDigit)
    }

    /// Words in capitals for emphasis: "FEELING LIKE SECOND RATE", "CONCERNED SISTER".
    private func isShouting(_ first: Int, _ end: Int) -> Bool {
        var a = first, b = end - 1
        while a > 0 && isCapsWord(a - 1) && sameLine(a) && tokens[a].has(.spaceBefore) { a -= 1 }
        while b + 1 < n && isCapsWord(b + 1) && sameLine(b + 1) && tokens[b + 1].has(.spaceBefore) { b += 1 }
        let run = b - a + 1
        if run >= 3 { return true }
        if run == 2 {
            for k in a...b where tokens[k].length >= 6 && !lex.knownAcronyms.contains(tokenText(k)) { return true }
        }
        return false
    }

    /// A news dateline: "MADRID —", "WASHINGTON (Reuters) -", "BUFFALO, N.Y." at the start of a line.
    private func isDateline(_ first: Int, _ end: Int) -> Bool {
        guard first == 0 || tokens[first].has(.newlineBefore), tokens[first].length >= 5, end < n, !tokens[end].isWord else { return false }
        let p = tokens[end].punct
        return p == 0x2D || p == 0x28 || p == 0x2C
    }

    /// A two-letter state or province code in an address: "Mountain View, CA", "Toronto, ON".
    private func isPostalCode(_ first: Int, _ end: Int) -> Bool {
        guard end == first + 1, tokens[first].length == 2, first >= 2, isPunctToken(first - 1, 0x2C),
              tokens[first - 2].isWord, tokens[first - 2].has(.capitalized), !tokens[first - 2].has(.allUpper) else { return false }
        return true
    }

    /// A short excerpt around token i (on its line), for messages.
    func context(around i: Int) -> String {
        var a = i, b = i + 1
        while a > 0 && i - a < 4 && sameLine(a) { a -= 1 }
        while b < n && b - i < 5 && sameLine(b) { b += 1 }
        return string(a, b).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
    }
}

/// A set of 64-bit hashes (open addressing, no hasher): the title-case forms of a document's words.
struct HashSet64 {
    private var slots: [UInt64]
    private var mask: Int
    private var count = 0
    private var hasZero = false

    init(capacity: Int) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always) private static func slot(_ h: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    mutating func insert(_ h: UInt64) {
        if h == 0 { hasZero = true; return }
        if (count + 1) * 2 > slots.count { grow() }
        var i = HashSet64.slot(h, mask)
        while true {
            let s = slots[i]
            if s == h { return }
            if s == 0 { slots[i] = h; count += 1; return }
            i = (i + 1) & mask
        }
    }

    func contains(_ h: UInt64) -> Bool {
        if h == 0 { return hasZero }
        var i = HashSet64.slot(h, mask)
        while true {
            let s = slots[i]
            if s == h { return true }
            if s == 0 { return false }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for h in old where h != 0 { insert(h) }
    }
}
