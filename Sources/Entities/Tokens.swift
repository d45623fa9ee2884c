// Byte-level tokenizer and token vocabulary shared by the gazetteer compiler and the document scan.
//
// A token is a run of letters/digits in `document.textBytes` (UTF-8), or one punctuation mark.
// Its normalized form (ASCII lower case, Latin diacritics folded: "Tomaševski" -> "tomasevski")
// is looked up in a `Vocabulary` that holds every token the gazetteers and the patterns use, so the
// scan compares small integers, never strings. Rules that make name variants meet:
//   - a hyphen between two letters/digits joins nothing: "Anti-Terrorism" = "Anti Terrorism",
//     "295-C" = "295 C" = "295C" (a digit->letter change also splits a token);
//   - a possessive "'s" / "’s" is not part of the token (flag `possessive`): "CEDAW's" -> "CEDAW";
//   - a lower->upper change splits a token ("HRDsAbstract" -> "HRDs" "Abstract": text glued by
//     a lost line break);
//   - URLs and e-mail addresses are skipped as a whole.

import AssayCore

struct TokenFlags: OptionSet, Sendable {
    let rawValue: UInt32
    static let word = TokenFlags(rawValue: 1 << 0)          // letters or digits (else punctuation)
    static let capitalized = TokenFlags(rawValue: 1 << 1)   // first letter is upper case
    static let allUpper = TokenFlags(rawValue: 1 << 2)      // has letters, none lower case
    static let hasLetter = TokenFlags(rawValue: 1 << 3)
    static let hasDigit = TokenFlags(rawValue: 1 << 4)
    static let possessive = TokenFlags(rawValue: 1 << 5)    // followed by 's (not in the span)
    static let joined = TokenFlags(rawValue: 1 << 6)        // no space before (hyphen, camel or digit split)
    static let hyphenBefore = TokenFlags(rawValue: 1 << 7)  // a hyphen joined it to the previous token
    static let spaceBefore = TokenFlags(rawValue: 1 << 8)
    static let newlineBefore = TokenFlags(rawValue: 1 << 9) // a line break before (block or row boundary)
    static let blankBefore = TokenFlags(rawValue: 1 << 10)  // an empty line before (paragraph boundary)
    static let tabBefore = TokenFlags(rawValue: 1 << 11)    // a tab before (table cell boundary)
    static let skip = TokenFlags(rawValue: 1 << 12)         // inside a skipped section: no matching
    static let capsLine = TokenFlags(rawValue: 1 << 13)     // on a line written mostly in capitals
    static let lowerStart = TokenFlags(rawValue: 1 << 14)   // first letter is lower case
    static let splitBefore = TokenFlags(rawValue: 1 << 15)  // split from a number before it ("295C")
    static let camelBefore = TokenFlags(rawValue: 1 << 16)  // split at a lower->upper change ("preCEDAW")

    /// Breaks a name cannot run across: a line break or a table cell.
    static let hardBreak: TokenFlags = [.newlineBefore, .tabBefore]
}

struct Token: Sendable {
    var start: Int32
    var end: Int32
    /// Vocabulary id of the normalized (case-folded) form; -1 when no gazetteer or pattern uses it.
    var id: Int32
    var flags: TokenFlags
    /// For punctuation: the ASCII mark it stands for (’ -> ', “ -> ", – -> -); 0 for words.
    var punct: UInt8

    @inline(__always) func has(_ f: TokenFlags) -> Bool { flags.contains(f) }
    @inline(__always) var isWord: Bool { flags.contains(.word) }
    @inline(__always) var length: Int { Int(end - start) }
}

/// Interned normalized token forms: an open-addressing hash table over a byte arena.
struct Vocabulary: Sendable {
    private(set) var arena: [UInt8] = []
    private(set) var offsets: [Int32] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { offsets.count - 1 }

    @inline(__always) static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in p {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// The id of `p`, or -1.
    func find(_ p: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Vocabulary.hash(p)
        return arena.withUnsafeBufferPointer { ar in
            offsets.withUnsafeBufferPointer { off in
                slots.withUnsafeBufferPointer { sl in
                    var i = Int(truncatingIfNeeded: h) & mask
                    while true {
                        let s = sl[i]
                        if s == 0 { return -1 }
                        let id = Int(s - 1)
                        let a = Int(off[id]), b = Int(off[id + 1])
                        if b - a == p.count && hashes[id] == h {
                            var same = true
                            var k = 0
                            while k < p.count {
                                if ar[a + k] != p[k] { same = false; break }
                                k += 1
                            }
                            if same { return Int32(id) }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
    }

    mutating func intern(_ p: UnsafeBufferPointer<UInt8>) -> Int32 {
        let found = find(p)
        if found >= 0 { return found }
        if (count + 1) * 2 > slots.count { grow() }
        let id = Int32(count)
        arena.append(contentsOf: p)
        offsets.append(Int32(arena.count))
        let h = Vocabulary.hash(p)
        hashes.append(h)
        insertSlot(id: id, hash: h)
        return id
    }

    mutating func intern(_ s: String) -> Int32 {
        var bytes = Array(s.utf8)
        return bytes.withUnsafeMutableBufferPointer { intern(UnsafeBufferPointer($0)) }
    }

    func find(_ s: String) -> Int32 {
        let bytes = Array(s.utf8)
        return bytes.withUnsafeBufferPointer { find($0) }
    }

    private mutating func insertSlot(id: Int32, hash h: UInt64) {
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = id + 1
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for id in 0..<count { insertSlot(id: Int32(id), hash: hashes[id]) }
    }

    func string(_ id: Int32) -> String {
        let a = Int(offsets[Int(id)]), b = Int(offsets[Int(id) + 1])
        return String(decoding: arena[a..<b], as: UTF8.self)
    }
}

// MARK: - Character classes

enum CharClass {
    /// Decodes the scalar at `i` (assumes valid UTF-8; NFC text from ingest). Returns value and length.
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let c0 = b[i]
        if c0 < 0x80 { return (UInt32(c0), 1) }
        let n = b.count
        if c0 & 0xE0 == 0xC0, i + 1 < n {
            return ((UInt32(c0 & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F), 2)
        }
        if c0 & 0xF0 == 0xE0, i + 2 < n {
            return ((UInt32(c0 & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F), 3)
        }
        if c0 & 0xF8 == 0xF0, i + 3 < n {
            return ((UInt32(c0 & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12)
                    | (UInt32(b[i + 2] & 0x3F) << 6) | UInt32(b[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    @inline(__always) static func isASCIIAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    @inline(__always) static func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }

    /// Non-ASCII scalars that separate words like a space.
    static func isSpace(_ v: UInt32) -> Bool {
        v == 0xA0 || (v >= 0x2000 && v <= 0x200B) || v == 0x202F || v == 0x205F || v == 0x3000
            || v == 0x2028 || v == 0x2029 || v == 0xFEFF
    }

    /// Non-ASCII punctuation, mapped to the ASCII mark it plays; 0 when `v` is a letter.
    static func punct(_ v: UInt32) -> UInt8 {
        switch v {
        case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032: return 0x27        // ' quotes, prime
        case 0x201C, 0x201D, 0x201E, 0x201F, 0xAB, 0xBB, 0x2033: return 0x22  // " quotes
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212: return 0x2D  // dashes
        case 0x2026: return 0x2E                                         // …
        case 0x2022, 0x00B7, 0x2023, 0x25CF, 0x25AA, 0x25E6: return 0x2A  // bullets
        case 0xA7: return 0xA7 & 0x7F                                     // §
        default:
            if v >= 0x2000 && v <= 0x206F { return 0x3F }
            if v >= 0xA1 && v <= 0xBF { return 0x3F }
            if v == 0xD7 || v == 0xF7 { return 0x3F }
            if v >= 0x2100 && v <= 0x2BFF { return 0x3F }   // symbols, arrows, shapes
            if v >= 0x3000 && v <= 0x303F { return 0x3F }
            if v >= 0x1F000 { return 0x3F }                  // emoji
            return 0
        }
    }

    /// Latin Extended-A (U+0100..U+017F) folded to ASCII base letters.
    private static let extendedA: [UInt8] = Array(
        ("aaaaaa" + "cccccccc" + "dddd" + "eeeeeeeeee" + "gggggggg" + "hhhh" + "iiiiiiiiii" + "ii" + "jj"
         + "kkk" + "llllllllll" + "nnnnnnnnn" + "oooooo" + "oo" + "rrrrrr" + "ssssssss" + "tttttt"
         + "uuuuuuuuuuuu" + "ww" + "yyy" + "zzzzzz" + "s").utf8)

    /// Latin-1 supplement letters (U+00C0..U+00FF) folded; two letters for æ, ß, þ.
    private static let latin1: [String] = [
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    ]
    private static let latin1Bytes: [[UInt8]] = latin1.map { Array($0.utf8) }

    /// Appends the folded lower-case form of scalar `v` (encoded as `raw`) to `out`.
    /// Returns +1 when the scalar is an upper-case letter, -1 lower-case, 0 neither/unknown.
    @inline(__always)
    static func fold(_ v: UInt32, raw: UnsafeBufferPointer<UInt8>, at i: Int, len: Int, into out: inout [UInt8]) -> Int {
        if v >= 0xC0 && v <= 0xFF {
            out.append(contentsOf: latin1Bytes[Int(v - 0xC0)])
            if v == 0xDF || v == 0xFF { return -1 }
            return v < 0xE0 ? 1 : -1
        }
        if v >= 0x100 && v <= 0x17F {
            out.append(extendedA[Int(v - 0x100)])
            let upper: Bool
            if v == 0x138 || v == 0x149 || v == 0x17F { upper = false }
            else if (v >= 0x139 && v <= 0x148) || (v >= 0x179 && v <= 0x17E) { upper = v % 2 == 1 }
            else if v == 0x178 { upper = true }
            else { upper = v % 2 == 0 }
            return upper ? 1 : -1
        }
        for k in 0..<len { out.append(raw[i + k]) }
        return 0
    }
}

// MARK: - Tokenizer

enum Tokenizer {
    /// Tokenizes `bytes`. `lookup` maps a normalized token to its vocabulary id (or -1).
    /// `skip` ranges (byte offsets, sorted) mark tokens with `.skip`.
    /// `prescan` finds URLs and lines in capitals first (documents); names and cues skip it.
    static func tokenize(_ bytes: [UInt8], skip: [Range<Int>] = [], prescan: Bool = true,
                         lookup: (UnsafeBufferPointer<UInt8>) -> Int32) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 5 + 8)
        var norm: [UInt8] = []
        norm.reserveCapacity(64)
        bytes.withUnsafeBufferPointer { b in
            tokenize(b, skip: skip, prescan: prescan, into: &tokens, norm: &norm, lookup: lookup)
        }
        return tokens
    }

    /// The same, appending to `tokens` and using `norm` as scratch space (no allocation per call
    /// once the buffers have grown: the gazetteer compiler tokenizes hundreds of thousands of names).
    static func tokenize(_ b: UnsafeBufferPointer<UInt8>, skip: [Range<Int>] = [], prescan: Bool = true,
                         into tokens: inout [Token], norm: inout [UInt8],
                         lookup: (UnsafeBufferPointer<UInt8>) -> Int32) {
        do {
            let urls = prescan ? urlRanges(b) : []
            var urlIndex = 0
            var skipIndex = 0
            var pending: TokenFlags = []
            var newlines = 0
            let n = b.count
            var i = 0
            let caps = prescan ? capsLines(b) : []
            var capsIndex = 0

            while i < n {
                // URLs and e-mail addresses: skip whole.
                while urlIndex < urls.count && urls[urlIndex].upperBound <= i { urlIndex += 1 }
                if urlIndex < urls.count && urls[urlIndex].contains(i) {
                    i = urls[urlIndex].upperBound
                    pending.insert(.spaceBefore)
                    continue
                }
                let c = b[i]
                if c == 0x20 || c == 0x0D || c == 0x0C || c == 0x0B {
                    pending.insert(.spaceBefore); i += 1; continue
                }
                if c == 0x0A {
                    newlines += 1
                    pending.insert([.spaceBefore, .newlineBefore])
                    if newlines >= 2 { pending.insert(.blankBefore) }
                    i += 1
                    continue
                }
                if c == 0x09 {
                    pending.insert([.spaceBefore, .tabBefore]); i += 1; continue
                }
                var scalar: UInt32 = UInt32(c)
                var slen = 1
                if c >= 0x80 {
                    (scalar, slen) = CharClass.decode(b, i)
                    if CharClass.isSpace(scalar) { pending.insert(.spaceBefore); i += slen; continue }
                }
                let isLetterOrDigit: Bool
                if c < 0x80 { isLetterOrDigit = CharClass.isASCIIAlnum(c) } else { isLetterOrDigit = CharClass.punct(scalar) == 0 }
                var flags = pending
                pending = []
                newlines = 0
                while skipIndex < skip.count && skip[skipIndex].upperBound <= i { skipIndex += 1 }
                if skipIndex < skip.count && skip[skipIndex].contains(i) { flags.insert(.skip) }
                while capsIndex < caps.count && caps[capsIndex].upperBound <= i { capsIndex += 1 }
                if capsIndex < caps.count && caps[capsIndex].contains(i) { flags.insert(.capsLine) }
                if !flags.contains(.spaceBefore) && !tokens.isEmpty { flags.insert(.joined) }

                if !isLetterOrDigit {
                    let mark: UInt8 = c < 0x80 ? c : CharClass.punct(scalar)
                    // A hyphen between two word characters joins them: no token.
                    if c == 0x2D || scalar == 0x2010 || scalar == 0x2011, !flags.contains(.spaceBefore), let last = tokens.last, last.isWord,
                       Int(last.end) == i, i + slen < n, CharClass.isASCIIAlnum(b[i + slen]) || b[i + slen] >= 0xC0 {
                        pending = [.hyphenBefore]
                        i += slen
                        continue
                    }
                    norm.removeAll(keepingCapacity: true)
                    norm.append(mark)
                    let id = norm.withUnsafeBufferPointer { lookup($0) }
                    tokens.append(Token(start: Int32(i), end: Int32(i + slen), id: id, flags: flags, punct: mark))
                    i += slen
                    continue
                }
                // A word.
                let start = i
                norm.removeAll(keepingCapacity: true)
                var hasUpper = false, hasLower = false, hasLetter = false, hasDigit = false
                var firstCase = 0
                var prevKind = 0  // 1 digit, 2 lower, 3 upper, 4 other letter
                var end = i
                var possessive = false
                var digitSplit = false
                var camelSplit = false
                var j = i
                while j < n {
                    let d = b[j]
                    var v = UInt32(d)
                    var l = 1
                    if d >= 0x80 {
                        (v, l) = CharClass.decode(b, j)
                        if CharClass.isSpace(v) { break }
                    }
                    let p: UInt8 = d < 0x80 ? (CharClass.isASCIIAlnum(d) ? 0 : d) : CharClass.punct(v)
                    if p != 0 {
                        // Apostrophe inside a word: possessive 's ends the token; otherwise kept (O'Brien).
                        if p == 0x27 && j > start && j + l < n {
                            let nx = b[j + l]
                            if (nx == 0x73 || nx == 0x53) && (j + l + 1 >= n || !isWordByte(b, j + l + 1)) {
                                possessive = true
                                end = j
                                j = j + l + 1
                                break
                            }
                            if CharClass.isASCIIAlnum(nx) && prevKind >= 2 {
                                norm.append(0x27)
                                j += l
                                prevKind = 4
                                continue
                            }
                        }
                        break
                    }
                    let kind: Int
                    if d < 0x80 {
                        if CharClass.isDigit(d) { kind = 1 } else if CharClass.isLower(d) { kind = 2 } else { kind = 3 }
                    } else {
                        kind = 4
                    }
                    // Splits: digit -> letter ("295C"), lower -> upper ("HRDsAbstract").
                    if j > start && ((prevKind == 1 && kind >= 2) || (prevKind == 2 && kind == 3)) {
                        digitSplit = prevKind == 1
                        camelSplit = prevKind == 2
                        break
                    }
                    switch kind {
                    case 1:
                        hasDigit = true
                        norm.append(d)
                    case 2:
                        hasLetter = true; hasLower = true
                        if firstCase == 0 { firstCase = -1 }
                        norm.append(d)
                    case 3:
                        hasLetter = true; hasUpper = true
                        if firstCase == 0 { firstCase = 1 }
                        norm.append(d | 0x20)
                    default:
                        let cs = CharClass.fold(v, raw: b, at: j, len: l, into: &norm)
                        hasLetter = true
                        if cs > 0 { hasUpper = true } else if cs < 0 { hasLower = true }
                        if firstCase == 0 { firstCase = cs == 0 ? 2 : cs }
                    }
                    prevKind = kind
                    j += l
                    end = j
                }
                if !possessive { end = j }
                if hasLetter { flags.insert(.hasLetter) }
                if hasDigit { flags.insert(.hasDigit) }
                if firstCase == 1 { flags.insert(.capitalized) }
                if firstCase == -1 { flags.insert(.lowerStart) }
                if hasUpper && !hasLower { flags.insert(.allUpper) }
                if possessive { flags.insert(.possessive) }
                flags.insert(.word)
                let id = norm.withUnsafeBufferPointer { lookup($0) }
                tokens.append(Token(start: Int32(start), end: Int32(end), id: id, flags: flags, punct: 0))
                i = j
                if digitSplit { pending = [.splitBefore] }
                if camelSplit { pending = [.camelBefore] }
            }
        }
    }

    /// Lines written mostly in capitals (headings, titles): at least 12 capitals and 70 % of the
    /// letters, or at least 4 capitals and no lower-case letter ("CONCLUSION").
    static func capsLines(_ b: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var s = 0
        var upper = 0, lower = 0
        let n = b.count
        var i = 0
        while i <= n {
            if i == n || b[i] == 0x0A {
                if (upper >= 12 && upper * 10 >= (upper + lower) * 7) || (upper >= 4 && lower == 0) { out.append(s..<i) }
                upper = 0; lower = 0; s = i + 1
            } else {
                let c = b[i]
                if CharClass.isUpper(c) { upper += 1 } else if CharClass.isLower(c) { lower += 1 }
            }
            i += 1
        }
        return out
    }

    @inline(__always)
    private static func isWordByte(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let c = b[i]
        if c < 0x80 { return CharClass.isASCIIAlnum(c) }
        let (v, _) = CharClass.decode(b, i)
        return !CharClass.isSpace(v) && CharClass.punct(v) == 0
    }

    /// Byte ranges of URLs and e-mail addresses: chunks between spaces/brackets/quotes that contain
    /// "://", start with "www." or hold an "@" between word characters.
    static func urlRanges(_ b: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let n = b.count
        var i = 0
        while i < n {
            // Find a chunk.
            while i < n && isChunkDelimiter(b[i]) { i += 1 }
            let s = i
            var hit = false
            while i < n && !isChunkDelimiter(b[i]) {
                let c = b[i]
                if c == 0x40 /* @ */ && i > s && i + 1 < n && CharClass.isASCIIAlnum(b[i - 1]) && CharClass.isASCIIAlnum(b[i + 1]) { hit = true }
                if c == 0x3A /* : */ && i + 2 < n && b[i + 1] == 0x2F && b[i + 2] == 0x2F { hit = true }
                i += 1
            }
            if !hit && i - s > 4 && (b[s] | 0x20) == 0x77 && (b[s + 1] | 0x20) == 0x77 && (b[s + 2] | 0x20) == 0x77 && b[s + 3] == 0x2E {
                hit = true
            }
            if hit {
                // Trailing sentence punctuation is not part of the address.
                var e = i
                while e > s && (b[e - 1] == 0x2E || b[e - 1] == 0x2C || b[e - 1] == 0x3B || b[e - 1] == 0x29) { e -= 1 }
                out.append(s..<e)
            }
        }
        return out
    }

    @inline(__always)
    private static func isChunkDelimiter(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x3C || c == 0x3E || c == 0x22 || c == 0x28 || c == 0x5B || c == 0x5D
    }

    /// Normalized forms of the tokens of a short phrase (an alias, a cue): used at build time.
    static func normalizedTokens(_ phrase: String) -> [(norm: [UInt8], raw: [UInt8], flags: TokenFlags, punct: UInt8)] {
        let bytes = Array(phrase.utf8)
        var out: [(norm: [UInt8], raw: [UInt8], flags: TokenFlags, punct: UInt8)] = []
        var captured: [[UInt8]] = []
        let toks = tokenize(bytes) { p in
            captured.append(Array(p))
            return -1
        }
        for (k, t) in toks.enumerated() {
            out.append((captured[k], Array(bytes[Int(t.start)..<Int(t.end)]), t.flags, t.punct))
        }
        return out
    }
}
