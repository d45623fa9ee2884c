import AssayCore
// Byte-level tokens for the short stretches of text the citation and reference parsers look at
// (a parenthetical group, the words before a narrative year, one reference entry). The scan that
// finds those stretches never builds tokens; only the stretches it picks out are tokenized.

/// One token of UTF-8 text: a word (letters, with inner hyphens and apostrophes: `Adler-Nissen`,
/// `O'Brien`, `Padía`), a number (digits, with letters glued on: `2019a`, `1A`), or one punctuation
/// scalar (`,` `.` `&` `(` `–` ...). White space (ASCII, no-break and the U+2000 spaces) separates
/// tokens and is not a token.
struct Token: Sendable {
    enum Kind: UInt8 { case word, number, punct }
    var start: Int
    var end: Int
    /// punct: the scalar; word/number: 0.
    var scalar: UInt32
    private var storedCount: UInt16
    var kind: Kind
    private var flags: UInt8

    /// word: the first letter is upper case.
    var upperFirst: Bool { flags & 1 != 0 }
    /// word: every letter is upper case (and there are at least two).
    var allCaps: Bool { flags & 2 != 0 }
    /// Number of letters (word) or digits (number), at most 65,535 (every test of it asks about a
    /// few letters; a longer word says so as well with this many).
    var count: Int { Int(storedCount) }
    /// There was white space right before this token.
    var spaceBefore: Bool { flags & 4 != 0 }
    /// A line break (U+000A) in the white space right before this token.
    var newlineBefore: Bool { flags & 8 != 0 }

    init(kind: Kind, start: Int, end: Int, scalar: UInt32, upperFirst: Bool, allCaps: Bool, count: Int,
         spaceBefore: Bool, newlineBefore: Bool) {
        self.kind = kind
        self.start = start
        self.end = end
        self.scalar = scalar
        storedCount = UInt16(clamping: count)
        flags = (upperFirst ? 1 : 0) | (allCaps ? 2 : 0) | (spaceBefore ? 4 : 0) | (newlineBefore ? 8 : 0)
    }

    var length: Int { end - start }
    func isPunct(_ c: UInt8) -> Bool { kind == .punct && scalar == UInt32(c) }
    var isComma: Bool { isPunct(0x2C) }
    var isPeriod: Bool { isPunct(0x2E) }
    var isSemicolon: Bool { isPunct(0x3B) }
    var isAmpersand: Bool { isPunct(0x26) }
    /// `-`, en dash, em dash, minus.
    var isDash: Bool {
        kind == .punct && (scalar == 0x2D || scalar == 0x2013 || scalar == 0x2014 || scalar == 0x2212 || scalar == 0x2010)
    }
}

enum Bytes {
    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isUpperASCII(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    @inline(__always) static func isLowerASCII(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    @inline(__always) static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    /// Decodes the scalar starting at `i` (no validation beyond bounds: the text is valid UTF-8).
    @inline(__always)
    static func decode(_ t: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int) {
        UTF8Scalar.decode(t, i, end)
    }

    @inline(__always) static func isSpace(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D || v == 0x0C || v == 0x0B || v == 0xA0
            || (v >= 0x2000 && v <= 0x200B) || v == 0x202F || v == 0x3000 || v == 0xFEFF
    }

    @inline(__always) static func isLetter(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
        if v == 0xAD || v == 0xD7 || v == 0xF7 { return false }
        if v >= 0xC0 && v <= 0x24F { return true }  // Latin-1 letters and Latin Extended-A/B
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.isAlphabetic
    }

    @inline(__always) static func isUpper(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 0x41 && v <= 0x5A }
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.isUppercase
    }

    /// Apostrophes that may sit inside a name (`O'Brien`, `O’Brien`).
    @inline(__always) static func isApostrophe(_ v: UInt32) -> Bool { v == 0x27 || v == 0x2019 || v == 0x2BC }
    /// Hyphens that may sit inside a name (`Adler-Nissen`).
    @inline(__always) static func isHyphen(_ v: UInt32) -> Bool { v == 0x2D || v == 0x2010 || v == 0x2011 }

    /// Tokenizes `[from, to)`. Linear; allocates one array.
    static func tokenize(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> [Token] {
        WorkCounter.add(to - from)
        var i = from
        // (tokens written in place into room for one per four bytes, more than most stretches
        // hold: no append per token; a stretch with more goes on by appending)
        var out = [Token](unsafeUninitializedCapacity: (to - from) / 4 + 4) { room, n in n = fill(room, t, &i, to) }
        while let tk = nextToken(t, &i, to) { out.append(tk) }
        return out
    }

    /// `tokenize(t, from, to)` written into `out`, emptied first with its room kept: a caller
    /// reading many short stretches one after another reuses one array.
    static func tokenize(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, into out: inout [Token]) {
        WorkCounter.add(to - from)
        out.removeAll(keepingCapacity: true)
        var i = from
        // (tokens written in place into scratch room and copied to `out` a roomful at a time: no
        // append per token; the room is small enough to be on the stack, not made on the heap for
        // a long stretch)
        withUnsafeTemporaryAllocation(of: Token.self, capacity: 1024 / MemoryLayout<Token>.stride) { room in
            while true {
                let n = fill(room, t, &i, to)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: room[0..<n]))
                if n < room.count { break }
            }
        }
    }

    /// Writes the tokens from `i` on into `room` until it is full or `to` is reached, `i` moved past
    /// them; returns how many it wrote.
    @inline(__always)
    private static func fill(_ room: UnsafeMutableBufferPointer<Token>, _ t: UnsafeBufferPointer<UInt8>, _ i: inout Int,
                             _ to: Int) -> Int {
        var n = 0
        // (the position kept in a local: the caller's `i`, captured by its closure, lives in
        // memory, and each token would load and store it there)
        var j = i
        while n < room.count, let tk = nextToken(t, &j, to) {
            room.initializeElement(at: n, to: tk)
            n += 1
        }
        i = j
        return n
    }

    /// The token at or after `i` (white space skipped) before `to`, `i` moved past it; nil at `to`.
    @inline(__always)
    static func nextToken(_ t: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ to: Int) -> Token? {
        var space = false
        var newline = false
        while i < to {
            let v: UInt32
            let n: Int
            let b = t[i]
            if b < 0x80 {
                // ASCII, most of the text: white space told by two comparisons, nothing decoded
                if b <= 0x20, b == 0x20 || b >= 0x09 && b <= 0x0D {
                    space = true
                    if b == 0x0A { newline = true }
                    i += 1
                    continue
                }
                v = UInt32(b)
                n = 1
            } else {
                (v, n) = decode(t, i, to)
                if isSpace(v) {
                    space = true
                    i += n
                    continue
                }
            }
            let start = i
            if v < 0x80, isDigit(UInt8(v)) {
                var j = i + 1
                var digits = 1
                while j < to, isDigit(t[j]) { j += 1; digits += 1 }
                while j < to, isASCIILetter(t[j]) { j += 1 }
                i = j
                return Token(kind: .number, start: start, end: j, scalar: 0, upperFirst: false, allCaps: false,
                             count: digits, spaceBefore: space, newlineBefore: newline)
            }
            if isLetter(v) {
                let upperFirst = isUpper(v)
                // (an ASCII letter adds nothing per byte but its case bit: the letters are the bytes
                // less `notLetters`, the bytes of hyphens, apostrophes and of letters past their first)
                var notLetters = n - 1
                var lowerSeen = !upperFirst
                var caseBits: UInt8 = 0
                var j = i + n
                while j < to {
                    if j + 8 <= to {
                        // the ASCII letters at the front of the next eight bytes, taken at once
                        let (run, lower) = asciiLetterRun(t, j)
                        if lower { caseBits |= 0x20 }
                        j += run
                        if run == 8 { continue }
                    }
                    let c = t[j]
                    if c < 0x80 {
                        // ASCII: a letter, or a hyphen or apostrophe before a letter, goes on
                        if isASCIILetter(c) {
                            caseBits |= c
                            j += 1
                            continue
                        }
                        guard c == 0x2D || c == 0x27, j + 1 < to else { break }
                        let (x, _) = decode(t, j + 1, to)
                        if isLetter(x) { notLetters += 1; j += 1; continue }
                        break
                    }
                    let (w, m) = decode(t, j, to)
                    if isLetter(w) {
                        notLetters += m - 1
                        if !isUpper(w) { lowerSeen = true }
                        j += m
                    } else if (isHyphen(w) || isApostrophe(w)), j + m < to {
                        let (x, _) = decode(t, j + m, to)
                        if isLetter(x) { notLetters += m; j += m } else { break }
                    } else {
                        break
                    }
                }
                // (a lower-case ASCII letter has bit 0x20 set)
                if caseBits & 0x20 != 0 { lowerSeen = true }
                let letters = j - start - notLetters
                i = j
                return Token(kind: .word, start: start, end: j, scalar: 0, upperFirst: upperFirst,
                             allCaps: letters >= 2 && !lowerSeen, count: letters,
                             spaceBefore: space, newlineBefore: newline)
            }
            i += n
            return Token(kind: .punct, start: start, end: i, scalar: v, upperFirst: false, allCaps: false,
                         count: 0, spaceBefore: space, newlineBefore: newline)
        }
        return nil
    }

    /// The indices of `tokens` (the tokens of a longer stretch around `[from, to)`) that are
    /// `tokenize(t, from, to)`'s but for the white space before the first, when no token of
    /// theirs crosses `from` or `to`; nil otherwise.
    static func tokenRange(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, within tokens: [Token]) -> Range<Int>? {
        let a = tokens.firstIndex(atOrAfter: from)
        let b = tokens.firstIndex(atOrAfter: to)
        guard from <= to, a == 0 || tokens[a - 1].end <= from, b == 0 || tokens[b - 1].end <= to,
              from == t.count || !isContinuation(t[from]), to == t.count || !isContinuation(t[to]) else { return nil }
        return a..<max(a, b)
    }

    /// How many of the eight bytes from `j` are ASCII letters before the first that is not, and
    /// whether one of those letters is lower case. (`t` has eight bytes from `j`.)
    @inline(__always)
    static func asciiLetterRun(_ t: UnsafeBufferPointer<UInt8>, _ j: Int) -> (Int, Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let w = UInt64(littleEndian: UnsafeRawPointer(t.baseAddress! + j).loadUnaligned(as: UInt64.self))
        // each byte folded to lower case and its high bit cleared (no carry leaves a byte below):
        // a letter is 0x61...0x7A, so adding 0x1F sets the high bit from 0x61 on, adding 0x05 from 0x7B on
        let y = (w | ones &* 0x20) & ~highs
        let letters = (y &+ ones &* 0x1F) & ~(y &+ ones &* 0x05) & ~w & highs
        let notLetters = ~letters & highs
        let run = notLetters == 0 ? 8 : notLetters.trailingZeroBitCount / 8
        let front: UInt64 = run == 8 ? ~0 : (1 << (UInt64(run) * 8)) - 1
        return (run, w & front & (ones &* 0x20) != 0)
    }

    /// The token is the ASCII word `w` (lower case given), in any case.
    @inline(__always)
    static func isWord(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token, _ w: StaticString) -> Bool {
        guard tk.kind == .word, tk.length == w.utf8CodeUnitCount else { return false }
        let p = w.utf8Start
        for k in 0..<tk.length where t[tk.start + k] | 0x20 != p[k] { return false }
        return true
    }

    /// `folded(t, tk.start, tk.end) == w` for a lower-case ASCII word `w`: a comparison of bytes,
    /// no string, when the token is ASCII.
    static func foldsTo(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token, _ w: StaticString) -> Bool {
        guard tk.kind == .word else { return false }
        if isASCIIWord(t, tk) { return isWord(t, tk, w) }
        return folded(t, tk.start, tk.end) == w.description
    }

    /// `words.contains(folded(t, tk.start, tk.end))` for lower-case ASCII `words` (see `foldsTo`).
    /// (Asked per token with a literal list: inlined, the list is a constant and no call is made.)
    @inline(__always)
    static func foldsToAny(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token, _ words: [StaticString]) -> Bool {
        guard tk.kind == .word else { return false }
        if isASCIIWord(t, tk) { return words.contains { isWord(t, tk, $0) } }
        let f = folded(t, tk.start, tk.end)
        return words.contains { f == $0.description }
    }

    /// The word token is ASCII: at once when it has a byte per letter (no letter of two bytes or
    /// more, no inner hyphen or apostrophe), else by its bytes.
    @inline(__always) static func isASCIIWord(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token) -> Bool {
        tk.length == tk.count || isASCII(t, tk.start, tk.end)
    }

    @inline(__always) static func isASCII(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        for k in from..<to where t[k] >= 0x80 { return false }
        return true
    }

    /// `Names.fold` of the text of `[from, to)`, without a second string for ASCII text.
    static func folded(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        var ascii = true
        for k in from..<to where t[k] >= 0x80 { ascii = false; break }
        guard ascii else { return Names.fold(string(t, from, to)) }
        return String(unsafeUninitializedCapacity: to - from) { buf in
            for k in 0..<(to - from) {
                let b = t[from + k]
                buf[k] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            }
            return to - from
        }
    }

    static func string(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: t[from..<to]), as: UTF8.self)
    }

    /// The text of `[from, to)` with every run of white space made one space and the ends trimmed.
    static func cleanString(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        guard from < to else { return "" }
        // (written straight into the string: no array of bytes first)
        return String(unsafeUninitializedCapacity: to - from) { clean(t, from, to, into: $0) }
    }

    /// Writes the cleaned text of `[from, to)` (see `cleanString`) to `out`, which has room for
    /// `to - from` bytes (a run of white space becomes at most one space), and returns its length.
    static func clean(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        cleanTellingASCII(t, from, to, into: out).count
    }

    /// `clean(t, from, to, into: out)`, and whether every byte it wrote is ASCII (told as they are
    /// written: a caller need not read them again to know).
    static func cleanTellingASCII(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int,
                                  into out: UnsafeMutableBufferPointer<UInt8>) -> (count: Int, ascii: Bool) {
        var n = 0
        var ascii = true
        var i = from
        var pendingSpace = false
        let room = UnsafeMutableRawPointer(out.baseAddress!)
        while i < to {
            if i + 8 <= to {
                // the next eight bytes written at once, kept as far as they are ASCII other than
                // white space but for single spaces between such bytes (words and the spaces
                // between them); there is room: `n` never passes `i - from`
                let w = UnsafeRawPointer(t.baseAddress! + i).loadUnaligned(as: UInt64.self)
                let run = plainRunWithSpaces(UInt64(littleEndian: w))
                if run > 0 {
                    if pendingSpace { out[n] = 0x20; n += 1; pendingSpace = false }
                    room.storeBytes(of: w, toByteOffset: n, as: UInt64.self)
                    n += run
                    i += run
                    if run == 8 { continue }
                }
            }
            let b = t[i]
            if b < 0x80 {
                // (white space told by two comparisons: most bytes are above the space)
                if b <= 0x20, b == 0x20 || b >= 0x09 && b <= 0x0D {
                    pendingSpace = n > 0
                } else {
                    if pendingSpace { out[n] = 0x20; n += 1; pendingSpace = false }
                    out[n] = b
                    n += 1
                }
                i += 1
                continue
            }
            let (v, len) = decode(t, i, to)
            if isSpace(v) {
                pendingSpace = n > 0
            } else {
                if pendingSpace { out[n] = 0x20; n += 1; pendingSpace = false }
                ascii = false
                for k in i..<(i + len) {
                    out[n] = t[k]
                    n += 1
                }
            }
            i += len
        }
        return (n, ascii)
    }

    /// How many of the eight bytes of `w` (the first in its low byte) are, from the first on,
    /// ASCII above the space (0x21...0x7F), or a space (0x20) with such a byte on both sides
    /// within `w`: the bytes `clean` keeps as they are. (A space first in `w` may follow white
    /// space, a space last may precede more: neither is counted.)
    @inline(__always)
    static func plainRunWithSpaces(_ w: UInt64) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        // the high bit of each byte below 0x21 or above 0x7F (a byte below 0x80 plus 0x5F reaches
        // 0x80 from 0x21 on, with no carry into the next)
        let special = (w | ~((w & ~highs) &+ 0x5F5F_5F5F_5F5F_5F5F)) & highs
        // the high bit of each space: a byte of `w ^ 0x20…` that is zero (no carry leaves a byte)
        let x = w ^ (ones &* 0x20)
        let spaces = ~(((x & lows) &+ lows) | x) & highs
        // a space stays special when it is first or last, or the byte after it is special
        let badSpaces = spaces & ((special >> 8) | 0x8000_0000_0000_0080)
        // (the byte ending a run is special, so a space before it is a bad one: no run ends in
        // a space, which the bytes after it might double)
        let stop = special & ~spaces | badSpaces
        return stop == 0 ? 8 : stop.trailingZeroBitCount / 8
    }

    /// The index of the first byte of `t[from..<to]` that is `a`, `b` or `c`, or `to` when none
    /// is: eight bytes a step (a title or an entry's tail is searched for a few bytes).
    static func firstOf(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        /// The high bit of each zero byte of `x`, and maybe of bytes above the first: a borrow goes
        /// only upward from a zero byte, so the lowest bit set marks a zero byte.
        func zeros(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        var i = from
        while i + 8 <= to {
            let w = UInt64(littleEndian: UnsafeRawPointer(t.baseAddress! + i).loadUnaligned(as: UInt64.self))
            let found = zeros(w ^ (ones &* UInt64(a))) | zeros(w ^ (ones &* UInt64(b))) | zeros(w ^ (ones &* UInt64(c)))
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < to {
            let x = t[i]
            if x == a || x == b || x == c { return i }
            i += 1
        }
        return to
    }

    /// The value of a 4-digit year token (1500...2099, optionally one lower-case suffix letter), or nil.
    static func year(_ t: UnsafeBufferPointer<UInt8>, _ tok: Token) -> (year: Int, suffix: UInt8?)? {
        guard tok.kind == .number, tok.count == 4 else { return nil }
        let letters = tok.length - 4
        guard letters <= 1 else { return nil }
        var v = 0
        for k in tok.start..<(tok.start + 4) { v = v * 10 + Int(t[tok.start + (k - tok.start)] - 0x30) }
        guard v >= 1500 && v <= 2099 else { return nil }
        if letters == 1 {
            let s = t[tok.start + 4]
            guard isLowerASCII(s) else { return nil }
            return (v, s)
        }
        return (v, nil)
    }
}

extension RandomAccessCollection where Element == Token, Index == Int {
    /// Index of the first token whose start is >= offset (binary search).
    func firstIndex(atOrAfter offset: Int) -> Int {
        var lo = startIndex
        var hi = endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].start < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

enum YearToken {
    /// If a year (`2019`, `2019a`) or a yearless mark (`n.d.`, `in press`, `forthcoming`) starts at
    /// token `i`, the number of tokens it takes. A number followed by `/` and digits (`2005/69`) is
    /// not a year.
    static func at(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ i: Int) -> Int? {
        let tk = toks[i]
        guard mayStart(t, tk) else { return nil }
        if tk.kind == .number {
            guard Bytes.year(t, tk) != nil else { return nil }
            if i + 2 < toks.count, toks[i + 1].isPunct(0x2F), toks[i + 2].kind == .number, !toks[i + 1].spaceBefore { return nil }
            if i > 0, toks[i - 1].isPunct(0x2F), !tk.spaceBefore { return nil }
            return 1
        }
        if Bytes.foldsTo(t, tk, "n"), i + 2 < toks.count, toks[i + 1].isPeriod, toks[i + 2].kind == .word,
           toks[i + 2].count == 1, t[toks[i + 2].start] | 0x20 == 0x64 {
            return i + 3 < toks.count && toks[i + 3].isPeriod ? 4 : 3
        }
        if Bytes.foldsTo(t, tk, "nd"), i + 1 < toks.count, toks[i + 1].isPeriod, i > 0, toks[i - 1].isPunct(0x28) || toks[i - 1].isComma { return 2 }
        if Bytes.foldsTo(t, tk, "in"), i + 1 < toks.count, Bytes.foldsTo(t, toks[i + 1], "press") { return 2 }
        if Bytes.foldsTo(t, tk, "forthcoming") { return 1 }
        return nil
    }

    /// The token may start a year or a yearless mark: a number of four digits, or a word of at most
    /// eleven letters starting with `n`, `i` or `f`. Told from the token alone, so a scan asks
    /// `at` only for these (most tokens are neither).
    @inline(__always)
    static func mayStart(_ t: UnsafeBufferPointer<UInt8>, _ tk: Token) -> Bool {
        switch tk.kind {
        case .number: return tk.count == 4
        case .word:
            let first = t[tk.start] | 0x20
            return tk.count <= 11 && (first == 0x6E || first == 0x69 || first == 0x66)  // n, i, f
        case .punct: return false
        }
    }

    /// The years a token may hold (1500...2099, `Bytes.year`) as strings, made once.
    static let yearStrings: [String] = (1500...2099).map { String($0) }
    /// The suffixes a year may have (`a`...`z`) as strings, made once.
    static let suffixStrings: [String] = (UInt8(0x61)...0x7A).map { String(UnicodeScalar($0)) }

    /// The year string and suffix of the mark at token `i` that takes `n` tokens.
    static func value(_ t: UnsafeBufferPointer<UInt8>, _ toks: [Token], _ i: Int) -> (String, String?) {
        let tk = toks[i]
        // (the year's and the suffix's strings read from tables, not made per token)
        if let (y, s) = Bytes.year(t, tk) { return (yearStrings[y - 1500], s.map { suffixStrings[Int($0) - 0x61] }) }
        let w = Bytes.folded(t, tk.start, tk.end)
        if w == "n" || w == "nd" { return ("n.d.", nil) }
        if w == "in" { return ("in press", nil) }
        return ("forthcoming", nil)
    }
}

/// (By this name in every file of the stage, importing AssayCore or not.)
typealias WordSet = AssayCore.WordSet

extension WordSet {
    /// `words.contains(Bytes.folded(t, from, to))`: ASCII text answered from its bytes, other text
    /// folded as `Names.fold` does.
    func contains(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        Bytes.isASCII(t, from, to) ? contains(ascii: t, from, to) : words.contains(Bytes.folded(t, from, to))
    }
}
