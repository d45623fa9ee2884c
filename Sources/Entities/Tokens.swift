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
//
// The document scan is one pass over the bytes: it finds the tokens, the lines written in capitals
// and the URLs together, and looks words up in a `WordTable` (an open-addressing table keyed by
// the normalized bytes, hashed 8 bytes at a time straight from the text for ASCII words).

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
    /// Two or more ASCII capitals, no lower-case letter but a final "s", nothing non-ASCII ("NGOs").
    static let acronymShape = TokenFlags(rawValue: 1 << 17)
    /// The one token that stands for a skipped section (with `.skip`; see `Tokenizer.skippedSection`).
    static let skippedSection = TokenFlags(rawValue: 1 << 18)

    /// Breaks a name cannot run across: a line break or a table cell.
    static let hardBreak: TokenFlags = [.newlineBefore, .tabBefore]
    // Unions as constants: an array literal of an option set builds an array each time.
    static let spaceNewline = TokenFlags(rawValue: spaceBefore.rawValue | newlineBefore.rawValue)
    static let spaceTab = TokenFlags(rawValue: spaceBefore.rawValue | tabBefore.rawValue)
}

struct Token: Sendable {
    var start: Int32
    var end: Int32
    /// Vocabulary id of the normalized (case-folded) form; -1 when no gazetteer or pattern uses it.
    var id: Int32
    var flags: TokenFlags
    /// For punctuation: the ASCII mark it stands for (’ -> ', “ -> ", – -> -); 0 for words.
    var punct: UInt8
    /// What the patterns know of the word (`WordClass` bits; 0 when none or not a document token).
    var info: UInt32 = 0

    @inline(__always) func has(_ f: TokenFlags) -> Bool { flags.contains(f) }
    @inline(__always) func `is`(_ c: WordClass) -> Bool { info & c.rawValue != 0 }
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
        find(p, hash: Vocabulary.hash(p))
    }

    @inline(__always)
    private func find(_ p: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32 {
        arena.withUnsafeBufferPointer { ar in
            offsets.withUnsafeBufferPointer { off in
                slots.withUnsafeBufferPointer { sl in
                    hashes.withUnsafeBufferPointer { hs in
                        var i = Int(truncatingIfNeeded: h) & mask
                        while true {
                            let s = sl[i]
                            if s == 0 { return -1 }
                            let id = Int(s - 1)
                            if hs[id] == h {
                                let a = Int(off[id]), b = Int(off[id + 1])
                                if b - a == p.count {
                                    var k = 0
                                    while k < p.count && ar[a + k] == p[k] { k += 1 }
                                    if k == p.count { return Int32(id) }
                                }
                            }
                            i = (i + 1) & mask
                        }
                    }
                }
            }
        }
    }

    mutating func intern(_ p: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Vocabulary.hash(p)
        let found = find(p, hash: h)
        if found >= 0 { return found }
        if (count + 1) * 2 > slots.count { grow() }
        let id = Int32(count)
        arena.append(contentsOf: p)
        offsets.append(Int32(arena.count))
        hashes.append(h)
        insertSlot(id: id, hash: h)
        return id
    }

    mutating func intern(_ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { intern($0) }
    }

    func find(_ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { find($0) }
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

    /// The two tables flat: for U+00C0+k, bytes latin1Pairs[2k], latin1Pairs[2k+1] (0 = none);
    /// for U+0100+k, extendedAFlat[k].
    static let latin1Pairs: [UInt8] = latin1Bytes.flatMap { ($0 + [0, 0]).prefix(2) }
    static let extendedAFlat: [UInt8] = extendedA

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
            return extendedAIsUpper(v) ? 1 : -1
        }
        for k in 0..<len { out.append(raw[i + k]) }
        return 0
    }

    @inline(__always) static func extendedAIsUpper(_ v: UInt32) -> Bool {
        if v == 0x138 || v == 0x149 || v == 0x17F { return false }
        if (v >= 0x139 && v <= 0x148) || (v >= 0x179 && v <= 0x17E) { return v % 2 == 1 }
        if v == 0x178 { return true }
        return v % 2 == 0
    }

    /// Byte classes for the scan: bits 0-2 the kind, bit 3 a URL chunk delimiter.
    static let kindOther: UInt8 = 0, kindDigit: UInt8 = 1, kindLower: UInt8 = 2, kindUpper: UInt8 = 3
    static let kindSpace: UInt8 = 4, kindNewline: UInt8 = 5, kindTab: UInt8 = 6, kindHigh: UInt8 = 7
    static let delimiterBit: UInt8 = 8
    /// A byte a plain word does not end at: non-ASCII, an apostrophe, NUL (the word goes on, or
    /// needs a closer look).
    static let wordGoesOnBit: UInt8 = 16
    /// A byte a plain word ends at, with nothing more to look at: not a letter or digit, and not
    /// `wordGoesOnBit`.
    static let plainEndBit: UInt8 = 32
    /// `byteClass` in memory that lives as long as the process (read without a closure).
    nonisolated(unsafe) static let classTable: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for (i, c) in byteClass.enumerated() { p[i] = c }
        return UnsafePointer(p)
    }()
    static let byteClass: [UInt8] = (0..<256).map { (c: Int) -> UInt8 in
        let b = UInt8(c)
        var k: UInt8
        if b >= 0x80 { k = kindHigh }
        else if isDigit(b) { k = kindDigit }
        else if isLower(b) { k = kindLower }
        else if isUpper(b) { k = kindUpper }
        else if b == 0x20 || b == 0x0D || b == 0x0C || b == 0x0B { k = kindSpace }
        else if b == 0x0A { k = kindNewline }
        else if b == 0x09 { k = kindTab }
        else { k = kindOther }
        // URL chunks end at spaces, brackets and quotes.
        if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x28 || b == 0x5B || b == 0x5D {
            k |= delimiterBit
        }
        if b >= 0x80 || b == 0x27 || b == 0 { k |= wordGoesOnBit }
        if !isASCIIAlnum(b) && k & wordGoesOnBit == 0 { k |= plainEndBit }
        return k
    }
}

// MARK: - Word lookup

/// What the tokenizer asks of a vocabulary: the id of a word or a mark, and its `WordClass` bits.
protocol TokenLookup {
    /// A word made of ASCII letters, digits and apostrophes: its normalized form is each byte of
    /// `raw[0..<count]` with 0x20 set. At least `readable` bytes may be read from `raw`.
    func plainWord(_ raw: UnsafePointer<UInt8>, _ count: Int, readable: Int) -> (Int32, UInt32)
    /// A word by its normalized bytes. Eight bytes past the end may be read (and are ignored).
    func normalizedWord(_ norm: UnsafePointer<UInt8>, _ count: Int) -> (Int32, UInt32)
    func punct(_ mark: UInt8) -> (Int32, UInt32)
    /// Whether the scan also gathers the `TokenIndex` (documents).
    static var collectsIndex: Bool { get }
}

extension TokenLookup {
    static var collectsIndex: Bool { false }

    /// Runs `body` with the normalized form of a plain word.
    @inline(__always)
    static func lowered<R>(_ raw: UnsafePointer<UInt8>, _ count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { buf in
            for k in 0..<count { buf[k] = raw[k] | 0x20 }
            return body(UnsafeBufferPointer(rebasing: buf[0..<count]))
        }
    }
}

/// Building: every form is interned into `vocab` (a class, so the scan can hold it by value).
final class Interner: TokenLookup {
    var vocab: Vocabulary

    init(_ vocab: Vocabulary) { self.vocab = vocab }

    func plainWord(_ raw: UnsafePointer<UInt8>, _ count: Int, readable: Int) -> (Int32, UInt32) {
        (Interner.lowered(raw, count) { vocab.intern($0) }, 0)
    }
    func normalizedWord(_ norm: UnsafePointer<UInt8>, _ count: Int) -> (Int32, UInt32) {
        (vocab.intern(UnsafeBufferPointer(start: norm, count: count)), 0)
    }
    func punct(_ mark: UInt8) -> (Int32, UInt32) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { buf in
            buf[0] = mark
            return (vocab.intern(UnsafeBufferPointer(buf)), 0)
        }
    }
}

/// A closure over the normalized bytes (build-time helpers).
private struct ClosureLookup: TokenLookup {
    let f: (UnsafeBufferPointer<UInt8>) -> Int32
    func plainWord(_ raw: UnsafePointer<UInt8>, _ count: Int, readable: Int) -> (Int32, UInt32) {
        (ClosureLookup.lowered(raw, count, f), 0)
    }
    func normalizedWord(_ norm: UnsafePointer<UInt8>, _ count: Int) -> (Int32, UInt32) {
        (f(UnsafeBufferPointer(start: norm, count: count)), 0)
    }
    func punct(_ mark: UInt8) -> (Int32, UInt32) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { buf in
            buf[0] = mark
            return (f(UnsafeBufferPointer(buf)), 0)
        }
    }
}

/// The vocabulary frozen for the document scan. Words of up to 8 bytes (most) are found by one
/// 8-byte load of the text and one multiply: a sparse open-addressing table (at most 1/8 full, so
/// the first slot is nearly always the word or empty) whose empty slots hold the "not found"
/// answer, so the lookup has no branch on the outcome (which cannot be predicted). Words of 9 to
/// 16 bytes are found the same way by their two 8-byte halves; every word longer than 8 bytes also
/// lives in an open-addressing table of its first 8 bytes, checked against the rest (any length,
/// any normalized form). No string, hasher or closure. Built once per run, shared read-only by
/// every thread.
final class WordTable: @unchecked Sendable {
    /// A word of up to 8 normalized bytes (zero-padded; 0 = an empty slot: no word starts with
    /// NUL), its id and `WordClass` bits (-1 and 0 in an empty slot: the answer for a word not found).
    struct Entry {
        var w0: UInt64 = 0
        var id: Int32 = -1
        var info: UInt32 = 0
    }
    /// A word of 9 to 16 normalized bytes: its two halves (the second zero-padded, so never 0), id
    /// and bits (-1 and 0 in an empty slot).
    struct Pair {
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var id: Int32 = -1
        var info: UInt32 = 0
    }
    /// A long word: its first 8 bytes, id and bits.
    struct Slot {
        var w0: UInt64
        var id: Int32
        var info: UInt32
    }

    /// Short words, at the slot of their multiplicative hash (or after it).
    fileprivate let entries: UnsafeMutablePointer<Entry>
    fileprivate let entryShift: UInt64
    fileprivate let entryCount: Int
    /// Words of 9 to 16 bytes (the plain words of the scan), at the slot of their hash or after it.
    fileprivate let pairs: UnsafeMutablePointer<Pair>
    fileprivate let pairShift: UInt64
    fileprivate let pairCount: Int
    /// Every word longer than 8 bytes, by its first 8 bytes.
    fileprivate let slots: UnsafeMutablePointer<Slot>
    fileprivate let shift: UInt64
    fileprivate let size: Int
    fileprivate let arena: UnsafeMutablePointer<UInt8>     // normalized bytes of every word, + 16 bytes of padding
    fileprivate let offsets: UnsafeMutablePointer<Int32>
    private let arenaCount: Int
    let maxLength: Int
    let punctIds: [Int32]
    let punctInfos: [UInt32]
    /// `probe` in memory that lives with the table (the scan holds a pointer to it, not a copy).
    fileprivate let probeStorage: UnsafeMutablePointer<Probe>

    /// A power-of-two table size that keeps `count` entries at most 1/`sparseness` full, and the
    /// shift that takes a 64-bit hash's top bits to a slot.
    private static func tableSize(_ count: Int, sparseness: Int) -> (size: Int, shift: UInt64) {
        var n = 16
        while n < count * sparseness { n <<= 1 }
        return (n, UInt64(64 - n.trailingZeroBitCount))
    }

    init(_ vocab: Vocabulary, info: [UInt32] = []) {
        let count = vocab.count
        arenaCount = vocab.arena.count
        let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCount + 16)
        arena.initialize(repeating: 0, count: arenaCount + 16)
        vocab.arena.withUnsafeBufferPointer { a in
            if let base = a.baseAddress { arena.update(from: base, count: a.count) }
        }
        let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: count + 1)
        vocab.offsets.withUnsafeBufferPointer { o in offsets.initialize(from: o.baseAddress!, count: count + 1) }
        self.arena = arena
        self.offsets = offsets
        func bits(_ id: Int) -> UInt32 { id < info.count ? info[id] : 0 }

        var shortCount = 0, longCount = 0, longest = 0
        for id in 0..<count {
            let len = Int(offsets[id + 1] - offsets[id])
            longest = max(longest, len)
            if len == 0 || arena[Int(offsets[id])] == 0 { continue }
            if len <= 8 { shortCount += 1 } else { longCount += 1 }
        }
        maxLength = longest
        // Short words and words of 9 to 16 bytes: at most 1/8 full; long words: at most 1/4.
        let ne: Int, np: Int, s: Int
        (ne, entryShift) = Self.tableSize(shortCount, sparseness: 8)
        (np, pairShift) = Self.tableSize(longCount, sparseness: 8)
        (s, shift) = Self.tableSize(longCount, sparseness: 4)
        entryCount = ne
        pairCount = np
        size = s
        entries = .allocate(capacity: ne)
        entries.initialize(repeating: Entry(), count: ne)
        pairs = .allocate(capacity: np)
        pairs.initialize(repeating: Pair(), count: np)
        slots = .allocate(capacity: s)
        slots.initialize(repeating: Slot(w0: 0, id: -1, info: 0), count: s)

        for id in 0..<count {
            let a = Int(offsets[id]), len = Int(offsets[id + 1]) - a
            if len == 0 || arena[a] == 0 { continue }
            let (h, w0) = WordTable.key(arena + a, len, or: 0, readable: len + 8)
            if len <= 8 {
                var e = WordTable.slot(w0, entryShift)
                while entries[e].w0 != 0 { e = (e + 1) & (ne - 1) }
                entries[e] = Entry(w0: w0, id: Int32(id), info: bits(id))
            } else {
                var i = Int(truncatingIfNeeded: h >> shift)
                while slots[i].w0 != 0 { i = (i + 1) & (s - 1) }
                slots[i] = Slot(w0: w0, id: Int32(id), info: bits(id))
                if len <= 16 {
                    let w1 = WordTable.chunk(arena + a, 8, len - 8, or: 0, readable: len + 8)
                    var e = WordTable.pairSlot(w0, w1, pairShift)
                    while pairs[e].w0 != 0 { e = (e + 1) & (np - 1) }
                    pairs[e] = Pair(w0: w0, w1: w1, id: Int32(id), info: bits(id))
                }
            }
        }
        var marks = [Int32](repeating: -1, count: 256)
        var markInfos = [UInt32](repeating: 0, count: 256)
        for m in 0..<256 {
            let b = [UInt8(m)]
            let id = b.withUnsafeBufferPointer { vocab.find($0) }
            marks[m] = id
            if id >= 0 { markInfos[m] = bits(Int(id)) }
        }
        punctIds = marks
        punctInfos = markInfos
        probeStorage = .allocate(capacity: 1)
        probeStorage.initialize(to: probe)
    }

    deinit {
        probeStorage.deallocate()
        entries.deallocate()
        pairs.deallocate()
        slots.deallocate()
        arena.deallocate()
        offsets.deallocate()
    }

    /// The home slot of a short word: the top bits of one multiply (each byte reaches them).
    @inline(__always) fileprivate static func slot(_ w0: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (w0 &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The home slot of a word of 9 to 16 bytes.
    @inline(__always) fileprivate static func pairSlot(_ w0: UInt64, _ w1: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: ((w0 ^ (w1 &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// Eight bytes from `p + k`, `or`-ed, only the first `r` (1...8) kept.
    @inline(__always)
    private static func chunk(_ p: UnsafePointer<UInt8>, _ k: Int, _ r: Int, or: UInt64, readable: Int) -> UInt64 {
        var w: UInt64
        if k + 8 <= readable {
            w = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
        } else {
            w = 0
            for t in 0..<r { w |= UInt64(p[k + t]) << (8 * UInt64(t)) }
        }
        w |= or
        if r < 8 { w &= (1 &<< (8 &* UInt64(r))) &- 1 }
        return w
    }

    /// The hash of a long word and its first chunk.
    @inline(__always)
    private static func key(_ p: UnsafePointer<UInt8>, _ len: Int, or: UInt64, readable: Int) -> (UInt64, UInt64) {
        let w0 = chunk(p, 0, len < 8 ? len : 8, or: or, readable: readable)
        var h = (UInt64(truncatingIfNeeded: len) ^ w0) &* 0x9E37_79B9_7F4A_7C15
        var k = 8
        while k < len {
            let w = chunk(p, k, len - k < 8 ? len - k : 8, or: or, readable: readable)
            h = ((h ^ (h >> 29)) ^ w) &* 0xBF58_476D_1CE4_E5B9
            k += 8
        }
        h ^= h >> 32
        h = h &* 0x94D0_49BB_1331_11EB
        return (h, w0)
    }

    /// The table's memory, for lookups without reference counting.
    fileprivate struct Probe {
        let entries: UnsafePointer<Entry>
        let entryShift: UInt64
        let entryMask: Int
        let pairs: UnsafePointer<Pair>
        let pairShift: UInt64
        let pairMask: Int
        let slots: UnsafePointer<Slot>
        let shift: UInt64
        let mask: Int
        let maxLength: Int
        let arena: UnsafePointer<UInt8>
        let offsets: UnsafePointer<Int32>

        /// A word of up to 8 bytes by its zero-padded bytes.
        @inline(__always)
        func short(_ w0: UInt64) -> (Int32, UInt32) {
            var e = WordTable.slot(w0, entryShift)
            // Past slots that hold other words (rare, so predicted); the slot reached holds the
            // word or is empty, and either way holds the answer.
            while entries[e].w0 != w0 && entries[e].w0 != 0 { e = (e &+ 1) & entryMask }
            return (entries[e].id, entries[e].info)
        }

        /// Id and `WordClass` bits of a word, (-1, 0) when not in the table.
        func find(_ p: UnsafePointer<UInt8>, _ len: Int, or: UInt64, readable: Int) -> (Int32, UInt32) {
            if len > maxLength || len == 0 { return (-1, 0) }
            if len <= 8 { return short(WordTable.chunk(p, 0, len, or: or, readable: readable)) }
            let (h, w0) = WordTable.key(p, len, or: or, readable: readable)
            var i = Int(truncatingIfNeeded: h >> shift)
            while true {
                let s = slots[i]
                if s.w0 == 0 { return (-1, 0) }
                if s.w0 == w0 {
                    let a = Int(offsets[Int(s.id)])
                    if Int(offsets[Int(s.id) + 1]) - a == len {
                        var k = 8
                        var same = true
                        while k < len {
                            let r = len - k < 8 ? len - k : 8
                            if WordTable.chunk(p, k, r, or: or, readable: readable) != WordTable.chunk(arena + a, k, r, or: 0, readable: len + 8) { same = false; break }
                            k += 8
                        }
                        if same { return (s.id, s.info) }
                    }
                }
                i = (i + 1) & mask
            }
        }

        /// A word of up to 8 bytes, reading the fields through the pointer (no copy of the probe).
        @inline(__always)
        static func short(_ pr: UnsafePointer<Probe>, _ w0: UInt64) -> (Int32, UInt32) {
            let entries = pr.pointee.entries
            var e = WordTable.slot(w0, pr.pointee.entryShift)
            while entries[e].w0 != w0 && entries[e].w0 != 0 { e = (e &+ 1) & pr.pointee.entryMask }
            return (entries[e].id, entries[e].info)
        }

        /// A plain word (ASCII letters, digits, '), normalized by setting 0x20 in each byte; read
        /// through a pointer (the probe is not copied).
        @inline(__always)
        static func plain(_ pr: UnsafePointer<Probe>, _ raw: UnsafePointer<UInt8>, _ count: Int, readable: Int) -> (Int32, UInt32) {
            if count <= 8 && readable >= 8 {
                let w0 = (UnsafeRawPointer(raw).loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020)
                    & (UInt64.max &>> UInt64(truncatingIfNeeded: 64 &- 8 &* count))
                return short(pr, w0)
            }
            if count <= 16 && readable >= 16 { return medium(pr, raw, count) }
            return pr.pointee.find(raw, count, or: 0x2020_2020_2020_2020, readable: readable)
        }

        /// A plain word of 9 to 16 bytes, 16 of them readable: two loads, one probe (most often).
        @inline(__always)
        static func medium(_ pr: UnsafePointer<Probe>, _ raw: UnsafePointer<UInt8>, _ count: Int) -> (Int32, UInt32) {
            let w0 = UnsafeRawPointer(raw).loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020
            let w1 = (UnsafeRawPointer(raw + 8).loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020)
                & (UInt64.max &>> UInt64(truncatingIfNeeded: 128 &- 8 &* count))
            let pairs = pr.pointee.pairs
            var e = WordTable.pairSlot(w0, w1, pr.pointee.pairShift)
            // Past slots that hold other words; the slot reached holds the word or is empty.
            while (pairs[e].w0 != w0 || pairs[e].w1 != w1) && pairs[e].w0 != 0 { e = (e &+ 1) & pr.pointee.pairMask }
            return (pairs[e].id, pairs[e].info)
        }
    }

    fileprivate var probe: Probe {
        Probe(entries: entries, entryShift: entryShift, entryMask: entryCount - 1,
              pairs: pairs, pairShift: pairShift, pairMask: pairCount - 1,
              slots: slots, shift: shift, mask: size - 1, maxLength: maxLength, arena: arena, offsets: offsets)
    }



    /// The id of normalized bytes, or -1.
    func find(_ p: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let base = p.baseAddress else { return -1 }
        return probe.find(base, p.count, or: 0, readable: p.count).0
    }

    /// The read-only view the tokenizer uses (valid while the table lives).
    struct Lookup: TokenLookup {
        let marks: UnsafePointer<Int32>
        let markInfos: UnsafePointer<UInt32>
        fileprivate let probe: UnsafePointer<Probe>

        init(table: WordTable, marks: UnsafePointer<Int32>, markInfos: UnsafePointer<UInt32>) {
            self.marks = marks
            self.markInfos = markInfos
            probe = UnsafePointer(table.probeStorage)
        }

        @inline(__always) func plainWord(_ raw: UnsafePointer<UInt8>, _ count: Int, readable: Int) -> (Int32, UInt32) {
            Probe.plain(probe, raw, count, readable: readable)
        }
        @inline(__always) func normalizedWord(_ norm: UnsafePointer<UInt8>, _ count: Int) -> (Int32, UInt32) {
            probe.pointee.find(norm, count, or: 0, readable: count + 8)
        }
        @inline(__always) func punct(_ mark: UInt8) -> (Int32, UInt32) { (marks[Int(mark)], markInfos[Int(mark)]) }
        static var collectsIndex: Bool { true }
    }
}

// MARK: - Tokenizer

/// Growable token storage for the scan (plain memory: no uniqueness check per token).
private struct TokenBuffer {
    var base: UnsafeMutablePointer<Token>
    var count = 0
    var capacity: Int
    /// False for an array's storage being filled in place: a token past the capacity is dropped
    /// and `overflowed` set (the scan is then run again with room for every byte).
    let growable: Bool
    var overflowed = false

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        growable = true
    }

    init(storage: UnsafeMutablePointer<Token>, capacity: Int) {
        base = storage
        self.capacity = capacity
        growable = false
    }

    @inline(__always) mutating func append(_ t: Token) {
        if count == capacity {
            if !growable { overflowed = true; return }
            grow()
        }
        (base + count).initialize(to: t)
        count &+= 1
    }

    mutating func grow() {
        let c = capacity * 2
        let nb = UnsafeMutablePointer<Token>.allocate(capacity: c)
        nb.moveInitialize(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = c
    }

    func free() { if growable { base.deallocate() } }
}

/// Where a document's patterns and gazetteer names may start (token indices, in order): gathered
/// by the scan (see `DocAnalysis`).
struct TokenIndex {
    var candidates: [Int32] = []
    var nameStarts: [Int32] = []
}

/// `TokenIndex` in plain memory while the scan runs.
private struct IndexBuffer {
    var cands: UnsafeMutablePointer<Int32>
    var candCount = 0, candCapacity: Int
    var starts: UnsafeMutablePointer<Int32>
    var startCount = 0, startCapacity: Int

    init(capacity: Int) {
        candCapacity = max(capacity, 1)
        startCapacity = max(capacity, 1)
        cands = .allocate(capacity: candCapacity)
        starts = .allocate(capacity: startCapacity)
    }

    func free() {
        cands.deallocate()
        starts.deallocate()
    }

    mutating func reset() {
        candCount = 0
        startCount = 0
    }

    @inline(__always) static func grow(_ p: inout UnsafeMutablePointer<Int32>, _ count: Int, _ capacity: inout Int) {
        let c = capacity * 2
        let np = UnsafeMutablePointer<Int32>.allocate(capacity: c)
        np.moveInitialize(from: p, count: count)
        p.deallocate()
        p = np
        capacity = c
    }

    @inline(__always) mutating func note(_ t: Token, _ k: Int) {
        // A name starts with the word (its bits are those of a known word) and it may start one.
        if t.info & WordClass.startsName.rawValue != 0 && t.flags.rawValue & DocAnalysis.nameStartMask == TokenFlags.word.rawValue {
            if startCount == startCapacity { IndexBuffer.grow(&starts, startCount, &startCapacity) }
            starts[startCount] = Int32(truncatingIfNeeded: k)
            startCount &+= 1
        }
        let f = t.flags.rawValue
        var c = (t.info & WordClass.patternStart.rawValue) | (f & TokenFlags.acronymShape.rawValue) | (t.punct == 0x28 ? 1 : 0)
        let digits = TokenFlags.word.rawValue | TokenFlags.hasDigit.rawValue
        if f & (digits | TokenFlags.hasLetter.rawValue) == digits {
            let len = t.end &- t.start
            if len <= 2 || len == 4 { c = 1 }
        }
        if c != 0 {
            if candCount == candCapacity { IndexBuffer.grow(&cands, candCount, &candCapacity) }
            cands[candCount] = Int32(truncatingIfNeeded: k)
            candCount &+= 1
        }
    }

    /// `note` for a word of letters with at most one capital, the first (no digits, no acronym
    /// shape, not a mark): only its `WordClass` bits can make it a candidate.
    @inline(__always) mutating func notePlainWord(_ t: Token, _ k: Int) {
        if t.info & WordClass.startsName.rawValue != 0 && t.flags.rawValue & DocAnalysis.nameStartMask == TokenFlags.word.rawValue {
            if startCount == startCapacity { IndexBuffer.grow(&starts, startCount, &startCapacity) }
            starts[startCount] = Int32(truncatingIfNeeded: k)
            startCount &+= 1
        }
        if t.info & WordClass.patternStart.rawValue != 0 {
            if candCount == candCapacity { IndexBuffer.grow(&cands, candCount, &candCapacity) }
            cands[candCount] = Int32(truncatingIfNeeded: k)
            candCount &+= 1
        }
    }

    /// Forgets tokens [from, to) (a URL found after them).
    mutating func retract(from: Int) {
        while candCount > 0 && Int(cands[candCount - 1]) >= from { candCount -= 1 }
        while startCount > 0 && Int(starts[startCount - 1]) >= from { startCount -= 1 }
    }

    func result() -> TokenIndex {
        TokenIndex(candidates: Array(UnsafeBufferPointer(start: cands, count: candCount)),
                   nameStarts: Array(UnsafeBufferPointer(start: starts, count: startCount)))
    }
}

enum Tokenizer {
    /// Tokenizes `bytes`. `lookup` maps a normalized token to its vocabulary id (or -1).
    /// `skip` ranges (byte offsets, sorted) mark tokens with `.skip`.
    /// `prescan` finds URLs and lines in capitals (documents); names and cues go without.
    static func tokenize(_ bytes: [UInt8], skip: [Range<Int>] = [], prescan: Bool = true,
                         lookup: (UnsafeBufferPointer<UInt8>) -> Int32) -> [Token] {
        var tokens: [Token] = []
        withoutActuallyEscaping(lookup) { f in
            let l = ClosureLookup(f: f)
            bytes.withUnsafeBufferPointer { b in
                tokenize(b, skip: skip, prescan: prescan, into: &tokens, lookup: l)
            }
        }
        return tokens
    }

    /// A document's tokens, looked up in the frozen word table.
    static func tokenize(_ bytes: [UInt8], skip: [Range<Int>] = [], table: WordTable) -> [Token] {
        tokenizeDocument(bytes, skip: skip, table: table).tokens
    }

    /// A document's tokens and where its patterns and names may start, in one scan.
    static func tokenizeDocument(_ bytes: [UInt8], skip: [Range<Int>] = [], table: WordTable) -> (tokens: [Token], index: TokenIndex) {
        var tokens: [Token] = []
        var index = TokenIndex()
        withExtendedLifetime(table) {
            table.punctIds.withUnsafeBufferPointer { marks in
                table.punctInfos.withUnsafeBufferPointer { markInfos in
                    let l = WordTable.Lookup(table: table, marks: marks.baseAddress!, markInfos: markInfos.baseAddress!)
                    bytes.withUnsafeBufferPointer { b in
                        // Written straight into the array's storage: room for a token per 4 bytes,
                        // else (rarely) again with room for one per byte, the most there can be.
                        var capacity = b.count / 4 + 64
                        while true {
                            var overflowed = false
                            tokens = [Token](unsafeUninitializedCapacity: capacity) { buf, count in
                                var out = TokenBuffer(storage: buf.baseAddress!, capacity: capacity)
                                var ix = IndexBuffer(capacity: b.count / 16 + 16)
                                defer { ix.free() }
                                scanCore(b, skip: skip, prescan: true, out: &out, lookup: l, ix: &ix)
                                overflowed = out.overflowed
                                count = overflowed ? 0 : out.count
                                if !overflowed { index = ix.result() }
                            }
                            if !overflowed { break }
                            capacity = b.count + 64
                        }
                    }
                }
            }
        }
        return (tokens, index)
    }

    /// The scan, appending to `tokens`.
    static func tokenize<L: TokenLookup>(_ b: UnsafeBufferPointer<UInt8>, skip: [Range<Int>] = [], prescan: Bool = true,
                                         into tokens: inout [Token], lookup: L) {
        var index = TokenIndex()
        scan(b, skip: skip, prescan: prescan, into: &tokens, lookup: lookup, index: &index)
    }

    private static func scan<L: TokenLookup>(_ b: UnsafeBufferPointer<UInt8>, skip: [Range<Int>], prescan: Bool,
                                             into tokens: inout [Token], lookup: L, index: inout TokenIndex) {
        var out = TokenBuffer(capacity: tokens.count + b.count / 4 + 16)
        defer { out.free() }
        var ix = IndexBuffer(capacity: L.collectsIndex ? b.count / 16 + 16 : 0)
        defer { ix.free() }
        for t in tokens { out.append(t) }
        scanCore(b, skip: skip, prescan: prescan, out: &out, lookup: lookup, ix: &ix)
        if L.collectsIndex { index = ix.result() }
        let count = out.count
        tokens = Array(unsafeUninitializedCapacity: count) { buf, initialized in
            if count > 0 {
                UnsafeMutableRawPointer(buf.baseAddress!).copyMemory(from: out.base, byteCount: count * MemoryLayout<Token>.stride)
            }
            initialized = count
        }
    }

    private static func scanCore<L: TokenLookup>(_ b: UnsafeBufferPointer<UInt8>, skip: [Range<Int>], prescan: Bool,
                                                 out outParam: inout TokenBuffer, lookup: L, ix ixParam: inout IndexBuffer) {
        // Local copies (kept in registers, not behind the inout references), written back at the end.
        var out = outParam
        var ix = ixParam
        defer {
            outParam = out
            ixParam = ix
        }
        let n = b.count
        let initial = out.count
        guard let p = b.baseAddress, n > 0 else { return }
        // Normalized bytes of a word with non-ASCII letters (never longer than the word) + padding.
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: n + 16)
        defer { scratch.deallocate() }
        do {
            let cls = CharClass.classTable
            var pending = TokenFlags(rawValue: 0)
            var newlines = 0
            var i = 0
            // Skipped sections.
            var skipIndex = 0
            // The skip state holds until `skipCheck` (the next bound of the current range).
            var inSkip: UInt32 = 0
            var skipCheck = skip.isEmpty ? Int.max : 0
            // Lines in capitals: letters counted on the current line, its first token.
            var lineUpper = 0, lineLower = 0
            var lineToken = out.count
            // URLs: the current chunk (text between delimiters) and the state where it began (taken
            // after every delimiter: the last one before a chunk is its start).
            var chunkStart = 0, chunkNewlines = 0
            var chunkPending = TokenFlags(rawValue: 0)
            var malformed = false
            // Documents: the common run of plain words, single spaces and simple marks goes through
            // `fastScan`; this loop takes whatever it stops at.
            let fast = lookup as? WordTable.Lookup

            scan: while i < n {
                if let fast, prescan {
                    var st = FastState(i: i, pending: pending.rawValue, newlines: newlines, lineUpper: lineUpper, lineLower: lineLower,
                                       lineToken: lineToken, chunkStart: chunkStart, chunkNewlines: chunkNewlines,
                                       chunkPending: chunkPending.rawValue, inSkip: inSkip, skipCheck: skipCheck)
                    Tokenizer.fastScan(p, n, cls, &st, &out, &ix, fast)
                    i = st.i; pending = TokenFlags(rawValue: st.pending); newlines = st.newlines
                    lineUpper = st.lineUpper; lineLower = st.lineLower; lineToken = st.lineToken
                    chunkStart = st.chunkStart; chunkNewlines = st.chunkNewlines; chunkPending = TokenFlags(rawValue: st.chunkPending)
                    if i >= n { break scan }
                }
                let c = p[i]
                let cl = cls[Int(c)]
                let kind = cl & 7
                var scalar = UInt32(c)
                var slen = 1
                var flags: TokenFlags
                let start = i
                var j = i
                var upperRun = 0, lowerRun = 0, digitRun = 0
                if kind &- 1 < 3 {
                    // An ASCII letter or digit: a word, most often a plain one.
                    // "www.example.org": a chunk that starts so is a URL.
                    if prescan && c | 0x20 == 0x77 && i == chunkStart && Tokenizer.startsWWW(p, i, n, cls) {
                        let (e, up, lo) = Tokenizer.urlEnd(p, n, cls, from: i, chunkStart: chunkStart)
                        lineUpper &+= up; lineLower &+= lo
                        pending.insert(.spaceBefore)
                        i = e
                        continue
                    }
                    var f = pending.rawValue
                    pending = TokenFlags(rawValue: 0)
                    newlines = 0
                    if i >= skipCheck { (skipIndex, inSkip, skipCheck) = Tokenizer.skipState(skip, skipIndex, i) }
                    f |= inSkip
                    if f & TokenFlags.spaceBefore.rawValue == 0 && out.count > 0 { f |= TokenFlags.joined.rawValue }
                    if inSkip != 0 && prescan && lineToken == out.count && lineUpper == 0 && lineLower == 0,
                       let end = Tokenizer.skippedSectionEnd(p, n, from: start, until: skipCheck) {
                        out.append(Tokenizer.skippedSection(start, end, flags: f))
                        i = end
                        lineToken = out.count
                        continue
                    }
                    let firstEight = start &+ 8 <= n ? UnsafeRawPointer(p + start).loadUnaligned(as: UInt64.self) : nil
                    (upperRun, lowerRun, digitRun, j) = Tokenizer.wordRuns(p, start, n, firstEight: firstEight)
                    let lowerStart = start &+ upperRun
                    lineUpper &+= upperRun
                    lineLower &+= lowerRun
                    let after: UInt8 = j < n ? p[j] : 0x20
                    let acl = cls[Int(after)]
                    if acl & CharClass.wordGoesOnBit == 0 {
                        // Done: flags straight from the three runs.
                        f |= Tokenizer.runFlags((upperRun > 0 ? 4 : 0) | (lowerRun > 0 ? 2 : 0) | (digitRun > 0 ? 1 : 0))
                        if upperRun >= 2 && (lowerRun == 0 || (lowerRun == 1 && digitRun == 0 && p[lowerStart] == 0x73)) {
                            f |= TokenFlags.acronymShape.rawValue
                        }
                        let (id, info) = lookup.plainWord(p + start, j &- start, readable: n &- start)
                        let token = Token(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: j), id: id,
                                          flags: TokenFlags(rawValue: f), punct: 0, info: info)
                        out.append(token)
                        if L.collectsIndex { ix.note(token, out.count &- 1) }
                        i = j
                        if (acl & 7) &- 1 < 3 {
                            // A letter after digits, a capital after lower case: the next token is split off.
                            pending = digitRun > 0 ? .splitBefore : .camelBefore
                        } else if after == 0x20 {
                            // One space (a URL chunk may start after it).
                            pending = .spaceBefore
                            i = j &+ 1
                            chunkStart = i; chunkNewlines = 0; chunkPending = .spaceBefore
                        }
                        continue
                    }
                    flags = TokenFlags(rawValue: f)
                } else {
                    var letterOrDigit = false
                    switch kind {
                    case CharClass.kindSpace:
                        pending.insert(.spaceBefore)
                        i &+= 1
                        if cl & CharClass.delimiterBit != 0 {
                            chunkStart = i; chunkNewlines = newlines; chunkPending = pending
                        }
                        continue
                    case CharClass.kindNewline:
                        newlines &+= 1
                        pending.formUnion(.spaceNewline)
                        if newlines >= 2 { pending.insert(.blankBefore) }
                        if prescan {
                            if Tokenizer.isCapsLine(lineUpper, lineLower) { Tokenizer.markCaps(out.base, lineToken, out.count) }
                            lineUpper = 0; lineLower = 0; lineToken = out.count
                        }
                        i &+= 1
                        chunkStart = i; chunkNewlines = newlines; chunkPending = pending
                        continue
                    case CharClass.kindTab:
                        pending.formUnion(.spaceTab)
                        i &+= 1
                        chunkStart = i; chunkNewlines = newlines; chunkPending = pending
                        continue
                    case CharClass.kindHigh:
                        (scalar, slen) = CharClass.decode(b, i)
                        if prescan && slen > 1 && Tokenizer.swallowsASCII(p, i, slen) { malformed = true; break scan }
                        if CharClass.isSpace(scalar) { pending.insert(.spaceBefore); i &+= slen; continue }
                        letterOrDigit = CharClass.punct(scalar) == 0
                    default:
                        break
                    }
                    flags = pending
                    pending = TokenFlags(rawValue: 0)
                    newlines = 0
                    if i >= skipCheck { (skipIndex, inSkip, skipCheck) = Tokenizer.skipState(skip, skipIndex, i) }
                    flags.formUnion(TokenFlags(rawValue: inSkip))
                    if !flags.contains(.spaceBefore) && out.count > 0 { flags.insert(.joined) }
                    if inSkip != 0 && prescan && lineToken == out.count && lineUpper == 0 && lineLower == 0,
                       let end = Tokenizer.skippedSectionEnd(p, n, from: start, until: skipCheck) {
                        out.append(Tokenizer.skippedSection(start, end, flags: flags.rawValue))
                        i = end
                        lineToken = out.count
                        continue
                    }

                    if !letterOrDigit {
                        let mark: UInt8 = c < 0x80 ? c : CharClass.punct(scalar)
                        // A hyphen between two word characters joins them: no token.
                        if c == 0x2D || scalar == 0x2010 || scalar == 0x2011, !flags.contains(.spaceBefore), out.count > 0 {
                            let last = out.base[out.count - 1]
                            if last.isWord, Int(last.end) == i, i + slen < n, CharClass.isASCIIAlnum(p[i + slen]) || p[i + slen] >= 0xC0 {
                                pending = .hyphenBefore
                                i &+= slen
                                continue
                            }
                        }
                        // E-mail addresses and URLs: the chunk is dropped whole.
                        if prescan && ((c == 0x40 && i > chunkStart && i + 1 < n && CharClass.isASCIIAlnum(p[i - 1]) && CharClass.isASCIIAlnum(p[i + 1]))
                                       || (c == 0x3A && i + 2 < n && p[i + 1] == 0x2F && p[i + 2] == 0x2F)) {
                            let (e, up, lo) = Tokenizer.urlEnd(p, n, cls, from: i, chunkStart: chunkStart)
                            lineUpper &+= up; lineLower &+= lo
                            // The tokens of the chunk: those from its start on.
                            var chunkTokens = out.count
                            while chunkTokens > initial && Int(out.base[chunkTokens - 1].start) >= chunkStart { chunkTokens -= 1 }
                            if L.collectsIndex { ix.retract(from: chunkTokens) }
                            out.count = chunkTokens; newlines = chunkNewlines
                            pending = chunkPending; pending.insert(.spaceBefore)
                            i = e
                            continue
                        }
                        let (id, info) = lookup.punct(mark)
                        out.append(Token(start: Int32(truncatingIfNeeded: i), end: Int32(truncatingIfNeeded: i &+ slen), id: id,
                                         flags: flags, punct: mark, info: info))
                        if L.collectsIndex { ix.note(out.base[out.count &- 1], out.count &- 1) }
                        i &+= slen
                        if cl & CharClass.delimiterBit != 0 {
                            chunkStart = i; chunkNewlines = newlines; chunkPending = pending
                        }
                        continue
                    }
                }

                // The rest of the word: apostrophes, non-ASCII letters.
                var hasUpper = upperRun > 0, hasLower = lowerRun > 0, hasDigit = digitRun > 0
                var hasLetter = hasUpper || hasLower
                var firstCase = hasUpper ? 1 : (hasLower ? -1 : 0)
                var prevKind = digitRun > 0 ? 1 : (hasLower ? 2 : (hasUpper ? 3 : 0))  // 1 digit, 2 lower, 3 upper, 4 other letter
                var possessive = false
                var digitSplit = false
                var camelSplit = false
                var apostrophe = 0
                var plain = true   // ASCII letters, digits, ' only: normalized = raw | 0x20
                var normCount = 0  // scratch bytes, once not plain
                var upper = 0, lower = 0
                while j < n {
                    let d = p[j]
                    let k = cls[Int(d)] & 7
                    if k >= CharClass.kindDigit && k <= CharClass.kindUpper {
                        let kk = Int(k)
                        // Splits: digit -> letter ("295C"), lower -> upper ("HRDsAbstract").
                        if (prevKind == 1 && kk >= 2) || (prevKind == 2 && kk == 3) {
                            digitSplit = prevKind == 1
                            camelSplit = prevKind == 2
                            break
                        }
                        if kk == 1 {
                            hasDigit = true
                        } else if kk == 2 {
                            hasLetter = true; hasLower = true; lower += 1
                            if firstCase == 0 { firstCase = -1 }
                        } else {
                            hasLetter = true; hasUpper = true; upper += 1
                            if firstCase == 0 { firstCase = 1 }
                        }
                        if !plain { scratch[normCount] = d | 0x20; normCount += 1 }
                        prevKind = kk
                        j += 1
                        continue
                    }
                    var v = UInt32(d)
                    var l = 1
                    if d >= 0x80 {
                        (v, l) = CharClass.decode(b, j)
                        if prescan && l > 1 && Tokenizer.swallowsASCII(p, j, l) { malformed = true; break scan }
                        if CharClass.isSpace(v) { break }
                    }
                    let pm: UInt8 = d < 0x80 ? d : CharClass.punct(v)
                    if pm != 0 {
                        // Apostrophe inside a word: possessive 's ends the token; otherwise kept (O'Brien).
                        if pm == 0x27 && j > start && j + l < n {
                            let nx = p[j + l]
                            if (nx == 0x73 || nx == 0x53) && (j + l + 1 >= n || !isWordByte(b, j + l + 1)) {
                                possessive = true
                                apostrophe = j
                                if nx == 0x73 { lower += 1 } else { upper += 1 }
                                j = j + l + 1
                                break
                            }
                            if CharClass.isASCIIAlnum(nx) && prevKind >= 2 {
                                if l != 1 && plain {
                                    for t in start..<j { scratch[t - start] = p[t] | 0x20 }
                                    normCount = j - start
                                    plain = false
                                }
                                if !plain { scratch[normCount] = 0x27; normCount += 1 }
                                j += l
                                prevKind = 4
                                continue
                            }
                        }
                        break
                    }
                    if d == 0 {
                        // NUL inside a word counts as an upper-case letter (as 0x20 in the normalized form).
                        if prevKind == 2 {
                            camelSplit = true
                            break
                        }
                        if prevKind == 1 {
                            digitSplit = true
                            break
                        }
                        hasLetter = true; hasUpper = true
                        if firstCase == 0 { firstCase = 1 }
                        if !plain { scratch[normCount] = 0x20; normCount += 1 }
                        prevKind = 3
                        j += 1
                        continue
                    }
                    // Another letter (non-ASCII).
                    if prevKind == 1 {
                        digitSplit = true
                        break
                    }
                    if plain {
                        for t in start..<j { scratch[t - start] = p[t] | 0x20 }
                        normCount = j - start
                        plain = false
                    }
                    let cs: Int
                    if v >= 0xC0 && v <= 0xFF {
                        let o = Int(v - 0xC0) * 2
                        let f0 = CharClass.latin1Pairs[o], f1 = CharClass.latin1Pairs[o + 1]
                        if f0 != 0 { scratch[normCount] = f0; normCount += 1 }
                        if f1 != 0 { scratch[normCount] = f1; normCount += 1 }
                        cs = (v == 0xDF || v == 0xFF) ? -1 : (v < 0xE0 ? 1 : -1)
                    } else if v >= 0x100 && v <= 0x17F {
                        scratch[normCount] = CharClass.extendedAFlat[Int(v - 0x100)]
                        normCount += 1
                        cs = CharClass.extendedAIsUpper(v) ? 1 : -1
                    } else {
                        for t in 0..<l { scratch[normCount + t] = p[j + t] }
                        normCount += l
                        cs = 0
                    }
                    hasLetter = true
                    if cs > 0 { hasUpper = true } else if cs < 0 { hasLower = true }
                    if firstCase == 0 { firstCase = cs == 0 ? 2 : cs }
                    prevKind = 4
                    j += l
                }
                let end = possessive ? apostrophe : j
                lineUpper += upper
                lineLower += lower
                flags.insert(.word)
                if hasLetter { flags.insert(.hasLetter) }
                if hasDigit { flags.insert(.hasDigit) }
                if firstCase == 1 { flags.insert(.capitalized) }
                if firstCase == -1 { flags.insert(.lowerStart) }
                if hasUpper && !hasLower { flags.insert(.allUpper) }
                if possessive { flags.insert(.possessive) }
                if hasLetter && Tokenizer.hasAcronymShape(p, start, end) { flags.insert(.acronymShape) }
                let (id, info) = plain ? lookup.plainWord(p + start, end - start, readable: n - start)
                                       : lookup.normalizedWord(scratch, normCount)
                out.append(Token(start: Int32(start), end: Int32(end), id: id, flags: flags, punct: 0, info: info))
                if L.collectsIndex { ix.note(out.base[out.count &- 1], out.count &- 1) }
                i = j
                if digitSplit { pending = .splitBefore }
                if camelSplit { pending = .camelBefore }
            }
            if prescan && Tokenizer.isCapsLine(lineUpper, lineLower) { Tokenizer.markCaps(out.base, lineToken, out.count) }
            if malformed {
                // A byte sequence that is not UTF-8 hides ASCII bytes (a line break, a letter) from the
                // scan that the line and URL rules see: the reference scan with separate passes.
                out.count = initial
                legacyTokenize(b, skip: skip, into: &out, scratch: scratch, lookup: lookup)
                if L.collectsIndex {
                    ix.reset()
                    for k in initial..<out.count { ix.note(out.base[k], k) }
                }
            }
        }
    }

    /// The scan state `fastScan` reads and updates (see `scanCore`).
    fileprivate struct FastState {
        var i: Int
        var pending: UInt32
        var newlines: Int
        var lineUpper: Int
        var lineLower: Int
        var lineToken: Int
        var chunkStart: Int
        var chunkNewlines: Int
        var chunkPending: UInt32
        let inSkip: UInt32
        let skipCheck: Int
    }

    /// The scan of a document's common case, exactly as `scanCore` takes it, in a loop whose state
    /// stays in registers: plain ASCII words, ASCII spaces, line breaks and tabs, ASCII marks but
    /// NUL, curly quotes and dashes. Stops, without taking it, at anything else (another non-ASCII
    /// byte, a word going on with an apostrophe or a non-ASCII letter, a URL or e-mail address, a
    /// skip bound, a full buffer).
    @inline(never)
    fileprivate static func fastScan(_ p: UnsafePointer<UInt8>, _ n: Int, _ cls: UnsafePointer<UInt8>, _ st: inout FastState,
                                     _ out: inout TokenBuffer, _ ix: inout IndexBuffer, _ lookup: WordTable.Lookup) {
        var i = st.i
        var pending = st.pending
        var newlines = st.newlines
        var lineUpper = st.lineUpper, lineLower = st.lineLower, lineToken = st.lineToken
        var chunkStart = st.chunkStart, chunkNewlines = st.chunkNewlines, chunkPending = st.chunkPending
        let inSkip = st.inSkip
        let limit = min(st.skipCheck, n)
        let base = out.base
        var count = out.count
        let capacity = out.capacity
        let probe = lookup.probe
        let space = TokenFlags.spaceBefore.rawValue, joined = TokenFlags.joined.rawValue
        defer {
            st.i = i; st.pending = pending; st.newlines = newlines
            st.lineUpper = lineUpper; st.lineLower = lineLower; st.lineToken = lineToken
            st.chunkStart = chunkStart; st.chunkNewlines = chunkNewlines; st.chunkPending = chunkPending
            out.count = count
        }
        while i < limit && count < capacity {
            let c = p[i]
            let cl = cls[Int(c)]
            let kind = cl & 7
            // The first token of a line in a skipped section (no space, line break or tab): left to
            // the general scan, which may take the section from there as one token (`skippedSection`).
            if inSkip != 0 && kind &- CharClass.kindSpace >= 3 && count == lineToken && lineUpper | lineLower == 0 { return }
            if kind &- 1 < 3 {
                // A word: capitals, then lower case, then digits ("www." starting a chunk is a URL).
                if c | 0x20 == 0x77 && i == chunkStart && Tokenizer.startsWWW(p, i, n, cls) { return }
                var f = pending | inSkip
                if f & space == 0 && count > 0 { f |= joined }
                // Most words: a run of them, each ended by one space.
                let run = Tokenizer.plainWordRun(p, n, from: i, end: min(limit, n &- 15, i &+ (capacity &- count)), firstFlags: f, cls,
                                                 base, first: count, lookup, &ix)
                if run.taken > 0 {
                    i = run.end
                    count &+= run.taken
                    // Every token but perhaps the last word took a space after it.
                    let spaced = p[i &- 1] == 0x20
                    lineUpper &+= run.upper
                    lineLower &+= run.letters &- run.upper
                    newlines = 0
                    if spaced {
                        pending = space
                        chunkStart = i; chunkNewlines = 0; chunkPending = space
                    } else {
                        pending = 0
                        // The chunk began after the space before the last word (if the run took one).
                        if run.taken > 1 { chunkStart = Int(base[count &- 1].start); chunkNewlines = 0; chunkPending = space }
                    }
                    continue
                }
                let start = i
                let firstEight = start &+ 8 <= n ? UnsafeRawPointer(p + start).loadUnaligned(as: UInt64.self) : nil
                let (upperRun, lowerRun, digitRun, j) = Tokenizer.wordRuns(p, start, n, firstEight: firstEight)
                let after: UInt8 = j < n ? p[j] : 0x20
                let acl = cls[Int(after)]
                if acl & CharClass.wordGoesOnBit != 0 { return }
                f |= Tokenizer.runFlags((upperRun > 0 ? 4 : 0) | (lowerRun > 0 ? 2 : 0) | (digitRun > 0 ? 1 : 0))
                if upperRun >= 2 && (lowerRun == 0 || (lowerRun == 1 && digitRun == 0 && p[start &+ upperRun] == 0x73)) {
                    f |= TokenFlags.acronymShape.rawValue
                }
                let (id, info) = WordTable.Probe.plain(probe, p + start, j &- start, readable: n &- start)
                let token = Token(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: j), id: id,
                                  flags: TokenFlags(rawValue: f), punct: 0, info: info)
                (base + count).initialize(to: token)
                ix.note(token, count)
                count &+= 1
                lineUpper &+= upperRun
                lineLower &+= lowerRun
                newlines = 0
                pending = 0
                i = j
                if (acl & 7) &- 1 < 3 {
                    // A letter after digits, a capital after lower case: the next token is split off.
                    pending = digitRun > 0 ? TokenFlags.splitBefore.rawValue : TokenFlags.camelBefore.rawValue
                } else if after == 0x20 {
                    pending = space
                    i = j &+ 1
                    chunkStart = i; chunkNewlines = 0; chunkPending = space
                }
                continue
            }
            switch kind {
            case CharClass.kindSpace:
                pending |= space
                i &+= 1
                if cl & CharClass.delimiterBit != 0 { chunkStart = i; chunkNewlines = newlines; chunkPending = pending }
                continue
            case CharClass.kindNewline:
                newlines &+= 1
                pending |= TokenFlags.spaceNewline.rawValue
                if newlines >= 2 { pending |= TokenFlags.blankBefore.rawValue }
                if Tokenizer.isCapsLine(lineUpper, lineLower) { Tokenizer.markCaps(base, lineToken, count) }
                lineUpper = 0; lineLower = 0; lineToken = count
                i &+= 1
                chunkStart = i; chunkNewlines = newlines; chunkPending = pending
                continue
            case CharClass.kindTab:
                pending |= TokenFlags.spaceTab.rawValue
                i &+= 1
                chunkStart = i; chunkNewlines = newlines; chunkPending = pending
                continue
            case CharClass.kindOther:
                // NUL, and "://" or an "@" between word characters (a URL or an address whose chunk
                // is dropped): left to the general scan.
                if c == 0 { return }
                if c == 0x3A && i &+ 2 < n && p[i &+ 1] == 0x2F && p[i &+ 2] == 0x2F { return }
                if c == 0x40 && i > chunkStart && i &+ 1 < n && CharClass.isASCIIAlnum(p[i &- 1]) && CharClass.isASCIIAlnum(p[i &+ 1]) { return }
                var f = pending | inSkip
                let spaced = f & space != 0
                if !spaced && count > 0 { f |= joined }
                // A hyphen between two word characters joins them: no token.
                if c == 0x2D && !spaced && count > 0 {
                    let last = base[count &- 1]
                    if last.isWord && Int(last.end) == i && i &+ 1 < n && (CharClass.isASCIIAlnum(p[i &+ 1]) || p[i &+ 1] >= 0xC0) {
                        newlines = 0
                        pending = TokenFlags.hyphenBefore.rawValue
                        i &+= 1
                        continue
                    }
                }
                let (id, info) = lookup.punct(c)
                let token = Token(start: Int32(truncatingIfNeeded: i), end: Int32(truncatingIfNeeded: i &+ 1), id: id,
                                  flags: TokenFlags(rawValue: f), punct: c, info: info)
                (base + count).initialize(to: token)
                ix.note(token, count)
                count &+= 1
                newlines = 0
                pending = 0
                i &+= 1
                if i < n && p[i] == 0x20 {
                    // One space after the mark (most marks): taken with it, as the space case takes it.
                    pending = space
                    i &+= 1
                    chunkStart = i; chunkNewlines = 0; chunkPending = space
                } else if cl & CharClass.delimiterBit != 0 {
                    chunkStart = i; chunkNewlines = 0; chunkPending = 0
                }
                continue
            case CharClass.kindHigh:
                // Curly quotes and dashes (U+2018/2019/201C/201D/2013/2014): one mark each, as the
                // general scan takes them. Any other non-ASCII byte is left to it.
                guard c == 0xE2 && i &+ 2 < n && p[i &+ 1] == 0x80 else { return }
                let mark = Tokenizer.curlyMark(p[i &+ 2])
                if mark == 0 { return }
                var f = pending | inSkip
                if f & space == 0 && count > 0 { f |= joined }
                let (id, info) = lookup.punct(mark)
                let token = Token(start: Int32(truncatingIfNeeded: i), end: Int32(truncatingIfNeeded: i &+ 3), id: id,
                                  flags: TokenFlags(rawValue: f), punct: mark, info: info)
                (base + count).initialize(to: token)
                ix.note(token, count)
                count &+= 1
                newlines = 0
                pending = 0
                i &+= 3
                continue
            default:
                return
            }
        }
    }

    /// The words of `fastScan`'s common case, in a loop that holds only what they change: ASCII
    /// letters, lower case but perhaps the first, 1 to 15 of them (16 bytes readable), each ended
    /// by one space, or by a mark and one space (", "), taken with them. Words of other shapes
    /// (capitals, digits) and words before a possessive "'s" or a curly quote or dash go to
    /// `runWord`, so that they do not end the run. Tokens start before `end`
    /// (a skip bound, 16 bytes before the text's end), at most one per byte, so they fit where
    /// `tokens` has room for `end - start` from `first` on. The run stops before a word it cannot
    /// take, or after one ended otherwise (a line break, a mark not followed by a space). Tokens,
    /// flags and index notes are those the general scan makes; the first word's flags are
    /// `firstFlags` (the pending ones). `first` is the index in `tokens` of the first token taken.
    /// Returns where the run ends, the tokens taken, and the letters of the words and how many of
    /// them have a capital first (for the lines in capitals).
    /// (Not inlined: inside `fastScan`'s loop, with all its state live, this loop's values went to
    /// the stack.)
    @inline(never)
    fileprivate static func plainWordRun(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int, end: Int, firstFlags: UInt32,
                                         _ cls: UnsafePointer<UInt8>, _ tokens: UnsafeMutablePointer<Token>, first: Int,
                                         _ lookup: WordTable.Lookup, _ ix: inout IndexBuffer)
        -> (end: Int, taken: Int, letters: Int, upper: Int)
    {
        let high: UInt64 = 0x8080_8080_8080_8080
        let skip = firstFlags & TokenFlags.skip.rawValue
        let spaced = skip | TokenFlags.spaceBefore.rawValue
        let indexed = WordClass.startsName.rawValue | WordClass.patternStart.rawValue
        let probe = lookup.probe
        var f0 = firstFlags
        var at = start
        // The next token's index, which is also its place (a pointer would need a division by the
        // token's size for the index notes).
        var k = first
        var letters = 0  // the letters of the words, and in bits 32... the capitals first
        run: while at < end {
            let w = UnsafeRawPointer(p + at).loadUnaligned(as: UInt64.self)
            // The letters: one mask per 8 bytes (0x20 on the first byte lowers a capital there).
            var r = (~Tokenizer.lowerMask(w | 0x20) & high).trailingZeroBitCount &>> 3
            if r == 8 {
                let w2 = UnsafeRawPointer(p + (at &+ 8)).loadUnaligned(as: UInt64.self)
                r = 8 &+ (~Tokenizer.lowerMask(w2) & high).trailingZeroBitCount &>> 3
            }
            // The common words go through this block to its end; the others leave it for `runWord`.
            other: do {
                // (r = 0: not a letter first; r = 16: longer.)
                if UInt(bitPattern: r &- 1) >= 15 {
                    if r == 0 && UInt8(truncatingIfNeeded: w) &- 0x30 < 10 { break other }
                    break run
                }
                let after = p[at &+ r]
                if after != 0x20 {
                    if cls[Int(after)] & CharClass.plainEndBit == 0 { break other }
                    // "www." starting a chunk (as every word after a space does): a URL, left to the
                    // caller. (Only a word of three letters before a "." can be one: not looked for
                    // before a space.)
                    if UInt8(truncatingIfNeeded: w) | 0x20 == 0x77 && Tokenizer.startsWWW(p, at, n, cls) { break run }
                }
                // A capital first: the first byte is a letter, so its 0x20 bit tells the case (no table).
                let up = Int(truncatingIfNeeded: (~w &>> 5) & 1)
                let f = f0 | Tokenizer.runFlags(up &<< 2 | (r > up ? 2 : 0))
                let (id, info) = r <= 8
                    ? WordTable.Probe.short(probe, (w | 0x2020_2020_2020_2020) & (UInt64.max &>> UInt64(truncatingIfNeeded: 64 &- 8 &* r)))
                    : WordTable.Probe.medium(probe, p + at, r)
                let token = Token(start: Int32(truncatingIfNeeded: at), end: Int32(truncatingIfNeeded: at &+ r), id: id,
                                  flags: TokenFlags(rawValue: f), punct: 0, info: info)
                (tokens + k).initialize(to: token)
                if info & indexed != 0 { ix.notePlainWord(token, k) }
                k &+= 1
                letters &+= r &+ up &<< 32
                at &+= r
                f0 = spaced
                // The byte after the word, read again (held across the lookup, it went to the stack).
                let next = p[at]
                if next == 0x20 {
                    at &+= 1
                    continue
                }
                // A mark and a space (", " ". "): a token as `fastScan` makes it (followed by a space, a
                // hyphen joins nothing, ":" and "@" make no address). It too starts before `end`.
                if at >= end || cls[Int(next)] & 7 != CharClass.kindOther || p[at &+ 1] != 0x20 { break run }
                let mark = Token(start: Int32(truncatingIfNeeded: at), end: Int32(truncatingIfNeeded: at &+ 1), id: lookup.marks[Int(next)],
                                 flags: TokenFlags(rawValue: skip | TokenFlags.joined.rawValue), punct: next, info: lookup.markInfos[Int(next)])
                (tokens + k).initialize(to: mark)
                ix.note(mark, k)
                k &+= 1
                at &+= 2
                continue run
            }
            // A word with capitals or digits after its letters ("UN", "NGOs", "2019"), or a
            // possessive "'s" or a curly mark after it: out of line (inlined, it cost the common
            // words more than it saved).
            let word = Tokenizer.runWord(p, n, at, cls, tokens, k, f0, probe, &ix)
            if word.end < 0 { break }
            k &+= 1
            letters &+= word.letters
            at = word.end
            // A space goes on with the run; anything else is the caller's.
            if p[at] != 0x20 { break }
            at &+= 1
            f0 = spaced
        }
        return (at, k &- first, letters & 0xFFFF_FFFF, letters &>> 32)
    }

    /// For `plainWordRun`: the word at `at` if it ends as `fastScan` takes it (its runs: capitals,
    /// lower case, digits, 1 to 15 bytes, followed by one space or a byte a plain word ends at) or
    /// as the general scan ends it before a possessive "'s" / "’s" or a curly quote or dash. Its
    /// token goes to `tokens[k]` with `flags` and the word's, noted in `ix`. Returns where the scan
    /// goes on (past the "'s"), or -1 when the word is not taken, and its letters for the line (in
    /// bits 32... the capitals).
    @inline(never)
    fileprivate static func runWord(_ p: UnsafePointer<UInt8>, _ n: Int, _ at: Int, _ cls: UnsafePointer<UInt8>,
                                    _ tokens: UnsafeMutablePointer<Token>, _ k: Int, _ flags: UInt32,
                                    _ probe: UnsafePointer<WordTable.Probe>, _ ix: inout IndexBuffer) -> (end: Int, letters: Int) {
        let w = UnsafeRawPointer(p + at).loadUnaligned(as: UInt64.self)
        let (upperRun, lowerRun, digitRun, j) = Tokenizer.wordRuns(p, at, n, firstEight: w)
        if UInt(bitPattern: (j &- at) &- 1) >= 15 { return (-1, 0) }
        var tail = 0
        let after = p[j]
        if after != 0x20 {
            let acl = cls[Int(after)]
            if acl & CharClass.plainEndBit == 0 {
                // A letter or a digit after: split off by the caller.
                if acl & CharClass.wordGoesOnBit == 0 { return (-1, 0) }
                tail = Tokenizer.plainWordTail(p, j, n, cls)
                if tail < 0 { return (-1, 0) }
            } else if UInt8(truncatingIfNeeded: w) | 0x20 == 0x77 && Tokenizer.startsWWW(p, at, n, cls) {
                return (-1, 0)
            }
        }
        var f = flags | Tokenizer.runFlags((upperRun > 0 ? 4 : 0) | (lowerRun > 0 ? 2 : 0) | (digitRun > 0 ? 1 : 0))
        if upperRun >= 2 && (lowerRun == 0 || (lowerRun == 1 && digitRun == 0 && p[at &+ upperRun] == 0x73)) {
            f |= TokenFlags.acronymShape.rawValue
        }
        var letters = upperRun &+ lowerRun &+ upperRun &<< 32
        if tail > 0 {
            f |= TokenFlags.possessive.rawValue
            // The "s" counts as a letter of the line ("S" as a capital), as in the general scan.
            letters &+= p[j &+ tail &- 1] == 0x73 ? 1 : 1 &+ 1 &<< 32
        }
        let (id, info) = WordTable.Probe.plain(probe, p + at, j &- at, readable: n &- at)
        let token = Token(start: Int32(truncatingIfNeeded: at), end: Int32(truncatingIfNeeded: j), id: id,
                          flags: TokenFlags(rawValue: f), punct: 0, info: info)
        (tokens + k).initialize(to: token)
        ix.note(token, k)
        return (j &+ tail, letters)
    }

    /// How the general scan ends a word at `j`, where a byte that may go on with it stands: 2 or 4
    /// for a possessive "'s" or "’s" (followed by a byte a plain word ends at), 0 for a curly double
    /// quote or a dash (the word ends before it), -1 for anything else (left to the general scan).
    @inline(__always)
    static func plainWordTail(_ p: UnsafePointer<UInt8>, _ j: Int, _ n: Int, _ cls: UnsafePointer<UInt8>) -> Int {
        let c = p[j]
        if c == 0x27 {
            return j &+ 2 < n && p[j &+ 1] | 0x20 == 0x73 && cls[Int(p[j &+ 2])] & CharClass.plainEndBit != 0 ? 2 : -1
        }
        guard c == 0xE2 && j &+ 2 < n && p[j &+ 1] == 0x80 else { return -1 }
        switch p[j &+ 2] {
        case 0x93, 0x94, 0x9C, 0x9D: return 0
        case 0x99:
            return j &+ 4 < n && p[j &+ 3] | 0x20 == 0x73 && cls[Int(p[j &+ 4])] & CharClass.plainEndBit != 0 ? 4 : -1
        default: return -1
        }
    }

    /// The ASCII mark of U+20xx when its last UTF-8 byte is `b` and it is a curly quote, an en or
    /// an em dash (‘ ’ “ ” – —); 0 otherwise.
    @inline(__always)
    static func curlyMark(_ b: UInt8) -> UInt8 {
        switch b {
        case 0x98, 0x99: return 0x27
        case 0x9C, 0x9D: return 0x22
        case 0x93, 0x94: return 0x2D
        default: return 0
        }
    }

    /// Lines written mostly in capitals (headings, titles): at least 12 capitals and 70 % of the
    /// letters, or at least 4 capitals and no lower-case letter ("CONCLUSION").
    @inline(__always)
    static func isCapsLine(_ upper: Int, _ lower: Int) -> Bool {
        (upper >= 12 && upper * 10 >= (upper + lower) * 7) || (upper >= 4 && lower == 0)
    }

    static func markCaps(_ tokens: UnsafeMutablePointer<Token>, _ from: Int, _ to: Int) {
        var t = from
        while t < to { tokens[t].flags.insert(.capsLine); t += 1 }
    }

    /// The end of the URL chunk that began at `chunkStart` (trailing sentence punctuation is not part
    /// of it), and the capitals and lower-case letters in it from `from` on.
    static func urlEnd(_ p: UnsafePointer<UInt8>, _ n: Int, _ cls: UnsafePointer<UInt8>, from: Int, chunkStart: Int) -> (Int, Int, Int) {
        var ce = from
        while ce < n && cls[Int(p[ce])] & CharClass.delimiterBit == 0 { ce += 1 }
        var e = ce
        while e > chunkStart && (p[e - 1] == 0x2E || p[e - 1] == 0x2C || p[e - 1] == 0x3B || p[e - 1] == 0x29) { e -= 1 }
        var up = 0, lo = 0
        var k = from
        while k < e {
            let c = p[k]
            if CharClass.isUpper(c) { up += 1 } else if CharClass.isLower(c) { lo += 1 }
            k += 1
        }
        return (e, up, lo)
    }

    /// Token flags of a plain word by its runs: `k` bit 2 capitals, bit 1 lower case, bit 0 digits
    /// (eight 16-bit entries packed in two words: no table in memory).
    @inline(__always) static func runFlags(_ k: Int) -> UInt32 {
        // runFlagsEntry(0...3) and (4...7), as literals (checked by `runFlagsPacked`).
        let packed: UInt64 = k < 4 ? 0x4019_4009_0011_0001 : 0x001B_000B_001F_000F
        return UInt32(truncatingIfNeeded: (packed &>> UInt64(truncatingIfNeeded: (k & 3) &* 16)) & 0xFFFF)
    }
    /// The packed tables of `runFlags`.
    static var runFlagsPacked: (UInt64, UInt64) { (runFlagsLow, runFlagsHigh) }
    private static func runFlagsEntry(_ k: Int) -> UInt64 {
        var f = TokenFlags.word
        let upper = k & 4 != 0, lower = k & 2 != 0, digit = k & 1 != 0
        if upper || lower { f.insert(.hasLetter) }
        if digit { f.insert(.hasDigit) }
        if upper { f.insert(.capitalized); if !lower { f.insert(.allUpper) } } else if lower { f.insert(.lowerStart) }
        return UInt64(f.rawValue)
    }
    private static let runFlagsLow: UInt64 = (0..<4).reduce(0) { $0 | runFlagsEntry($1) << UInt64($1 * 16) }
    private static let runFlagsHigh: UInt64 = (4..<8).reduce(0) { $0 | runFlagsEntry($1) << UInt64(($1 - 4) * 16) }

    /// 0x80 in each byte of `w` that is an ASCII capital.
    @inline(__always)
    static func upperMask(_ w: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let x = w & ~high
        return (x &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(x &+ 0x2525_2525_2525_2525) & ~w & high  // 0x41...0x5A
    }

    /// 0x80 in each byte of `w` that is an ASCII digit.
    @inline(__always)
    static func digitMask(_ w: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let x = w & ~high
        return (x &+ 0x5050_5050_5050_5050) & ~(x &+ 0x4646_4646_4646_4646) & ~w & high  // 0x30...0x39
    }

    /// Two or more capitals and no lower-case letter but a final plural "s" (ASCII only).
    static func hasAcronymShape(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var upper = 0
        var k = s
        while k < e {
            let c = p[k]
            if CharClass.isUpper(c) { upper += 1 } else if CharClass.isLower(c) {
                if !(c == 0x73 && k == e - 1) { return false }
            } else if c >= 0x80 {
                return false
            }
            k += 1
        }
        return upper >= 2
    }

    /// The runs of the word at `start`: ASCII capitals, then lower case, then digits (any other
    /// order ends it), and where it ends. Within the first 8 bytes (`firstEight`, when that many
    /// remain) the runs come from one load and three masks, without a loop.
    @inline(__always)
    static func wordRuns(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, firstEight: UInt64?)
        -> (upper: Int, lower: Int, digit: Int, end: Int)
    {
        var upper = 0, lower = 0, digit = 0
        var j = start
        var stage = 0  // the run the 8 bytes ended in (0 capitals, 1 lower case, 2 digits, 3 none)
        if let w = firstEight {
            let high: UInt64 = 0x8080_8080_8080_8080
            upper = (~upperMask(w) & high).trailingZeroBitCount &>> 3
            j = start &+ upper
            if upper < 8 {
                lower = (~(lowerMask(w) &>> UInt64(truncatingIfNeeded: upper &* 8)) & high).trailingZeroBitCount &>> 3
                j &+= lower
                let used = upper &+ lower
                if used < 8 {
                    digit = (~(digitMask(w) &>> UInt64(truncatingIfNeeded: used &* 8)) & high).trailingZeroBitCount &>> 3
                    j &+= digit
                    stage = used &+ digit < 8 ? 3 : 2
                } else {
                    stage = 1
                }
            }
        }
        if stage == 0 {
            while j < n && p[j] &- 0x41 < 26 { j &+= 1 }
            upper = j &- start
        }
        if stage <= 1 {
            let lowerStart = start &+ upper
            j = endOfLowercase(p, from: j, n)
            lower = j &- lowerStart
        }
        if stage <= 2 {
            let digitStart = j &- digit
            while j < n && p[j] &- 0x30 < 10 { j &+= 1 }
            digit = j &- digitStart
        }
        return (upper, lower, digit, j)
    }

    /// Where the run of ASCII lower-case letters at `j` ends: 8 bytes at a time while they last.
    @inline(__always)
    static func endOfLowercase(_ p: UnsafePointer<UInt8>, from j: Int, _ n: Int) -> Int {
        let high: UInt64 = 0x8080_8080_8080_8080
        var j = j
        while j &+ 8 <= n {
            let m = lowerMask(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
            if m != high { return j &+ ((~m & high).trailingZeroBitCount &>> 3) }
            j &+= 8
        }
        while j < n && p[j] &- 0x61 < 26 { j &+= 1 }
        return j
    }

    /// 0x80 in each byte of `w` that is an ASCII lower-case letter.
    @inline(__always)
    static func lowerMask(_ w: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let x = w & ~high
        let atLeastA = x &+ 0x1F1F_1F1F_1F1F_1F1F   // high bit set from 0x61 ("a")
        let pastZ = x &+ 0x0505_0505_0505_0505      // high bit set from 0x7B (after "z")
        return atLeastA & ~pastZ & ~w & high
    }

    /// "www." and a fifth byte of the chunk at `i`.
    @inline(__always)
    static func startsWWW(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ cls: UnsafePointer<UInt8>) -> Bool {
        i + 4 < n && p[i + 1] | 0x20 == 0x77 && p[i + 2] | 0x20 == 0x77 && p[i + 3] == 0x2E
            && cls[Int(p[i + 4])] & CharClass.delimiterBit == 0
    }

    /// The skip state at `i`: the range index (past the ranges ending at or before `i`), the flag
    /// bits (`.skip` inside the range) and the next position where the state may change.
    static func skipState(_ skip: [Range<Int>], _ index: Int, _ i: Int) -> (Int, UInt32, Int) {
        var k = index
        while k < skip.count && skip[k].upperBound <= i { k += 1 }
        guard k < skip.count else { return (k, 0, Int.max) }
        let r = skip[k]
        if i >= r.lowerBound { return (k, TokenFlags.skip.rawValue, r.upperBound) }
        return (k, 0, r.lowerBound)
    }

    /// Where the scan may jump to from token `start`, the first of a skipped section (ending at
    /// `until`) on its line: the end of the section's last token, when nothing but white space
    /// comes between it and a line break or the text's end; nil otherwise. The white space is
    /// scanned as usual, and a line break resets the scan's state, so the tokens around the section
    /// come out as if it were tokenized: only its own tokens change. (A reference list is 7-15% of
    /// a paper; its tokens, never matched, were a tenth of the scan.)
    static func skippedSectionEnd(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int, until: Int) -> Int? {
        @inline(__always) func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C || c == 0x0B }
        var end = min(until, n)
        while end > start && isBlank(p[end &- 1]) { end &-= 1 }
        var k = end
        while k < n {
            if p[k] == 0x0A { return end }
            if !isBlank(p[k]) { return nil }
            k &+= 1
        }
        return end
    }

    /// Whether the tokenizer splits a word of ASCII letters and digits between `a` and `b`: a letter
    /// after a digit ("295C"), a capital after a lower-case letter ("preCEDAW").
    @inline(__always)
    static func splits(_ a: UInt8, _ b: UInt8) -> Bool {
        (a &- 0x30 < 10 && b | 0x20 &- 0x61 < 26) || (CharClass.isLower(a) && CharClass.isUpper(b))
    }

    /// The one token that stands for the skipped section `start..<end` (from its first token on):
    /// `.skip` and `.skippedSection`, no word, no id, with the flags its first token would have
    /// had. Walks that stop at a skipped token (names, acronym definitions, patterns) stop at it as
    /// they did at the first; what reads the section's words asks for them (`sectionTokens`).
    @inline(__always)
    static func skippedSection(_ start: Int, _ end: Int, flags: UInt32) -> Token {
        Token(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end), id: -1,
              flags: TokenFlags(rawValue: flags & ~TokenFlags.word.rawValue | TokenFlags.skippedSection.rawValue),
              punct: 0, info: 0)
    }

    /// The tokens a skipped section's token stands for, as the scan would have made them (it
    /// starts a line, so nothing before it changes them but the first one's white space before,
    /// which the section's token kept), their offsets in `bytes`.
    static func sectionTokens(_ bytes: [UInt8], _ section: Token, table: WordTable) -> [Token] {
        let start = Int(section.start)
        var tokens = tokenizeDocument(Array(bytes[start..<Int(section.end)]), table: table).tokens
        for k in tokens.indices {
            tokens[k].start &+= section.start
            tokens[k].end &+= section.start
            tokens[k].flags.insert(.skip)
        }
        if !tokens.isEmpty { tokens[0].flags.formUnion(section.flags.subtracting(.skippedSection)) }
        return tokens
    }

    /// Whether the `len`-byte sequence at `i` takes an ASCII byte as a continuation byte (not UTF-8).
    @inline(__always)
    static func swallowsASCII(_ p: UnsafePointer<UInt8>, _ i: Int, _ len: Int) -> Bool {
        var k = 1
        while k < len {
            if p[i + k] < 0x80 { return true }
            k += 1
        }
        return false
    }

    /// The scan as first written: URLs and lines in capitals found by separate passes over the bytes.
    /// Used only for text that is not valid UTF-8, where the one-pass scan could differ.
    private static func legacyTokenize<L: TokenLookup>(_ b: UnsafeBufferPointer<UInt8>, skip: [Range<Int>], into out: inout TokenBuffer,
                                                      scratch: UnsafeMutablePointer<UInt8>, lookup: L) {
        let urls = urlRanges(b)
        var urlIndex = 0
        var skipIndex = 0
        var pending = TokenFlags(rawValue: 0)
        var newlines = 0
        let n = b.count
        var i = 0
        let caps = capsLines(b)
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
                pending.formUnion(.spaceNewline)
                if newlines >= 2 { pending.insert(.blankBefore) }
                i += 1
                continue
            }
            if c == 0x09 {
                pending.formUnion(.spaceTab); i += 1; continue
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
            pending = TokenFlags(rawValue: 0)
            newlines = 0
            while skipIndex < skip.count && skip[skipIndex].upperBound <= i { skipIndex += 1 }
            if skipIndex < skip.count && skip[skipIndex].contains(i) { flags.insert(.skip) }
            while capsIndex < caps.count && caps[capsIndex].upperBound <= i { capsIndex += 1 }
            if capsIndex < caps.count && caps[capsIndex].contains(i) { flags.insert(.capsLine) }
            if !flags.contains(.spaceBefore) && out.count > 0 { flags.insert(.joined) }

            if !isLetterOrDigit {
                let mark: UInt8 = c < 0x80 ? c : CharClass.punct(scalar)
                // A hyphen between two word characters joins them: no token.
                if c == 0x2D || scalar == 0x2010 || scalar == 0x2011, !flags.contains(.spaceBefore), out.count > 0 {
                    let last = out.base[out.count - 1]
                    if last.isWord, Int(last.end) == i, i + slen < n, CharClass.isASCIIAlnum(b[i + slen]) || b[i + slen] >= 0xC0 {
                        pending = .hyphenBefore
                        i += slen
                        continue
                    }
                }
                let (id, info) = lookup.punct(mark)
                out.append(Token(start: Int32(i), end: Int32(i + slen), id: id, flags: flags, punct: mark, info: info))
                i += slen
                continue
            }
            // A word.
            let start = i
            var norm: [UInt8] = []
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
            if hasLetter && Tokenizer.hasAcronymShape(b.baseAddress!, start, end) { flags.insert(.acronymShape) }
            for (k, x) in norm.enumerated() { scratch[k] = x }
            let (id, info) = lookup.normalizedWord(scratch, norm.count)
            out.append(Token(start: Int32(start), end: Int32(end), id: id, flags: flags, punct: 0, info: info))
            i = j
            if digitSplit { pending = .splitBefore }
            if camelSplit { pending = .camelBefore }
        }
    }

    /// Lines written mostly in capitals (headings, titles): at least 12 capitals and 70 % of the
    /// letters, or at least 4 capitals and no lower-case letter ("CONCLUSION").
    /// (The scan finds them itself; kept for reference and tests.)
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
    /// (The scan finds them itself; kept for reference and tests.)
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
