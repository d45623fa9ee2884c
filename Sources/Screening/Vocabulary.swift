// Words for the topic screening: scanning UTF-8 text for words, folding them, a light stemmer, and
// the data files (stop words, word variants, abbreviations, background frequencies, fields) that
// the stage loads once and then only reads.

import AssayCore
import Foundation

/// Scanning words out of UTF-8 bytes. A word is a run of letters (ASCII letters and any other
/// alphabetic scalar); digits, punctuation, apostrophes and hyphens separate words, so
/// `Pakistan's` gives `pakistan` (and a one-letter `s`, which callers drop) and `COVID-19` gives
/// `covid`.
enum Words {
    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// How many of the eight bytes of `v` (in memory order) are ASCII digits before the first that
    /// is not (8: all are).
    @inline(__always) static func digitRun(_ v: UInt64) -> Int {
        let low7 = v & 0x7F7F_7F7F_7F7F_7F7F
        // per byte, the high bit: at least `0`, not past `9`, ASCII
        let digits = (low7 &+ 0x5050_5050_5050_5050) & ~(low7 &+ 0x4646_4646_4646_4646) & ~v & 0x8080_8080_8080_8080
        return (~digits & 0x8080_8080_8080_8080).trailingZeroBitCount / 8
    }

    /// The number written by the first `count` (1...8) bytes of `v` (ASCII digits, in memory order),
    /// all at once: the digits are shifted to the top (the bytes below become leading zeros) and
    /// combined in pairs, fours and eights.
    @inline(__always) static func digitsValue(_ v: UInt64, _ count: Int) -> Int {
        var x = (v << UInt64(truncatingIfNeeded: (8 - count) &* 8)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x &* 2561) >> 8
        x = ((x & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        x = ((x & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
        return Int(truncatingIfNeeded: x)
    }

    /// How many of the eight bytes of `v` (in memory order) are ASCII letters before the first that
    /// is not (8: all are), by `isASCIILetter` on all eight at once.
    @inline(__always) static func letterRun(_ v: UInt64) -> Int {
        let low7 = (v | 0x2020_2020_2020_2020) & 0x7F7F_7F7F_7F7F_7F7F
        // per byte, the high bit: at least `a`, not past `z`, ASCII
        let letters = (low7 &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(low7 &+ 0x0505_0505_0505_0505) & ~v & 0x8080_8080_8080_8080
        return (~letters & 0x8080_8080_8080_8080).trailingZeroBitCount / 8
    }

    /// Decodes the scalar at `i` (the text is valid UTF-8): the scalar and its length in bytes.
    @inline(__always)
    static func decode(_ t: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int) {
        UTF8Scalar.decode(t, i, end)
    }

    @inline(__always)
    static func isLetter(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return isASCIILetter(UInt8(scalar)) }
        if scalar >= 0x2000 && scalar <= 0x2BFF { return false }  // punctuation, symbols, arrows
        guard let s = Unicode.Scalar(scalar) else { return false }
        return s.properties.isAlphabetic
    }

    /// Calls `body(start, end, folded)` for every word of `bytes[range]`, in order: `folded` is the
    /// word in lower case without diacritics (`Tomaševski` -> `tomasevski`).
    static func scan(_ bytes: [UInt8], _ range: Range<Int>, _ body: (Int, Int, [UInt8]) -> Void) {
        bytes.withUnsafeBufferPointer { t in
            let end = min(range.upperBound, t.count)
            var i = max(0, range.lowerBound)
            var wordStart = -1
            var ascii = true
            var buffer: [UInt8] = []
            buffer.reserveCapacity(32)
            func flush(_ at: Int) {
                guard wordStart >= 0 else { return }
                if ascii {
                    body(wordStart, at, buffer)
                } else {
                    body(wordStart, at, fold(Array(t[wordStart..<at])))
                }
                wordStart = -1
                ascii = true
                buffer.removeAll(keepingCapacity: true)
            }
            while i < end {
                let b = t[i]
                if b < 0x80 {
                    if isASCIILetter(b) {
                        if wordStart < 0 { wordStart = i }
                        buffer.append(b | 0x20)
                    } else {
                        flush(i)
                    }
                    i += 1
                    continue
                }
                let (scalar, length) = decode(t, i, end)
                if isLetter(scalar) {
                    if wordStart < 0 { wordStart = i }
                    ascii = false
                } else {
                    flush(i)
                }
                i += length
            }
            flush(end)
        }
    }

    /// Lower case, diacritics removed, letters only.
    static func fold(_ utf8: [UInt8]) -> [UInt8] {
        let s = String(decoding: utf8, as: UTF8.self)
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .lowercased()
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for sc in s.unicodeScalars where sc.properties.isAlphabetic {
            if sc.value < 0x80 { out.append(UInt8(sc.value)) } else { out.append(contentsOf: Array(String(sc).utf8)) }
        }
        return out
    }

    /// The case of the word `bytes[start..<end]`: whether it begins with a capital letter, or nil
    /// when it has no lower-case letter (`HRCP`, `NAVIGATING`), whose capitals say nothing.
    static func isCapitalized(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool? {
        guard start < end, end <= bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { isCapitalized($0, start, end) }
    }

    static func isCapitalized(_ t: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool? {
        guard start < end, end <= t.count else { return nil }
        var first: Bool?
        var hasLower = false
        var i = start
        while i < end {
            let (scalar, length) = decode(t, i, end)
            let upper: Bool, lower: Bool
            if scalar < 0x80 {
                upper = scalar >= 0x41 && scalar <= 0x5A
                lower = scalar >= 0x61 && scalar <= 0x7A
            } else if let s = Unicode.Scalar(scalar) {
                upper = s.properties.isUppercase
                lower = s.properties.isLowercase
            } else {
                upper = false
                lower = false
            }
            if first == nil { first = upper }
            if lower { hasLower = true }
            i += length
        }
        return hasLower ? first : nil
    }

    /// Folds a whole string to its words (used for the data files and for short texts).
    static func words(of text: String) -> [String] {
        let bytes = Array(text.utf8)
        var out: [String] = []
        scan(bytes, 0..<bytes.count) { _, _, w in out.append(String(decoding: w, as: UTF8.self)) }
        return out
    }

    @inline(__always) static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for x in b where x >= 0x80 { return false }
        return true
    }
}

/// A light stemmer for English: it removes inflections (plural `-s`, `-ies`, `-ing`, `-ed`) and
/// then, up to three times, one derivational ending (`-ation`, `-ity`, `-ical`, `-al`, `-ic`,
/// `-ment`, `-y`, final `-e`, ...), keeping at least four letters (five before `-al` and `-ic`, so
/// `mental` is not `mention` and `justice` not `just`; `-ism` and `-ist` are kept, so `journalism`
/// is not `journal`). It conflates a word's common forms (`navigating`, `navigate`, `navigation`
/// -> `navig`; `political`, `politics` -> `polit`; `intersections` -> `intersect`; `economy`,
/// `economic`, `economies` -> `econom`) and is not a dictionary: its stems are keys, not words.
enum Stemmer {
    // The derivational endings, tried in this order (see `derive`): ization isation ational ation
    // ition ality ically ical ious ally ment ness ity ion ive ous ize ise ate ful ic(5) al(5) ly y e;
    // each leaves at least four letters (five where marked).

    @inline(__always) private static func isVowel(_ b: UInt8) -> Bool {
        b == 0x61 || b == 0x65 || b == 0x69 || b == 0x6F || b == 0x75 || b == 0x79
    }

    @inline(__always)
    private static func ends(_ w: UnsafeMutableBufferPointer<UInt8>, _ n: Int, _ suffix: StaticString) -> Bool {
        let m = suffix.utf8CodeUnitCount
        guard n >= m else { return false }
        let p = suffix.utf8Start
        for k in 0..<m where w[n - m + k] != p[k] { return false }
        return true
    }

    private static func hasVowel(_ w: UnsafeMutableBufferPointer<UInt8>, upTo n: Int) -> Bool {
        for i in 0..<n where isVowel(w[i]) { return true }
        return false
    }

    static func stem(_ word: [UInt8]) -> [UInt8] {
        var s = word
        let n = s.withUnsafeMutableBufferPointer { stem(inPlace: $0) }
        s.removeLast(s.count - n)
        return s
    }

    /// Stems the word in `w` in place and returns the stem's length (the stem is `w[0..<length]`).
    static func stem(inPlace w: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = w.count
        if n <= 3 { return n }
        // inflection: plural (every plural ending ends in `s`)
        if w[n - 1] != 0x73 {
            // no plural
        } else if ends(w, n, "ies"), n > 4 {
            n -= 3
            w[n] = 0x79  // y
            n += 1
        } else if ends(w, n, "sses") {
            n -= 2
        } else if ends(w, n, "s"), !ends(w, n, "ss"), !ends(w, n, "us"), !ends(w, n, "is"), n > 3 {
            n -= 1
        }
        // inflection: -ing, -ed
        var verbal = false
        let last = w[n - 1]
        if last != 0x67 && last != 0x64 {
            // neither -ing nor -ed
        } else if ends(w, n, "ing"), n - 3 >= 3, hasVowel(w, upTo: n - 3) {
            n -= 3
            verbal = true
        } else if ends(w, n, "ed"), n - 2 >= 3, hasVowel(w, upTo: n - 2) {
            n -= 2
            verbal = true
        }
        if verbal {
            if n >= 4, w[n - 1] == w[n - 2], !isVowel(w[n - 1]), w[n - 1] != 0x6C, w[n - 1] != 0x73, w[n - 1] != 0x7A {
                n -= 1  // running -> run
            } else if n >= 6, ends(w, n, "at") || ends(w, n, "iz") || ends(w, n, "is") {
                n -= 2  // navigat(ing) -> navig, like navig(ation)
            }
        }
        // derivation: at most three endings, each the first of the list above that fits
        for _ in 0..<3 {
            guard let m = derive(w, n) else { break }
            n = m
        }
        return n
    }

    /// The endings above by last letter, in the list's order: the length left after the first
    /// ending that fits, nil when none does.
    @inline(__always)
    private static func derive(_ w: UnsafeMutableBufferPointer<UInt8>, _ n: Int) -> Int? {
        @inline(__always) func cut(_ suffix: StaticString, _ minimum: Int) -> Int? {
            let m = suffix.utf8CodeUnitCount
            return n - m >= minimum && ends(w, n, suffix) ? n - m : nil
        }
        guard n > 1 else { return nil }
        // (each case first rejects a word whose last two letters no ending of its list has)
        let before = w[n - 2]
        switch w[n - 1] {
        case 0x6E:  // n
            guard before == 0x6F else { return nil }  // -on
            return cut("ization", 4) ?? cut("isation", 4) ?? cut("ation", 4) ?? cut("ition", 4) ?? cut("ion", 4)
        case 0x6C:  // l
            guard before == 0x61 || before == 0x75 else { return nil }  // -al, -ul
            return cut("ational", 4) ?? cut("ical", 4) ?? cut("ful", 4) ?? cut("al", 5)
        case 0x79:  // y
            return cut("ality", 4) ?? cut("ically", 4) ?? cut("ally", 4) ?? cut("ity", 4) ?? cut("ly", 4) ?? cut("y", 4)
        case 0x73:  // s
            guard before == 0x75 || before == 0x73 else { return nil }  // -us, -ss
            return cut("ious", 4) ?? cut("ness", 4) ?? cut("ous", 4)
        case 0x74:  // t
            guard before == 0x6E else { return nil }  // -nt
            return cut("ment", 4)
        case 0x65:  // e
            return cut("ive", 4) ?? cut("ize", 4) ?? cut("ise", 4) ?? cut("ate", 4) ?? cut("e", 4)
        case 0x63:  // c
            guard before == 0x69 else { return nil }  // -ic
            return cut("ic", 5)
        default:
            return nil
        }
    }
}

struct StemPair: Hashable, Sendable {
    var a: Int32
    var b: Int32
}

struct StemTriple: Hashable, Sendable {
    var a: Int32
    var b: Int32
    var c: Int32
}

/// The word lists of the screening, loaded once from the files the stage settings name.
///
/// Besides the lists as read (`stop`, `variants`, `fieldTerms`, ...), every stem the lists name has
/// an id, and what the screening asks about a stem (stop word? background frequency? field term?
/// first word of a related term?) is an array lookup by that id. The background list is kept by
/// stem only (its words are stemmed once, here); a document's word forms are stemmed when a thread
/// first meets them (`DocWords` keeps what it learns from one document to the next).
struct Vocabulary: Sendable {
    struct Field: Sendable, Equatable {
        var id: String
        var label: String
        /// Indices of the fields close to this one (both ways).
        var near: Set<Int>
    }

    /// Stems of words that name no subject.
    var stop: Set<String> = []
    /// Folded word -> folded word it counts as (`women` -> `woman`).
    var variants: [String: String] = [:]
    /// Folded abbreviations (no final full stop) that do not end a sentence.
    var abbreviations: Set<String> = []
    var documents: Int = 1_000_000
    var fields: [Field] = []
    /// A stem, or two stems joined by a space, -> the fields it belongs to.
    var fieldTerms: [String: [Int]] = [:]
    /// First stems of the two-word field terms.
    var bigramHeads: Set<String> = []
    /// Related terms (`related.tsv`): a term (one to three words, their keys joined by spaces) ->
    /// its index; `related[i]` holds the indices of the terms related to term `i` (both ways, not
    /// transitively: `habeas corpus` ~ `detention` and `habeas corpus` ~ `court` do not make
    /// `detention` ~ `court`).
    var relatedTerms: [String: Int] = [:]
    var related: [Set<Int>] = []
    /// The terms as first written in the file, by index (for messages and tests).
    var relatedNames: [String] = []
    /// The most words in a related term, and the keys of the terms' first words.
    var relatedMaxWords = 0
    var relatedFirst: Set<String> = []

    // MARK: the lists by stem id

    /// Every stem the lists name -> its id.
    var stems = KeyTable()
    /// By stem id: the background document frequency (0: not in the list).
    var stemDF: [Int] = []
    /// The fields of each field term, by term index (`StemInfo.fieldTerm`, `pairFieldTerms`).
    var fieldTermFields: [[Int]] = []
    /// Two stems -> the field term they make (only when not `packable`).
    var pairFieldTerms: [StemPair: Int32] = [:]
    /// One to three stems (-1 for none) -> the related term they make (only when not `packable`).
    var relatedSequences: [StemTriple: Int] = [:]
    /// `pairFieldTerms` and `relatedSequences` with their stem ids packed in one integer
    /// (`packed`), for lookups without hashing a struct; when every stem id fits in 21 bits.
    var packedPairs = UInt64Map([])
    var packedSequences = UInt64Map([])
    var packable = false

    @inline(__always) static func packed(_ a: Int, _ b: Int, _ c: Int = -1) -> UInt64 {
        UInt64(a + 1) | UInt64(b + 1) << 21 | UInt64(c + 1) << 42
    }

    /// The field term two stems make.
    @inline(__always) func pairFieldTerm(_ a: Int, _ b: Int) -> Int32? {
        packable ? packedPairs[Self.packed(a, b)] : pairFieldTerms[StemPair(a: Int32(a), b: Int32(b))]
    }

    /// The related term one to three stems make (-1 for none).
    @inline(__always) func relatedSequence(_ a: Int, _ b: Int, _ c: Int) -> Int? {
        if packable { return packedSequences[Self.packed(a, b, c)].map(Int.init) }
        return relatedSequences[StemTriple(a: Int32(a), b: Int32(b), c: Int32(c))]
    }
    /// What a document's scan asks about a stem, in one place (one memory access).
    struct StemInfo: Sendable {
        var rarity: Double
        var fieldTerm: Int32
        var flags: UInt8
    }
    static let stopFlag: UInt8 = 1, bigramHeadFlag: UInt8 = 2, relatedFirstFlag: UInt8 = 4
    var stemInfo: [StemInfo] = []
    /// ASCII variant forms -> the index of the folded word they count as in `variantTargets`.
    var variantForms = WordInterner(capacity: 64)
    var variantTargets: [[UInt8]] = []
    var nonASCIIVariants = false
    /// A bit for each first letter, last letter and length of the variant forms (`mayBeVariant`).
    var variantFilter = [UInt64](repeating: 0, count: 16)
    /// The rarity of a stem no list names.
    var unseenRarity: Double = 1
    /// `abbreviations`, asked about the text in place.
    var abbreviationSet = WordSet([])
    /// The most bytes in an abbreviation (as written, or in NFC as `WordSet` keeps it): longer text
    /// is none, without a lookup.
    var abbreviationMaxLength = 0

    /// Stem -> background document frequency (the largest of its words'), out of `documents`.
    var backgroundDF: [String: Int] {
        var out: [String: Int] = [:]
        stems.forEach { k, id in
            if stemDF[Int(id)] > 0 { out[String(decoding: k, as: UTF8.self)] = stemDF[Int(id)] }
        }
        return out
    }

    /// The key a folded word is compared by: its variant's stem.
    func key(_ folded: [UInt8]) -> String {
        String(decoding: keyBytes(folded), as: UTF8.self)
    }

    func key(_ word: String) -> String {
        // ASCII letters only (the usual data-file word): one word, folded to lower case
        let u = word.utf8
        if !u.isEmpty, u.allSatisfy(Words.isASCIILetter) { return key(u.map { $0 | 0x20 }) }
        let w = Words.words(of: word)
        return w.count == 1 ? key(Array(w[0].utf8)) : w.map { key(Array($0.utf8)) }.joined(separator: " ")
    }

    func keyBytes(_ folded: [UInt8]) -> [UInt8] {
        if folded.count >= 3, let v = variant(folded) { return Stemmer.stem(v) }
        return Stemmer.stem(folded)
    }

    private func variant(_ folded: [UInt8]) -> [UInt8]? {
        folded.withUnsafeBufferPointer { variant($0) }
    }

    private func variant(_ folded: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        if Words.isASCII(folded), let base = folded.baseAddress {
            if let i = variantForms.payload(base, folded.count) { return variantTargets[Int(i)] }
            if !nonASCIIVariants { return nil }
        }
        return variants[String(decoding: folded, as: UTF8.self)].map { Array($0.utf8) }
    }


    /// How rare a stem is in general English, 0 (in every document) ... 1 (unseen).
    func rarity(_ stem: String) -> Double {
        let id = stems.find(Array(stem.utf8))
        return rarity(df: id.map { stemDF[Int($0)] } ?? 0)
    }

    func rarity(df: Int) -> Double {
        rarity(df: df, logN: log(Double(max(2, documents))))
    }

    /// `rarity(df:)` given the log of the number of documents (computed once for a whole list).
    private func rarity(df: Int, logN: Double) -> Double {
        let df = Double(max(1, df))
        let n = Double(max(2, documents))
        return min(1, max(0, log(n / df) / logN))
    }

    /// The id of `stem`, added when new.
    @discardableResult
    private mutating func stemID(adding stem: [UInt8]) -> Int32 {
        stem.withUnsafeBufferPointer { stemID(adding: $0) }
    }

    /// The ids of the stems of a term (keys joined by spaces), added when new.
    @discardableResult
    private mutating func stemIDs(adding term: String) -> [Int32] {
        var ids: [Int32] = []
        Self.forEachPart(of: term, at: { $0 == 0x20 }) { ids.append(stemID(adding: $0)) }
        return ids
    }

    /// The id of a stem, added when new.
    private mutating func stemID(adding stem: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (id, inserted) = stems.intern(stem, next: Int32(stemDF.count))
        if inserted { stemDF.append(0) }
        return id
    }

    // MARK: loading

    static func load(stopWords: URL?, variants: URL?, abbreviations: URL?, background: URL?, fields: URL?,
                     related: URL? = nil) throws -> Vocabulary {
        var v = Vocabulary()
        if let url = variants {
            for (line, text) in try lines(url) {
                let cols = Self.parts(text, at: { $0 == 0x09 }).map { $0.trimmedBlanks() }
                guard cols.count == 2, !cols[0].isEmpty, !cols[1].isEmpty else {
                    throw ConfigError(file: url.path, line: line, message: "expected 'form<TAB>word'")
                }
                let from = Words.words(of: cols[0]).joined()
                let to = Words.words(of: cols[1]).joined()
                if !from.isEmpty, !to.isEmpty { v.variants[from] = to }
            }
            for (from, to) in v.variants {
                let f = Array(from.utf8)
                let bit = variantBit(first: f[0], last: f[f.count - 1], length: f.count)
                v.variantFilter[bit >> 6] |= 1 << UInt64(bit & 63)
                if f.allSatisfy({ $0 < 0x80 }) {
                    f.withUnsafeBufferPointer { v.variantForms.insert($0.baseAddress!, $0.count, payload: UInt64(v.variantTargets.count)) }
                    v.variantTargets.append(Array(to.utf8))
                } else {
                    v.nonASCIIVariants = true
                }
            }
        }
        if let url = stopWords {
            for (_, text) in try lines(url) {
                for w in Words.words(of: text) { v.stop.insert(v.key(Array(w.utf8))) }
            }
        }
        if let url = abbreviations {
            for (_, text) in try lines(url) {
                for a in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                    var s = a.lowercased()
                    while s.hasSuffix(".") { s.removeLast() }
                    if !s.isEmpty { v.abbreviations.insert(s) }
                }
            }
        }
        if let url = background {
            try v.loadBackground(url)
        }
        if let url = fields {
            try v.loadFields(url)
        }
        if let url = related {
            try v.loadRelated(url)
        }
        v.index()
        return v
    }

    /// Reads `background.tsv`: `word<TAB>document frequency` lines and a `#documents<TAB>n` line.
    /// Each word's key (its stem) gets the largest document frequency of the words that have it.
    /// The usual line (letters, a tab, digits) is read in one pass over its bytes; any other line
    /// (comments, blanks, the `#documents` line, other letters) goes through `backgroundRawLine`.
    private mutating func loadBackground(_ url: URL) throws {
        let bytes = try Self.read(url)
        let hasCR = bytes.withUnsafeBufferPointer { b in b.count > 0 && memchr(b.baseAddress!, 0x0D, b.count) != nil }
        if hasCR {
            // Windows line ends: the general reader, which drops each line's `\r`
            for (line, text) in try Self.lines(url, keepDirectives: true) {
                try Array(text.utf8).withUnsafeBufferPointer { try backgroundLine($0, line, url) }
            }
            return
        }
        let expected = bytes.count / 12
        stemDF.reserveCapacity(expected)
        if stemDF.isEmpty { stems = KeyTable(capacity: expected / 2, longer: expected / 4) }
        // the folded word (stemmed there into its key)
        let room = 64
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer in
            let folded = buffer.baseAddress!
            try bytes.withUnsafeBufferPointer { b in
                guard let p = b.baseAddress else { return }
                let n = b.count
                var lineNumber = 0
                var i = 0
                while i < n {
                    lineNumber += 1
                    let length = Self.foldLetters(p, from: i, to: min(n, i + room), into: folded)
                    let j = i + length
                    if length > 0, j < n, p[j] == 0x09 {
                        // up to 18 digits (no overflow), then the end of the line
                        let first = j + 1
                        var k = first
                        var df = 0
                        if first + 8 <= n {
                            // up to seven digits read at once
                            let v = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: first, as: UInt64.self)
                            let run = Words.digitRun(v)
                            if run > 0 && run < 8 {
                                df = Words.digitsValue(v, run)
                                k += run
                            }
                        }
                        if k == first {
                            let last = min(n, first + 18)
                            while k < last, p[k] &- 0x30 < 10 { k += 1 }
                            for d in first..<k { df = df &* 10 &+ Int(p[d] &- 0x30) }
                        }
                        if k > first, k == n || p[k] == 0x0A {
                            addBackground(buffer, length, df, ascii: true)
                            i = k + 1
                            continue
                        }
                    }
                    var e = j
                    while e < n, p[e] != 0x0A { e += 1 }
                    try backgroundRawLine(UnsafeBufferPointer(rebasing: b[i..<e]), lineNumber, url)
                    i = e + 1
                }
            }
        }
    }

    /// Copies the ASCII letters at `p[from...]`, up to `to`, to `out` in lower case, eight bytes at a
    /// time where eight may be read; returns how many there were. `out` has room for `to - from`
    /// bytes.
    @inline(__always)
    private static func foldLetters(_ p: UnsafePointer<UInt8>, from: Int, to: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = from
        let raw = UnsafeRawPointer(p)
        while i + 8 <= to {
            let v = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            UnsafeMutableRawPointer(out + (i - from)).storeBytes(of: v | 0x2020_2020_2020_2020, as: UInt64.self)
            let run = Words.letterRun(v)
            if run < 8 { return i - from + run }
            i += 8
        }
        while i < to, Words.isASCIILetter(p[i]) {
            out[i - from] = p[i] | 0x20
            i += 1
        }
        return i - from
    }

    /// One line as read from the file (no line break): comments and blanks are removed as `lines` does.
    private mutating func backgroundRawLine(_ line: UnsafeBufferPointer<UInt8>, _ lineNumber: Int, _ url: URL) throws {
        guard Words.isASCII(line) else {
            if let text = Self.lineText(String(decoding: line, as: UTF8.self), keepDirectives: true, stripComments: true, keepIndent: false) {
                try Array(text.utf8).withUnsafeBufferPointer { try backgroundLine($0, lineNumber, url) }
            }
            return
        }
        var s = 0
        var e = line.count
        if !Self.hasPrefix(line, "#documents") {
            var k = 0
            while k < e, line[k] != 0x23 { k += 1 }
            e = k
            while s < e, line[s] == 0x20 || line[s] == 0x09 { s += 1 }
            while e > s, line[e - 1] == 0x20 || line[e - 1] == 0x09 { e -= 1 }
            if s == e { return }
        }
        try backgroundLine(UnsafeBufferPointer(rebasing: line[s..<e]), lineNumber, url)
    }

    private static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ p: StaticString) -> Bool {
        guard b.count >= p.utf8CodeUnitCount else { return false }
        for k in 0..<p.utf8CodeUnitCount where b[k] != p.utf8Start[k] { return false }
        return true
    }

    /// One line of the background list, comments and surrounding blanks removed.
    private mutating func backgroundLine(_ text: UnsafeBufferPointer<UInt8>, _ line: Int, _ url: URL) throws {
        guard Words.isASCII(text) else {
            // the general reading
            let s = String(decoding: text, as: UTF8.self)
            let cols = s.split(separator: "\t")
            guard cols.count == 2, let n = Int(cols[1].trimmedBlanks()), n >= 0 else {
                throw ConfigError(file: url.path, line: line, message: "expected 'word<TAB>document frequency'")
            }
            if cols[0] == "#documents" {
                documents = max(2, n)
                return
            }
            let w = Words.words(of: String(cols[0]))
            guard w.count == 1 else { return }
            addBackground(copying: Array(w[0].utf8), n)
            return
        }
        // columns: split at tabs, empty columns dropped
        var c0 = 0..<0, c1 = 0..<0
        var columns = 0
        var a = 0
        for k in 0...text.count where k == text.count || text[k] == 0x09 {
            if k > a {
                if columns == 0 { c0 = a..<k } else if columns == 1 { c1 = a..<k }
                columns += 1
                if columns > 2 { break }
            }
            a = k + 1
        }
        guard columns == 2, let n = Self.parseInt(UnsafeBufferPointer(rebasing: text[c1])), n >= 0 else {
            throw ConfigError(file: url.path, line: line, message: "expected 'word<TAB>document frequency'")
        }
        let word = UnsafeBufferPointer(rebasing: text[c0])
        if word.count == 10, Self.hasPrefix(word, "#documents") {
            documents = max(2, n)
            return
        }
        // exactly one run of letters, folded
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: word.count) { folded in
            var length = 0
            var runs = 0
            var inWord = false
            for b in word {
                if Words.isASCIILetter(b) {
                    if !inWord { runs += 1; inWord = true }
                    folded[length] = b | 0x20
                    length += 1
                } else {
                    inWord = false
                }
            }
            guard runs == 1 else { return }
            addBackground(copying: Array(folded[0..<length]), n)
        }
    }

    private mutating func addBackground(copying word: [UInt8], _ n: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, word.count)) { buffer in
            _ = buffer.initialize(from: word)
            addBackground(buffer, word.count, n, ascii: word.allSatisfy { $0 < 0x80 })
        }
    }

    /// Counts the folded word `buffer[0..<length]` with document frequency `n` for its key (the
    /// stem of its variant or of itself; the word's own stem is made in place); `ascii`: the word
    /// is ASCII.
    private mutating func addBackground(_ buffer: UnsafeMutableBufferPointer<UInt8>, _ length: Int, _ n: Int, ascii: Bool) {
        let word = buffer.baseAddress!
        let source = length >= 3 && (!ascii || mayBeVariant(word, length)) ? variant(UnsafeBufferPointer(start: word, count: length)) : nil
        let id: Int32
        if let source {
            id = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, source.count)) { k in
                _ = k.initialize(from: source)
                let m = Stemmer.stem(inPlace: UnsafeMutableBufferPointer(rebasing: k[0..<source.count]))
                return stemID(adding: UnsafeBufferPointer(rebasing: k[0..<m]))
            }
        } else {
            let m = Stemmer.stem(inPlace: UnsafeMutableBufferPointer(start: word, count: length))
            let key = UnsafeBufferPointer(start: UnsafePointer(word), count: m)
            if ascii {
                // (a new stem starts at this word's frequency)
                let (known, inserted) = stems.intern(ascii: key, readable: buffer.count, next: Int32(stemDF.count))
                if inserted {
                    stemDF.append(n)
                    return
                }
                id = known
            } else {
                id = stemID(adding: key)
            }
        }
        if n > stemDF[Int(id)] { stemDF[Int(id)] = n }
    }

    /// A quick test that lets most ASCII words skip the variant lookup: false when no variant form
    /// has the word's length and first and last bytes.
    @inline(__always)
    func mayBeVariant(_ word: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        let bit = Self.variantBit(first: word[0], last: word[length - 1], length: length)
        return variantFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    @inline(__always)
    private static func variantBit(first: UInt8, last: UInt8, length: Int) -> Int {
        (Int(first) &* 31 &+ Int(last) &* 7 &+ length) & 1023
    }

    /// `Int(String)` on an ASCII field with blanks around it: an optional sign and digits.
    private static func parseInt(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var s = 0
        var e = b.count
        while s < e, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
        while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
        guard s < e else { return nil }
        var negative = false
        if b[s] == 0x2B || b[s] == 0x2D {
            negative = b[s] == 0x2D
            s += 1
            guard s < e else { return nil }
        }
        var v = 0
        for k in s..<e {
            let d = b[k]
            guard d >= 0x30, d <= 0x39 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (r, o2) = negative ? m.subtractingReportingOverflow(Int(d - 0x30)) : m.addingReportingOverflow(Int(d - 0x30))
            if o1 || o2 { return nil }
            v = r
        }
        return v
    }

    /// Gives an id to every stem the lists name and fills the tables by id.
    private mutating func index() {
        abbreviationSet = WordSet(abbreviations)
        abbreviationMaxLength = abbreviations.map { a in
            a.utf8.allSatisfy { $0 < 0x80 } ? a.utf8.count : max(a.utf8.count, a.precomposedStringWithCanonicalMapping.utf8.count)
        }.max() ?? 0
        for s in stop { stemID(adding: Array(s.utf8)) }
        for t in fieldTerms.keys { stemIDs(adding: t) }
        for h in bigramHeads where !h.utf8.contains(0x20) { stemID(adding: Array(h.utf8)) }
        for t in relatedTerms.keys { stemIDs(adding: t) }
        for f in relatedFirst where !f.utf8.contains(0x20) { stemID(adding: Array(f.utf8)) }

        let logN = log(Double(max(2, documents)))
        // the list has few distinct frequencies: each one's rarity is computed once (a direct-mapped cache)
        var cachedDF = [Int](repeating: -1, count: 1024)
        var cachedRarity = [Double](repeating: 0, count: 1024)
        // one pass over all the stems (their rarity), then the few the other lists name are marked
        stemInfo = stemDF.map { df -> StemInfo in
            let slot = df & 1023
            if cachedDF[slot] != df {
                cachedDF[slot] = df
                cachedRarity[slot] = rarity(df: df, logN: logN)
            }
            return StemInfo(rarity: cachedRarity[slot], fieldTerm: -1, flags: 0)
        }
        unseenRarity = rarity(df: 0)
        for s in stop {
            let id = Int(stemID(adding: Array(s.utf8)))
            stemInfo[id].flags |= Self.stopFlag
        }
        for h in bigramHeads where !h.utf8.contains(0x20) {
            let id = Int(stemID(adding: Array(h.utf8)))
            stemInfo[id].flags |= Self.bigramHeadFlag
        }
        for f in relatedFirst where !f.utf8.contains(0x20) {
            let id = Int(stemID(adding: Array(f.utf8)))
            stemInfo[id].flags |= Self.relatedFirstFlag
        }
        fieldTermFields = []
        var pairs: [(StemPair, Int32)] = []
        for term in fieldTerms.keys.sorted() {
            let parts = stemIDs(adding: term)
            let index = Int32(fieldTermFields.count)
            fieldTermFields.append(fieldTerms[term]!)
            if parts.count == 1 {
                stemInfo[Int(parts[0])].fieldTerm = index
            } else if parts.count == 2 {
                pairs.append((StemPair(a: parts[0], b: parts[1]), index))
            }
        }
        var sequences: [(StemTriple, Int)] = []
        for (term, index) in relatedTerms {
            let parts = stemIDs(adding: term)
            guard !parts.isEmpty, parts.count <= 3 else { continue }
            sequences.append((StemTriple(a: parts[0], b: parts.count > 1 ? parts[1] : -1, c: parts.count > 2 ? parts[2] : -1), index))
        }
        packable = stemDF.count < (1 << 21) - 1
        if packable {
            packedPairs = UInt64Map(pairs.map { (Self.packed(Int($0.0.a), Int($0.0.b)), $0.1) })
            packedSequences = UInt64Map(sequences.map { (Self.packed(Int($0.0.a), Int($0.0.b), Int($0.0.c)), Int32($0.1)) })
        } else {
            // struct keys only for a vocabulary too large to pack (each dictionary type's first use
            // costs the start-up a runtime type lookup)
            pairFieldTerms = Dictionary(pairs, uniquingKeysWith: { $1 })
            relatedSequences = Dictionary(sequences, uniquingKeysWith: { $1 })
        }
    }

    /// The index of a term of `related.tsv` (line `line` of `url`), added when new. (A method, not a
    /// function nested in `loadRelated`: that one would copy the whole vocabulary for each `key`.)
    private mutating func relatedTerm(_ text: String, _ line: Int, _ url: URL) throws -> Int {
        let words = Words.words(of: text)
        guard !words.isEmpty, words.count <= 3, words.allSatisfy({ $0.utf8.count >= 2 }) else {
            throw ConfigError(file: url.path, line: line,
                              message: "'\(text)' must be one to three words of at least two letters")
        }
        var keys: [String] = []
        for w in words { keys.append(key(Array(w.utf8))) }  // (a loop: a closure would copy `self` too)
        let k = keys.joined(separator: " ")
        if words.count == 1, stop.contains(k) {
            throw ConfigError(file: url.path, line: line, message: "'\(text)' is a stop word (stopwords.txt): it would never match")
        }
        if let i = relatedTerms[k] { return i }
        let i = related.count
        relatedTerms[k] = i
        related.append([])
        relatedNames.append(words.joined(separator: " "))
        relatedMaxWords = max(relatedMaxWords, words.count)
        relatedFirst.insert(keys[0])
        return i
    }

    /// Reads `related.tsv`: `term<TAB>term, term, ...`, each line relating its first term to each
    /// of the others (both ways). A term is one to three words; a one-word term must not be a stop
    /// word (it would never be matched).
    private mutating func loadRelated(_ url: URL) throws {
        for (line, text) in try Self.lines(url) {
            let cols = Self.parts(text, at: { $0 == 0x09 }).map { $0.trimmedBlanks() }.filter { !$0.isEmpty }
            guard cols.count == 2 else {
                throw ConfigError(file: url.path, line: line, message: "expected 'term<TAB>related term, related term, ...'")
            }
            let head = try relatedTerm(cols[0], line, url)
            let others = Self.parts(cols[1], at: { $0 == 0x2C }).map { $0.trimmedBlanks() }.filter { !$0.isEmpty }
            guard !others.isEmpty else {
                throw ConfigError(file: url.path, line: line, message: "'\(cols[0])' has no related terms")
            }
            for o in others {
                let j = try relatedTerm(o, line, url)
                guard j != head else { continue }
                related[head].insert(j)
                related[j].insert(head)
            }
        }
    }

    /// Reads `fields.yaml` (the subset of YAML its header describes).
    private mutating func loadFields(_ url: URL) throws {
        struct Pending { var id: String; var line: Int; var label: String?; var near: [String] = []; var words: [String] = [] }
        var pending: [Pending] = []
        var currentKey: String?  // the property whose value continues on more indented lines
        for (line, raw) in try Self.lines(url, stripComments: true, keepIndent: true) {
            let indent = raw.prefix { $0 == " " }.count
            let text = raw.trimmedBlanks()
            if text.isEmpty { continue }
            if raw.utf8.contains(0x09) { throw ConfigError(file: url.path, line: line, message: "tabs are not allowed; indent with spaces") }
            if indent == 0 {
                guard text == "fields:" else { throw ConfigError(file: url.path, line: line, message: "expected 'fields:'") }
                currentKey = nil
            } else if indent == 2 {
                let name = text.utf8.dropLast()
                guard text.hasSuffix(":"), !name.contains(0x3A), !name.contains(0x20) else {
                    throw ConfigError(file: url.path, line: line, message: "expected a field id followed by ':'")
                }
                let id = String(text.dropLast())
                if pending.contains(where: { $0.id == id }) {
                    throw ConfigError(file: url.path, line: line, message: "field '\(id)' is defined twice")
                }
                pending.append(Pending(id: id, line: line))
                currentKey = nil
            } else if indent == 4, let colon = text.firstIndex(of: ":") {
                guard !pending.isEmpty else { throw ConfigError(file: url.path, line: line, message: "a property outside a field") }
                let key = String(text[..<colon]).trimmedBlanks()
                let value = Self.plain(String(text[text.index(after: colon)...]))
                switch key {
                case "label": pending[pending.count - 1].label = value
                case "near": pending[pending.count - 1].near += Self.list(value)
                case "words": pending[pending.count - 1].words += Self.list(value)
                default: throw ConfigError(file: url.path, line: line, message: "unknown property '\(key)' (known: label, near, words)")
                }
                currentKey = key
            } else if indent > 4, let key = currentKey, !pending.isEmpty {
                switch key {
                case "near": pending[pending.count - 1].near += Self.list(text)
                case "words": pending[pending.count - 1].words += Self.list(text)
                default: pending[pending.count - 1].label = (pending[pending.count - 1].label ?? "") + " " + text
                }
            } else {
                throw ConfigError(file: url.path, line: line, message: "unexpected line (see the format in the file's header)")
            }
        }
        let index = Dictionary(uniqueKeysWithValues: pending.enumerated().map { ($1.id, $0) })
        fields = pending.map { Field(id: $0.id, label: $0.label ?? $0.id, near: []) }
        for (i, p) in pending.enumerated() {
            for n in p.near {
                guard let j = index[n] else {
                    throw ConfigError(file: url.path, line: p.line, message: "field '\(p.id)' is near '\(n)', which is not defined")
                }
                if j != i {
                    fields[i].near.insert(j)
                    fields[j].near.insert(i)
                }
            }
            for w in p.words {
                let parts = Self.parts(w, at: { $0 == 0x5F }).map { key($0) }.filter { !$0.isEmpty }
                guard !parts.isEmpty, parts.count <= 2 else {
                    throw ConfigError(file: url.path, line: p.line, message: "field '\(p.id)': '\(w)' must be a word or two words joined by '_'")
                }
                let term = parts.joined(separator: " ")
                if parts.count == 2 { bigramHeads.insert(parts[0]) }
                if !(fieldTerms[term]?.contains(i) ?? false) { fieldTerms[term, default: []].append(i) }
            }
        }
    }

    private static func plain(_ s: String) -> String {
        var t = s.trimmedBlanks()
        if t.count >= 2, (t.hasPrefix("\"") && t.hasSuffix("\"")) || (t.hasPrefix("'") && t.hasSuffix("'")) {
            t = String(t.dropFirst().dropLast())
        }
        return t
    }

    /// `a b c`, `a, b, c` or `[a, b, c]`.
    private static func list(_ s: String) -> [String] {
        var t = s.trimmedBlanks()
        if t.hasPrefix("[") { t.removeFirst() }
        if t.hasSuffix("]") { t.removeLast() }
        return parts(t, at: { $0 == 0x20 || $0 == 0x2C })
    }

    /// `text.split(whereSeparator:)` at the ASCII bytes `isSeparator` accepts (empty parts left
    /// out): on bytes when the text is ASCII, else by Characters, as before (a separator followed by
    /// a combining mark is no separator).
    static func parts(_ text: String, at isSeparator: (UInt8) -> Bool) -> [String] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.split(whereSeparator: { c in c.utf8.count == 1 && isSeparator(c.utf8.first!) }).map(String.init)
        }
        var out: [String] = []
        forEachPart(of: text, at: isSeparator) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    /// The UTF-8 bytes of `text` between the bytes `isSeparator` accepts, in order (empty parts left
    /// out).
    static func forEachPart(of text: String, at isSeparator: (UInt8) -> Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var t = text
        t.withUTF8 { u in
            var a = 0
            for k in 0...u.count where k == u.count || isSeparator(u[k]) {
                if k > a { body(UnsafeBufferPointer(rebasing: u[a..<k])) }
                a = k + 1
            }
        }
    }

    static func read(_ url: URL) throws -> [UInt8] {
        if let bytes = readDirectly(url.path) { return bytes }
        do { return [UInt8](try Data(contentsOf: url)) } catch {
            throw ConfigError(file: url.path, line: 0, message: "cannot read the file: \(error.localizedDescription)")
        }
    }

    /// The bytes of a regular file read straight into an array (nil on any failure: `read` then
    /// tries again with `Data` to report the error).
    private static func readDirectly(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let got = Foundation.read(fd, buffer.baseAddress! + count, size - count)
                if got <= 0 { complete = false; break }
                count += got
            }
        }
        return complete ? bytes : nil
    }

    /// The lines of a data file with their numbers, comments (`#` to the end of the line) and blank
    /// lines left out. `#documents` lines are kept when asked (the background file's header).
    static func lines(_ url: URL, keepDirectives: Bool = false, stripComments: Bool = true,
                      keepIndent: Bool = false) throws -> [(Int, String)] {
        let data = try read(url)
        var out: [(Int, String)] = []
        var n = 0
        for var sub in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            n += 1
            if sub.last == 0x0D { sub = sub.dropLast() }  // a file saved with Windows line ends
            guard sub.allSatisfy({ $0 < 0x80 }) else {
                if let line = lineText(String(decoding: sub, as: UTF8.self), keepDirectives: keepDirectives,
                                       stripComments: stripComments, keepIndent: keepIndent) {
                    out.append((n, line))
                }
                continue
            }
            var line = sub[...]
            if keepDirectives, line.starts(with: "#documents".utf8) {
                out.append((n, String(decoding: line, as: UTF8.self)))
                continue
            }
            if stripComments, let hash = line.firstIndex(of: 0x23) { line = line[..<hash] }
            var s = line.startIndex
            var e = line.endIndex
            while s < e, line[s] == 0x20 || line[s] == 0x09 { s += 1 }
            while e > s, line[e - 1] == 0x20 || line[e - 1] == 0x09 { e -= 1 }
            if s == e { continue }
            out.append((n, String(decoding: keepIndent ? line : line[s..<e], as: UTF8.self)))
        }
        return out
    }

    /// One line as `lines` gives it, nil when it is left out.
    static func lineText(_ text: String, keepDirectives: Bool, stripComments: Bool, keepIndent: Bool) -> String? {
        var line = text
        if line.hasSuffix("\r") { line.removeLast() }
        if keepDirectives, line.hasPrefix("#documents") { return line }
        if stripComments, let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
        if line.trimmedBlanks().isEmpty { return nil }
        return keepIndent ? line : line.trimmedBlanks()
    }
}

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)`, without Foundation for ASCII text (whose white
    /// space there is only the space and the tab).
    func trimmedBlanks() -> String {
        var ascii = true
        for b in utf8 where b >= 0x80 { ascii = false; break }
        guard ascii else { return trimmingCharacters(in: .whitespaces) }
        return String(self).utf8.withContiguousStorageIfAvailable { u -> String in
            var s = 0
            var e = u.count
            while s < e, u[s] == 0x20 || u[s] == 0x09 { s += 1 }
            while e > s, u[e - 1] == 0x20 || u[e - 1] == 0x09 { e -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: u[s..<e]), as: UTF8.self)
        } ?? trimmingCharacters(in: .whitespaces)
    }
}
