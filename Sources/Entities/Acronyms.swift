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

    /// Where the stem of an acronym run's bytes ends (`stem` of its text): the run's last word is
    /// ASCII, so a final byte "s" is a final character "s", and two capitals before it make the
    /// three characters `stem` asks for.
    static func stemEnd(_ u: UnsafeBufferPointer<UInt8>) -> Int {
        guard u.last == 0x73 else { return u.count }
        var upper = 0
        for k in u.indices {
            let c = u[k]
            if CharClass.isUpper(c) { upper += 1 } else if CharClass.isLower(c) && k != u.count - 1 { return u.count }
        }
        return upper >= 2 ? u.count - 1 : u.count
    }

    static func isRomanNumeral(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { isRomanNumeral($0) }
    }

    static func isRomanNumeral(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        // Every character must be one of IVXLCDM (single ASCII bytes), so bytes are characters.
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

    /// `text.contains(part)`. In ASCII, where characters are bytes, a byte search: Foundation's
    /// search cost thousands of instructions a call.
    static func contains(_ text: String, _ part: String) -> Bool {
        let t = text.utf8, p = part.utf8
        guard t.allSatisfy({ $0 < 0x80 }), p.allSatisfy({ $0 < 0x80 }) else { return text.contains(part) }
        return ByteSearch.contains(t, p)
    }

    /// `text.split(separator: " ").count`. In ASCII, where characters are bytes, the runs of bytes
    /// other than a space: `split` made an array of substrings.
    static func wordCount(_ text: String) -> Int {
        let t = text.utf8
        guard t.allSatisfy({ $0 < 0x80 }) else { return text.split(separator: " ").count }
        var words = 0
        var inWord = false
        for c in t {
            if c == 0x20 { inWord = false } else if !inWord { inWord = true; words += 1 }
        }
        return words
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
    /// Returns the end of its token range. (Inlined: called from the mutating passes, a call copied
    /// the whole analysis to pass `self`; so `lookUp` and `trigger(at:)`.)
    @inline(__always)
    func acronymRunEnd(at i: Int) -> Int? {
        let t = tokens[i]
        guard t.isWord, !t.has(.skip), t.length <= 12, isAcronymToken(i) else { return nil }
        var k = i + 1
        while k < n, tokens[k].has(.hyphenBefore), tokens[k].isWord, isAcronymToken(k) || number(k) != nil { k += 1 }
        if k < n, tokens[k].punct == 0x2B, !tokens[k].has(.spaceBefore) { k += 1 }
        return k
    }

    /// Two or more capitals and no lower-case letter but a final plural "s" (ASCII): found by the scan.
    @inline(__always) func isAcronymToken(_ i: Int) -> Bool {
        tokens[i].has(.acronymShape)
    }

    /// Where the stem of the acronym run's bytes [s, e) ends (`AcronymFinder.stem`).
    func stemEnd(_ s: Int, _ e: Int) -> Int {
        s + text.withUnsafeBufferPointer { AcronymFinder.stemEnd(UnsafeBufferPointer(rebasing: $0[s..<e])) }
    }

    /// The id of the text bytes [s, e) in `table`, or nil.
    @inline(__always)
    func lookUp(_ s: Int, _ e: Int, in table: Vocabulary) -> Int? {
        let id = text.withUnsafeBufferPointer { table.find(UnsafeBufferPointer(rebasing: $0[s..<e])) }
        return id >= 0 ? Int(id) : nil
    }

    /// The definition (index into `definitions`) of the acronym written in bytes [s, e), by its stem.
    func definition(stemOf s: Int, _ e: Int) -> Int? {
        lookUp(s, stemEnd(s, e), in: definitionStems)
    }

    private func isDefined(_ stem: String) -> Bool {
        var stem = stem
        return stem.withUTF8 { definitionStems.find($0) } >= 0
    }

    /// Records the definition of an acronym not defined before; returns its index.
    private mutating func define(_ stem: String, _ d: AcronymDefinition) -> Int {
        _ = definitionStems.intern(stem)  // a new stem: its id is the definition's index
        definitions.append(d)
        return definitions.count - 1
    }

    // MARK: Definitions

    mutating func findDefinitions() {
        for c in starts[.definitions] {
            let i = Int(c)
            guard tokens[i].punct == 0x28, !tokens[i].has(.skip), i > 0 else { continue }
            // "Long Form (ACR)"
            if i + 1 < n, let end = acronymRunEnd(at: i + 1), end < n, tokens[end].punct == 0x29 {
                defineLongFormFirst(open: i, acrFirst: i + 1, acrEnd: end, acronym: string(i + 1, end))
                continue
            }
            // "ACR (Long Form)"
            var a = i - 1
            while a > 0 && (tokens[a].has(.hyphenBefore) || tokens[a].punct == 0x2B) { a -= 1 }
            if acronymRunEnd(at: a) == i {
                var close = i + 1
                while close < n && close - i <= 20 && tokens[close].punct != 0x29 && tokens[close].punct != 0x28 && sameLine(close) { close += 1 }
                guard close < n, tokens[close].punct == 0x29, close - i >= 3 else { continue }
                defineAcronymFirst(acrFirst: a, acrEnd: i, open: i, close: close, acronym: string(a, i))
            }
        }
    }

    /// Every entity kind (a set made once: made per definition, it hashed every kind's name).
    static let allKinds = Set(Entity.Kind.allCases)

    private func compatible(_ acronym: String, entry: Int?, longForm: String) -> Bool {
        if let e = entry {
            let st = AcronymFinder.stem(acronym)
            if lex.entries[e].acronyms.contains(where: { $0 == acronym || $0 == st || $0.uppercased() == st.uppercased() }) { return true }
        }
        return AcronymFinder.fits(acronym, longForm)
    }

    private mutating func defineLongFormFirst(open: Int, acrFirst: Int, acrEnd: Int, acronym: String) {
        let stem = AcronymFinder.stem(acronym)
        if isDefined(stem) { return }
        // A mention ending right before "(".
        if owner[open - 1] >= 0 {
            let mi = Int(owner[open - 1])
            let mm = mentions[mi]
            let mCandidates = candidates(of: mm)
            let entry = entryOf(mm, kinds: DocAnalysis.allKinds)
            let long = string(mm.first, mm.last)
            if mm.last == open, !mm.acronym, compatible(acronym, entry: entry ?? mCandidates.first, longForm: long) {
                // Prefer the candidate that lists the acronym when the long form is shared.
                var e = entry
                if mm.entry == nil, let withAcr = mCandidates.first(where: { lex.entries[$0].acronyms.contains(stem) }) { e = withAcr }
                let d = define(stem, AcronymDefinition(acronym: acronym, longForm: long, entry: e, type: mm.type, mention: mi))
                mentions[mi].acronymOf = Int32(d)
                if let e, mm.entry == nil, mCandidates.count > 1 {
                    setEntry(mi, e)
                    mentions[mi].resolvedBy = .definition
                }
                tieAcronym(first: acrFirst, last: acrEnd, definition: d)
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
        guard !AcronymFinder.contains(longForm, stem), AcronymFinder.wordCount(longForm) <= maxWords else { return }
        var def = AcronymDefinition(acronym: acronym, longForm: longForm, entry: nil, type: nil, mention: nil)
        // The long form may be a pattern mention that starts later than the S&H start.
        if let mm = ownerMention(open - 1), mm.last == open, Int(tokens[first].start) + s <= mm.start {
            def.type = mm.type
            def.entry = mm.entry
            def.mention = Int(owner[open - 1])
        }
        let d = define(stem, def)
        if let mi = def.mention { mentions[mi].acronymOf = Int32(d) }
        if def.type != nil { tieAcronym(first: acrFirst, last: acrEnd, definition: d) }
    }

    private mutating func defineAcronymFirst(acrFirst: Int, acrEnd: Int, open: Int, close: Int, acronym: String) {
        let stem = AcronymFinder.stem(acronym)
        if isDefined(stem) { return }
        var s = open + 1
        if tokens[s].id == kw.the { s += 1 }
        // A mention spanning the parenthesized text.
        if let mm = ownerMention(s), mm.first == s, mm.last == close, !mm.acronym {
            let mi = Int(owner[s])
            let entry = entryOf(mm, kinds: DocAnalysis.allKinds)
            let long = string(mm.first, mm.last)
            if compatible(acronym, entry: entry, longForm: long) {
                let d = define(stem, AcronymDefinition(acronym: acronym, longForm: long, entry: entry, type: mm.type, mention: mi))
                mentions[mi].acronymOf = Int32(d)
                tieAcronym(first: acrFirst, last: acrEnd, definition: d)
                return
            }
        }
        let long = string(open + 1, close)
        let short = Array(stem.utf8).filter { CharClass.isASCIIAlnum($0) }
        guard short.count >= 2, let st = AcronymFinder.schwartzHearst(short: short, long: Array(long.utf8)), st == 0 || long.utf8.count - st > 0 else { return }
        // The whole parenthesized text must be the long form (its first word gives the first letter).
        guard st == 0 || (long.hasPrefix("the ") && st == 4) else { return }
        _ = define(stem, AcronymDefinition(acronym: acronym, longForm: long, entry: nil, type: nil, mention: nil))
    }

    /// Makes the acronym at [first, last) a mention of the thing definition `d` defines (or re-keys
    /// its mention).
    mutating func tieAcronym(first: Int, last: Int, definition d: Int) {
        guard let type = definitions[d].type else { return }
        if owner[first] >= 0 {
            let mi = Int(owner[first])
            let mm = mentions[mi]
            guard mm.first == first, mm.last == last else { return }  // part of a longer name
            if let e = definitions[d].entry {
                if mm.entry != e {
                    setEntry(mi, e)
                    if mm.candidateCount > 1 { mentions[mi].resolvedBy = .definition }
                }
            } else if mm.entry == nil && mm.candidateCount == 0 {
                mentions[mi].type = type
            } else {
                // The document defines a known acronym as something else: the document wins.
                mentions[mi].entry = nil
                mentions[mi].madeName = -1
                mentions[mi].candidateCount = 0
                mentions[mi].type = type
            }
            mentions[mi].definedBy = Int32(d)
            return
        }
        for k in first..<last where owner[k] >= 0 { return }
        var m = Mention(first: first, last: last, type: type, origin: .acronym, acronym: true)
        m.definedBy = Int32(d)
        let idx = addMention(m)
        if let e = definitions[d].entry { setEntry(idx, e) }
    }

    // MARK: Uses and undefined acronyms

    /// Ties every later (or earlier) use of a defined acronym to its definition, and reports acronyms
    /// that neither the document nor a gazetteer defines (once per acronym).
    mutating func acronymUses() {
        // Undefined-acronym uses that passed every other test, in order: a last test (is the word's
        // title case in the text?) is made for all of them in one pass over the tokens.
        var pending: [(token: Int, stemEnd: Int, hash: UInt64)] = []
        var next = 0  // a run resumes the scan after itself
        // Titles and headings the scan has reached, and the furthest end among them: the uses come
        // in text order, so one pass over the headings serves them all (a book has thousands).
        var headingsReached = 0, headingReach = Int.min
        for c in starts[.acronymUses] {
            let i = Int(c)
            // `acronymRunEnd` is nil but for an acronym-shaped word.
            guard i >= next, tokens[i].has(.acronymShape), let end = acronymRunEnd(at: i), canStart(at: i) else { continue }
            next = end
            let s = Int(tokens[i].start), e = Int(tokens[end - 1].end)
            let se = stemEnd(s, e)
            // The text is looked up again only when it differs from its stem ("NGOs").
            let plural = se != e
            if !definitions.isEmpty, let d = lookUp(s, se, in: definitionStems) ?? (plural ? lookUp(s, e, in: definitionStems) : nil) {
                if definitions[d].type != nil { tieAcronym(first: i, last: end, definition: d) }
                continue
            }
            if !options.undefinedAcronyms { continue }
            // Part of a name a gazetteer or pattern knows (most uses): told before the tests below,
            // which only rule out more (the headings' walk is by offset: it catches up at the next use).
            if owner[i] >= 0 { continue }
            let t = tokens[i]
            let o = Int(t.start)
            if headingsReached > 0 && headings[headingsReached - 1].lowerBound > o { (headingsReached, headingReach) = (0, Int.min) }
            while headingsReached < headings.count && headings[headingsReached].lowerBound <= o {
                headingReach = max(headingReach, headings[headingsReached].upperBound)
                headingsReached += 1
                workSteps += 1
            }
            if t.has(.capsLine) || t.has(.skip) || headingReach > o { continue }  // in a title or heading
            if lookUp(s, se, in: lex.knownAcronyms) != nil || plural && lookUp(s, e, in: lex.knownAcronyms) != nil { continue }
            if end == i + 1 && text.withUnsafeBufferPointer({ AcronymFinder.isRomanNumeral(UnsafeBufferPointer(rebasing: $0[s..<se])) }) { continue }
            // A surname in capitals: "(KHAN et al., 2021)", "USMAN, M." (or its title case occurs: below).
            if end < n, tokens[end].id == kw.et { continue }
            if isShouting(i, end) || isDateline(i, end) || isPostalCode(i, end) { continue }
            if end + 1 < n, isPunctToken(end, 0x2C), isYear(end + 1) != nil { continue }
            if end < n, isPunctToken(end, 0x26) { continue }
            pending.append((i, se, asciiLowerHash(Int(t.start), Int(t.end))))
        }
        guard !pending.isEmpty else { return }
        let titleCase = titleCaseHashes(among: pending.map(\.hash), words: pending.map { Int(tokens[$0.token].start)..<Int(tokens[$0.token].end) })
        // Per stem (ids in order of first use): the uses and the first.
        var stems = Vocabulary(capacity: pending.count)
        var uses: [Int] = []
        var firstUse: [Int] = []
        text.withUnsafeBufferPointer { b in
            for u in pending where !titleCase.contains(u.hash) {
                let id = Int(stems.intern(UnsafeBufferPointer(rebasing: b[Int(tokens[u.token].start)..<u.stemEnd])))
                if id == uses.count { uses.append(0); firstUse.append(u.token) }
                uses[id] += 1
            }
        }
        for id in uses.indices {
            let stem = stems.string(Int32(id))
            let i = firstUse[id]
            let times = uses[id] == 1 ? "once" : "\(uses[id]) times"
            findings.append(PendingFinding(
                kind: .undefinedAcronym, severity: nil,
                message: "The acronym \"\(stem)\" is used \(times) (first: \"\(context(around: i))\") but never defined in the document, and no gazetteer knows it: write it out at its first use, e.g. \"Long Form (\(stem))\".",
                mentions: []))
        }
    }

    private func isPunctToken(_ i: Int, _ c: UInt8) -> Bool { i < n && tokens[i].punct == c }

    /// Up to this many words, `titleCaseHashes` looks for them in the bytes instead of testing
    /// every token (a document mostly has one).
    static let titleCaseSearchLimit = 4

    /// The `wanted` hashes (the `asciiLowerHash` of the text's `words`) that are the hash of some
    /// capitalized word not in capitals ("Khan" for "KHAN"). Only words of a wanted length are
    /// hashed. For a few words, only the tokens that start where the bytes spell one of them (ASCII
    /// case aside) are tested: a memchr for the first byte costs far less than a pass over every
    /// token (~7 instructions a token), and a token whose hash is wanted spells that word (barring
    /// a collision of the 64-bit hashes).
    func titleCaseHashes(among wanted: [UInt64], words: [Range<Int>], searchLimit: Int = titleCaseSearchLimit) -> Set<UInt64> {
        let wantedSet = Set(wanted)
        var lengthMask: UInt64 = 0  // bit k: some wanted word has k bytes (acronym runs are short)
        for w in words where w.count < 64 { lengthMask |= 1 << UInt64(w.count) }
        var found: Set<UInt64> = []
        let want = TokenFlags.word.rawValue | TokenFlags.capitalized.rawValue
        let mask = want | TokenFlags.allUpper.rawValue
        func test(_ t: Token) {
            guard t.flags.rawValue & mask == want else { return }
            let len = Int(t.end &- t.start)
            guard len < 64, lengthMask & (1 << UInt64(len)) != 0 else { return }
            let h = asciiLowerHash(Int(t.start), Int(t.end))
            if wantedSet.contains(h) { found.insert(h) }
        }
        func look(_ tb: UnsafeBufferPointer<Token>) {
            for t in tb { test(t) }
        }
        if wantedSet.count <= searchLimit {
            var searched = Set<UInt64>()
            for (h, w) in zip(wanted, words) where w.count < 64 && searched.insert(h).inserted {
                forEachPlace(spelling: w, in: 0..<text.count) { _, p in
                    var k = firstToken(at: p)
                    while k < n && Int(tokens[k].start) == p { test(tokens[k]); k += 1 }
                    return true
                }
            }
        } else {
            tokens.withUnsafeBufferPointer { look($0) }
        }
        // The words of a skipped section count too (a reference list gives "Khan, A." for "KHAN"):
        // each section stands as one token, its words read only when its bytes may hold a missing
        // one in title case.
        for r in skipped where found.count < wantedSet.count {
            var k = firstToken(at: r.lowerBound)
            while k < n && Int(tokens[k].start) < r.upperBound {
                let t = tokens[k]
                k += 1
                guard t.has(.skippedSection) else { continue }
                let missing = zip(wanted, words).lazy.filter { !found.contains($0.0) }.map(\.1)
                guard missing.contains(where: { mayHoldTitleCase(Int(t.start)..<Int(t.end), $0) }) else { continue }
                Tokenizer.sectionTokens(text, t, table: lex.words).withUnsafeBufferPointer { look($0) }
            }
        }
        return found
    }

    /// Calls `body` with the text's bytes and every offset in `range` where they spell `word` (ASCII
    /// case aside), starting with a capital when the word starts with a letter (a capitalized
    /// token's first letter is one), until it returns false. (The first byte found by memchr.)
    private func forEachPlace(spelling word: Range<Int>, in range: Range<Int>,
                              _ body: (UnsafeBufferPointer<UInt8>, Int) -> Bool) {
        let m = word.count
        guard m > 0, range.count >= m else { return }
        @inline(__always) func lower(_ c: UInt8) -> UInt8 { CharClass.isUpper(c) ? c | 0x20 : c }
        let first0 = text[word.lowerBound]
        let first = CharClass.isLower(first0) ? first0 & ~0x20 : first0
        text.withUnsafeBufferPointer { b in
            let base = b.baseAddress!
            var i = range.lowerBound
            let last = range.upperBound - m
            while i <= last {
                guard let at = memchr(base + i, Int32(first), last + 1 - i) else { return }
                i = UnsafePointer<UInt8>(at.assumingMemoryBound(to: UInt8.self)) - base
                var k = 1
                while k < m && lower(b[i + k]) == lower(b[word.lowerBound + k]) { k += 1 }
                if k == m && !body(b, i) { return }
                i += 1
            }
        }
    }

    /// The first token starting at or after byte `offset`.
    private func firstToken(at offset: Int) -> Int {
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(tokens[mid].start) < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Whether `range` of the text may hold `word` written as a capitalized word not in capitals
    /// ("Khan" for "KHAN"): its bytes, ASCII case aside, with a capital first and a lower-case
    /// letter after, not inside a longer run of ASCII letters and digits (but where the tokenizer
    /// splits one: a letter after a digit, a capital after a lower-case letter). A quick test
    /// before a section is tokenized: false only when no such word is there.
    private func mayHoldTitleCase(_ range: Range<Int>, _ word: Range<Int>) -> Bool {
        let m = word.count
        guard m > 1, CharClass.isUpper(text[word.lowerBound] & ~0x20) else { return false }
        var found = false
        forEachPlace(spelling: word, in: range) { b, i in
            if i > range.lowerBound, CharClass.isUpper(b[i - 1]) { return true }  // (a capital before: one word)
            guard (i + 1..<i + m).contains(where: { CharClass.isLower(b[$0]) }) else { return true }
            let e = i + m
            if e < range.upperBound, CharClass.isASCIIAlnum(b[e]), !Tokenizer.splits(b[e - 1], b[e]) { return true }
            found = true
            return false
        }
        return found
    }

    /// `Vocabulary.hash` of the bytes with ASCII capitals lowered.
    func asciiLowerHash(_ s: Int, _ e: Int) -> UInt64 {
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
        // Two words either side decide it (a run of three is shouting): the walks stop there, so a
        // long line of capitals costs each acronym in it no more than a short one.
        var a = first, b = end - 1
        while a > 0 && first - a < 2 && isCapsWord(a - 1) && sameLine(a) && tokens[a].has(.spaceBefore) { a -= 1 }
        while b + 1 < n && b - (end - 1) < 2 && isCapsWord(b + 1) && sameLine(b + 1) && tokens[b + 1].has(.spaceBefore) { b += 1 }
        let run = b - a + 1
        if run >= 3 { return true }
        if run == 2 {
            for k in a...b where tokens[k].length >= 6 && lookUp(Int(tokens[k].start), Int(tokens[k].end), in: lex.knownAcronyms) == nil { return true }
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
        var bytes = Array(text[Int(tokens[a].start)..<Int(tokens[b - 1].end)])
        // Line breaks and tabs become spaces (bytewise: a "\r\n" pair is left to String's own rules).
        if bytes.contains(0x0D) {
            return string(a, b).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
        }
        for k in bytes.indices where bytes[k] == 0x0A || bytes[k] == 0x09 { bytes[k] = 0x20 }
        return String(decoding: bytes, as: UTF8.self)
    }
}
