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

    /// Decodes the scalar at `i` (the text is valid UTF-8): the scalar and its length in bytes.
    @inline(__always)
    static func decode(_ t: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int) {
        let b0 = t[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xE0, i + 1 < end { return ((UInt32(b0 & 0x1F) << 6) | UInt32(t[i + 1] & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < end {
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(t[i + 1] & 0x3F) << 6) | UInt32(t[i + 2] & 0x3F), 3)
        }
        if i + 3 < end {
            return ((UInt32(b0 & 0x07) << 18) | (UInt32(t[i + 1] & 0x3F) << 12) | (UInt32(t[i + 2] & 0x3F) << 6)
                | UInt32(t[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
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
        return bytes.withUnsafeBufferPointer { t -> Bool? in
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
    }

    /// Folds a whole string to its words (used for the data files and for short texts).
    static func words(of text: String) -> [String] {
        let bytes = Array(text.utf8)
        var out: [String] = []
        scan(bytes, 0..<bytes.count) { _, _, w in out.append(String(decoding: w, as: UTF8.self)) }
        return out
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
    private static let derivational: [(suffix: [UInt8], minimum: Int)] = [
        ("ization", 4), ("isation", 4), ("ational", 4), ("ation", 4), ("ition", 4), ("ality", 4),
        ("ically", 4), ("ical", 4), ("ious", 4), ("ally", 4), ("ment", 4), ("ness", 4), ("ity", 4), ("ion", 4),
        ("ive", 4), ("ous", 4), ("ize", 4), ("ise", 4), ("ate", 4),
        ("ful", 4), ("ic", 5), ("al", 5), ("ly", 4), ("y", 4), ("e", 4),
    ].map { (Array($0.0.utf8), $0.1) }

    @inline(__always) private static func isVowel(_ b: UInt8) -> Bool {
        b == 0x61 || b == 0x65 || b == 0x69 || b == 0x6F || b == 0x75 || b == 0x79
    }

    private static func ends(_ w: [UInt8], _ suffix: [UInt8]) -> Bool {
        guard w.count >= suffix.count else { return false }
        var i = w.count - suffix.count
        for b in suffix {
            if w[i] != b { return false }
            i += 1
        }
        return true
    }

    private static func ends(_ w: [UInt8], _ suffix: String) -> Bool { ends(w, Array(suffix.utf8)) }

    private static func hasVowel(_ w: [UInt8], upTo n: Int) -> Bool {
        for i in 0..<min(n, w.count) where isVowel(w[i]) { return true }
        return false
    }

    static func stem(_ word: [UInt8]) -> [UInt8] {
        var s = word
        if s.count <= 3 { return s }
        // inflection: plural
        if ends(s, "ies"), s.count > 4 {
            s.removeLast(3)
            s.append(0x79)  // y
        } else if ends(s, "sses") {
            s.removeLast(2)
        } else if ends(s, "s"), !ends(s, "ss"), !ends(s, "us"), !ends(s, "is"), s.count > 3 {
            s.removeLast()
        }
        // inflection: -ing, -ed
        var verbal = false
        if ends(s, "ing"), s.count - 3 >= 3, hasVowel(s, upTo: s.count - 3) {
            s.removeLast(3)
            verbal = true
        } else if ends(s, "ed"), s.count - 2 >= 3, hasVowel(s, upTo: s.count - 2) {
            s.removeLast(2)
            verbal = true
        }
        if verbal {
            let n = s.count
            if n >= 4, s[n - 1] == s[n - 2], !isVowel(s[n - 1]), s[n - 1] != 0x6C, s[n - 1] != 0x73, s[n - 1] != 0x7A {
                s.removeLast()  // running -> run
            } else if n >= 6, ends(s, "at") || ends(s, "iz") || ends(s, "is") {
                s.removeLast(2)  // navigat(ing) -> navig, like navig(ation)
            }
        }
        // derivation
        for _ in 0..<3 {
            var changed = false
            for (suffix, minimum) in derivational where s.count - suffix.count >= minimum && ends(s, suffix) {
                s.removeLast(suffix.count)
                changed = true
                break
            }
            if !changed { break }
        }
        return s
    }
}

/// The word lists of the screening, loaded once from the files the stage settings name.
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
    /// Stem -> background document frequency (the largest of its words'), out of `documents`.
    var backgroundDF: [String: Int] = [:]
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

    /// The key a folded word is compared by: its variant's stem.
    func key(_ folded: [UInt8]) -> String {
        if folded.count >= 3, let v = variants[String(decoding: folded, as: UTF8.self)] {
            return String(decoding: Stemmer.stem(Array(v.utf8)), as: UTF8.self)
        }
        return String(decoding: Stemmer.stem(folded), as: UTF8.self)
    }

    func key(_ word: String) -> String {
        let w = Words.words(of: word)
        return w.count == 1 ? key(Array(w[0].utf8)) : w.map { key(Array($0.utf8)) }.joined(separator: " ")
    }

    /// How rare a stem is in general English, 0 (in every document) ... 1 (unseen).
    func rarity(_ stem: String) -> Double {
        let df = Double(max(1, backgroundDF[stem] ?? 1))
        let n = Double(max(2, documents))
        return min(1, max(0, log(n / df) / log(n)))
    }

    // MARK: loading

    static func load(stopWords: URL?, variants: URL?, abbreviations: URL?, background: URL?, fields: URL?,
                     related: URL? = nil) throws -> Vocabulary {
        var v = Vocabulary()
        if let url = variants {
            for (line, text) in try lines(url) {
                let cols = text.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
                guard cols.count == 2, !cols[0].isEmpty, !cols[1].isEmpty else {
                    throw ConfigError(file: url.path, line: line, message: "expected 'form<TAB>word'")
                }
                let from = Words.words(of: cols[0]).joined()
                let to = Words.words(of: cols[1]).joined()
                if !from.isEmpty, !to.isEmpty { v.variants[from] = to }
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
            for (line, text) in try lines(url, keepDirectives: true) {
                let cols = text.split(separator: "\t")
                guard cols.count == 2, let n = Int(cols[1].trimmingCharacters(in: .whitespaces)), n >= 0 else {
                    throw ConfigError(file: url.path, line: line, message: "expected 'word<TAB>document frequency'")
                }
                if cols[0] == "#documents" {
                    v.documents = max(2, n)
                    continue
                }
                let w = Words.words(of: String(cols[0]))
                guard w.count == 1 else { continue }
                let k = v.key(Array(w[0].utf8))
                if n > v.backgroundDF[k] ?? 0 { v.backgroundDF[k] = n }
            }
        }
        if let url = fields {
            try v.loadFields(url)
        }
        if let url = related {
            try v.loadRelated(url)
        }
        return v
    }

    /// Reads `related.tsv`: `term<TAB>term, term, ...`, each line relating its first term to each
    /// of the others (both ways). A term is one to three words; a one-word term must not be a stop
    /// word (it would never be matched).
    private mutating func loadRelated(_ url: URL) throws {
        func term(_ text: String, _ line: Int) throws -> Int {
            let words = Words.words(of: text)
            guard !words.isEmpty, words.count <= 3, words.allSatisfy({ $0.utf8.count >= 2 }) else {
                throw ConfigError(file: url.path, line: line,
                                  message: "'\(text)' must be one to three words of at least two letters")
            }
            let k = words.map { key(Array($0.utf8)) }.joined(separator: " ")
            if words.count == 1, stop.contains(k) {
                throw ConfigError(file: url.path, line: line, message: "'\(text)' is a stop word (stopwords.txt): it would never match")
            }
            if let i = relatedTerms[k] { return i }
            let i = related.count
            relatedTerms[k] = i
            related.append([])
            relatedNames.append(words.joined(separator: " "))
            relatedMaxWords = max(relatedMaxWords, words.count)
            relatedFirst.insert(key(Array(words[0].utf8)))
            return i
        }
        for (line, text) in try Self.lines(url) {
            let cols = text.split(separator: "\t", omittingEmptySubsequences: true)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard cols.count == 2 else {
                throw ConfigError(file: url.path, line: line, message: "expected 'term<TAB>related term, related term, ...'")
            }
            let head = try term(cols[0], line)
            let others = cols[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !others.isEmpty else {
                throw ConfigError(file: url.path, line: line, message: "'\(cols[0])' has no related terms")
            }
            for o in others {
                let j = try term(o, line)
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
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if raw.contains("\t") { throw ConfigError(file: url.path, line: line, message: "tabs are not allowed; indent with spaces") }
            if indent == 0 {
                guard text == "fields:" else { throw ConfigError(file: url.path, line: line, message: "expected 'fields:'") }
                currentKey = nil
            } else if indent == 2 {
                guard text.hasSuffix(":"), !text.dropLast().contains(":"), !text.dropLast().contains(" ") else {
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
                let key = String(text[..<colon]).trimmingCharacters(in: .whitespaces)
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
                let parts = w.split(separator: "_").map { key(String($0)) }.filter { !$0.isEmpty }
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
        var t = s.trimmingCharacters(in: .whitespaces)
        if t.count >= 2, (t.hasPrefix("\"") && t.hasSuffix("\"")) || (t.hasPrefix("'") && t.hasSuffix("'")) {
            t = String(t.dropFirst().dropLast())
        }
        return t
    }

    /// `a b c`, `a, b, c` or `[a, b, c]`.
    private static func list(_ s: String) -> [String] {
        var t = s.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("[") { t.removeFirst() }
        if t.hasSuffix("]") { t.removeLast() }
        return t.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init).filter { !$0.isEmpty }
    }

    /// The lines of a data file with their numbers, comments (`#` to the end of the line) and blank
    /// lines left out. `#documents` lines are kept when asked (the background file's header).
    static func lines(_ url: URL, keepDirectives: Bool = false, stripComments: Bool = true,
                      keepIndent: Bool = false) throws -> [(Int, String)] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError(file: url.path, line: 0, message: "cannot read the file: \(error.localizedDescription)")
        }
        var out: [(Int, String)] = []
        var n = 0
        for sub in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            var line = String(sub)
            if line.hasSuffix("\r") { line.removeLast() }
            if keepDirectives, line.hasPrefix("#documents") {
                out.append((n, line))
                continue
            }
            if stripComments, let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            out.append((n, keepIndent ? line : line.trimmingCharacters(in: .whitespaces)))
        }
        return out
    }
}
