import AssayCore
import Foundation

/// Name comparison: folding case and diacritics, match keys, edit distance, and the word lists the
/// parsers consult (particles, words that are never a surname, words that make a name doubtful).
enum Names {
    /// Lower case, diacritics removed (`Tomaševski` -> `tomasevski`, `Möser` -> `moser`), other
    /// characters kept.
    static func fold(_ s: String) -> String {
        var ascii = true
        for b in s.utf8 where b >= 0x80 { ascii = false; break }
        if ascii { return s.lowercased() }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for sc in s.unicodeScalars {
            if sc.value < 0x80 {
                out.unicodeScalars.append(sc.value >= 0x41 && sc.value <= 0x5A ? Unicode.Scalar(sc.value + 32)! : sc)
            } else if let m = latinFold[sc.value] ?? commonFold[sc.value] {
                out += m
            } else {
                let f = String(sc).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                out += f
            }
        }
        return out
    }

    /// The key of ASCII text: its letters in lower case and its digits, at most `limit` of them.
    static func asciiKey(_ u: UnsafeBufferPointer<UInt8>, limit: Int) -> String {
        String(unsafeUninitializedCapacity: min(u.count, limit)) { out in
            var n = 0
            for b in u where n < limit {
                if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A {
                    out[n] = b | 0x20
                    n += 1
                } else if b >= 0x30 && b <= 0x39 {
                    out[n] = b
                    n += 1
                }
            }
            return n
        }
    }

    /// The match key of a name: folded, letters and digits only (`Adler-Nissen` -> `adlernissen`,
    /// `O’Brien` -> `obrien`, `Suess Schwend` -> `suessschwend`).
    static func key(_ s: String) -> String {
        var ascii = true
        if let a = s.utf8.withContiguousStorageIfAvailable({ u in !u.contains(where: { $0 >= 0x80 }) }) {
            ascii = a
        } else {
            for b in s.utf8 where b >= 0x80 { ascii = false; break }
        }
        if ascii { return s.withUTF8InPlace { asciiKey($0, limit: $0.count) } }
        // `fold` scalar by scalar, keeping the letters and digits of what each folds to (as UTF-8
        // bytes, made a string once)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        func keep(_ sc: Unicode.Scalar) {
            if sc.value < 0x80 {
                let v = sc.value
                if (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A || v >= 0x30 && v <= 0x39 { out.append(UInt8(v)) }
            } else if sc.properties.isAlphabetic {
                UTF8.encode(sc) { out.append($0) }
            }
        }
        for sc in s.unicodeScalars {
            if sc.value < 0x80 {
                keep(sc.value >= 0x41 && sc.value <= 0x5A ? Unicode.Scalar(sc.value + 32)! : sc)
            } else if let k = commonKey[sc.value] {
                out.append(contentsOf: k.utf8)
            } else if let m = latinFold[sc.value] ?? commonFold[sc.value] {
                for x in m.unicodeScalars { keep(x) }
            } else {
                for x in String(sc).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).unicodeScalars { keep(x) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Key of the words of a name without leading particles (`van der Berg` -> `berg`), nil when
    /// the name has no leading particle.
    static func keyWithoutParticles(_ s: String) -> String? {
        guard hasSpace(s) else { return nil }  // one word (most names): no particle before it
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: a character is a byte
            let words = Array(s.utf8).split(separator: 0x20)
            var k = 0
            while k < words.count - 1, particles.contains(String(decoding: words[k], as: UTF8.self).lowercased()) { k += 1 }
            guard k > 0 else { return nil }
            return key(String(decoding: Array(words[k...].joined(separator: [0x20])), as: UTF8.self))
        }
        let words = s.split(whereSeparator: { $0 == " " })
        var k = 0
        while k < words.count - 1, isParticle(String(words[k])) { k += 1 }
        guard k > 0 else { return nil }
        return key(words[k...].joined(separator: " "))
    }

    /// Key of the last word of a name of several words (`Suess Schwend` -> `schwend`), nil for one word.
    static func keyOfLastWord(_ s: String) -> String? {
        guard hasSpace(s) else { return nil }
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            let words = Array(s.utf8).split(separator: 0x20)
            guard words.count > 1, let last = words.last else { return nil }
            return key(String(decoding: last, as: UTF8.self))
        }
        let words = s.split(whereSeparator: { $0 == " " })
        guard words.count > 1, let last = words.last else { return nil }
        return key(String(last))
    }

    /// The name has a space, so possibly several words.
    @inline(__always) static func hasSpace(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { $0.contains(0x20) } ?? s.utf8.contains(0x20)
    }

    /// What comparing two keys needs to know of each first: its length in characters (the
    /// mismatch rule's) and in scalars (the distance's), and which letters it has, one bit per
    /// scalar (its value mod 64).
    struct Shape {
        var characters: Int
        var scalars: Int
        var letters: UInt64

        init(_ key: String) {
            // (an ASCII key without `\r`, most keys: a character is a byte, read in place)
            let ascii: (count: Int, letters: UInt64)? = key.withUTF8InPlace { u in
                var letters: UInt64 = 0
                for b in u {
                    if b >= 0x80 || b == 0x0D { return nil }
                    letters |= 1 << UInt64(b & 63)
                }
                return (u.count, letters)
            }
            if let ascii {
                self.characters = ascii.count
                self.scalars = ascii.count
                self.letters = ascii.letters
                return
            }
            var letters: UInt64 = 0
            var scalars = 0
            for v in key.unicodeScalars {
                letters |= 1 << UInt64(v.value & 63)
                scalars += 1
            }
            self.letters = letters
            self.scalars = scalars
            // (an ASCII key's characters are its scalars, but for "\r\n")
            characters = key.utf8.count == scalars && !key.utf8.contains(0x0D) ? scalars : key.count
        }

        /// False when the keys are surely more than `limit` edits apart: their lengths differ by
        /// more, or more than `2 × limit` letters are in one of them only (an edit adds or removes
        /// at most two letters). A long list is compared with each unmatched citation, so most
        /// pairs must be told apart without the distance.
        func mayBeWithin(_ limit: Int, of o: Shape) -> Bool {
            abs(scalars - o.scalars) <= limit && (letters ^ o.letters).nonzeroBitCount <= 2 * limit
        }
    }

    /// Damerau-Levenshtein distance (adjacent transposition counts one) between two keys, giving up
    /// (returning `limit + 1`) as soon as it must exceed `limit`.
    static func distance(_ a: String, _ b: String, limit: Int) -> Int {
        WorkCounter.add(1)  // (a pair of names compared: the linear tests count them)
        var a = a
        var b = b
        // (ASCII keys, most of them, are compared on their bytes: no array of scalars per pair)
        if let d = a.withUTF8({ x in b.withUTF8 { y in
            x.allSatisfy { $0 < 0x80 } && y.allSatisfy { $0 < 0x80 } ? distance(x, y, limit: limit) : nil
        } }) {
            return d
        }
        return Array(a.unicodeScalars).withUnsafeBufferPointer { x in
            Array(b.unicodeScalars).withUnsafeBufferPointer { y in distance(x, y, limit: limit) }
        }
    }

    /// `distance` of two sequences of letters (bytes or scalars).
    static func distance<T: Equatable>(_ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>, limit: Int) -> Int {
        if abs(x.count - y.count) > limit { return limit + 1 }
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        // three rows of the table, one after another in one buffer
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (y.count + 1)) { rows in
            var prev2 = 0
            var prev = y.count + 1
            var cur = 2 * (y.count + 1)
            for j in 0...y.count { rows[prev + j] = j }
            for i in 1...x.count {
                rows[cur] = i
                var rowMin = i
                for j in 1...y.count {
                    let cost = x[i - 1] == y[j - 1] ? 0 : 1
                    var v = min(rows[prev + j] + 1, rows[cur + j - 1] + 1, rows[prev + j - 1] + cost)
                    if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { v = min(v, rows[prev2 + j - 2] + 1) }
                    rows[cur + j] = v
                    rowMin = min(rowMin, v)
                }
                if rowMin > limit { return limit + 1 }
                (prev2, prev, cur) = (prev, cur, prev2)
            }
            return rows[prev + y.count]
        }
    }

    /// Lower-case words that belong to a surname when a capitalized word follows
    /// (`van der Berg`, `de Reuille`, `al-`, `bin`, `ibn`).
    static func isParticle(_ w: String) -> Bool { particles.contains(w.lowercased()) }
    static let particles: Set<String> = [
        "van", "von", "der", "den", "de", "del", "della", "delle", "degli", "di", "da", "das", "do", "dos",
        "du", "des", "le", "la", "les", "ter", "ten", "te", "bin", "ibn", "bint", "al", "el", "zu", "y", "vom",
        "st", "mac", "abu", "ben",
    ]
    static let particleSet = WordSet(particles)

    /// Capitalized words that are never a surname in a citation: sentence openers, prepositions,
    /// document furniture. A name is not read across them (`In Smith (2019)` names `Smith`).
    static func isStopWord(_ w: String) -> Bool { stopWords.contains(fold(w)) }
    static let stopWords: Set<String> = [
        "the", "this", "these", "that", "those", "a", "an", "however", "moreover", "furthermore", "thus", "hence",
        "therefore", "recently", "similarly", "previously", "here", "while", "although", "though", "when", "where",
        "whereas", "both", "as", "according", "also", "but", "and", "or", "our", "we", "its", "their", "his", "her",
        "further", "indeed", "notably", "consequently", "additionally", "finally", "first", "second", "third", "then",
        "later", "earlier", "yet", "so", "such", "other", "another", "many", "some", "most", "several", "various",
        "for", "with", "without", "under", "over", "through", "since", "until", "during", "before", "after",
        "between", "among", "despite", "unlike", "like", "following", "per", "via", "vs", "see", "cf", "eg", "ie",
        "in", "on", "at", "by", "from", "to", "of", "into", "if", "it", "is", "was", "were", "are", "be", "not",
        "no", "nos", "figure", "figures", "fig", "figs", "table", "tables", "box", "eq", "eqs", "equation", "panel",
        "supplementary", "supplement", "appendix", "chapter", "chap", "section", "sec", "part", "article",
        "vol", "vols", "volume", "page", "pages", "pp", "para", "paras", "note", "notes", "video", "movie", "file",
        "data", "source", "sources", "adopted", "updated", "revised", "published", "accessed", "retrieved", "cited",
        "est", "founded", "circa", "ca", "approx", "approximately", "around", "about", "spring", "summer", "autumn",
        "fall", "winter", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "total", "year", "years", "age", "aged", "all", "each", "every", "only", "even", "just", "still", "again",
        "today", "now", "then", "thereafter", "afterwards", "meanwhile", "likewise", "instead", "rather",
        "especially", "particularly", "mainly", "mostly", "generally", "typically", "usually",
        "reviewed", "review", "reviews", "discussed", "described", "shown", "reported",
    ]
    static let stopWordSet = WordSet(stopWords)

    /// Words that make a name-shaped phrase doubtful as an author (a law, a body, a month): such a
    /// citation is kept only when it resolves to a reference entry.
    static func isDoubtfulWord(_ w: String) -> Bool { doubtfulWords.contains(fold(w)) }
    static let doubtfulWords: Set<String> = [
        "act", "acts", "code", "convention", "conventions", "constitution", "covenant", "protocol", "declaration",
        "charter", "treaty", "treaties", "ordinance", "amendment", "resolution", "resolutions", "statute", "bill",
        "law", "laws", "rules", "regulation", "regulations", "order", "decree", "agreement", "accord", "report",
        "plan", "policy", "strategy", "agenda", "principles", "guidelines", "court", "committee", "council",
        "commission", "assembly", "parliament", "government", "ministry", "republic", "state", "states",
        "nations", "union", "conference", "summit", "programme", "program", "census", "survey", "election",
        "elections", "war", "revolution", "independence", "partition", "cup", "games", "olympics", "festival",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
    static let doubtfulWordSet = WordSet(doubtfulWords)

    /// Lower-case words that, right before a narrative name, make it doubtful (`the Court (2019)`,
    /// `in Khyber Pakhtunkhwa (2020)`).
    static func isDeterminerOrPlacePreposition(_ w: String) -> Bool { determiners.contains(w) }
    static let determiners: Set<String> = [
        "the", "a", "an", "of", "in", "at", "from", "on", "into", "under", "within", "across", "its", "their",
        "this", "that", "these", "those", "our", "his", "her", "throughout",
    ]

    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "spring", "summer", "autumn", "fall", "winter",
    ]
    static let monthSet = WordSet(months)

    /// A written-out given name recovered from initials a database exploded into one letter each
    /// (`M. U. H. A. M. M. A. D.` -> `Muhammad`), or nil when the letters look like real initials
    /// (`M. A. H. S.`).
    static func explodedGivenName(_ letters: [Character]) -> String? {
        guard letters.count >= 4 else { return nil }
        let vowels = letters.filter { "AEIOUYaeiouy".contains($0) }.count
        guard vowels >= 2, Double(vowels) / Double(letters.count) >= 0.3 else { return nil }
        let word = String(letters).lowercased()
        return word.prefix(1).uppercased() + word.dropFirst()
    }

    /// `explodedGivenName` for ASCII letters.
    static func explodedGivenName(ascii letters: [UInt8]) -> String? {
        guard letters.count >= 4 else { return nil }
        var vowels = 0
        for b in letters {
            switch b | 0x20 {
            case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: vowels += 1  // a e i o u y
            default: break
            }
        }
        guard vowels >= 2, Double(vowels) / Double(letters.count) >= 0.3 else { return nil }
        return String(unsafeUninitializedCapacity: letters.count) { out in
            for (k, b) in letters.enumerated() {
                let lower = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                out[k] = k == 0 && lower >= 0x61 && lower <= 0x7A ? lower & ~0x20 : lower
            }
            return letters.count
        }
    }

    /// Foundation's folding of the Latin-1 symbols and the general punctuation (dashes, quotes),
    /// worked out once: what `fold` would get scalar by scalar.
    private static let commonFold: [UInt32: String] = {
        var m: [UInt32: String] = [:]
        for v in Array(0x80...0xFF) + Array(0x2000...0x206F) where latinFold[UInt32(v)] == nil {
            guard let sc = Unicode.Scalar(v) else { continue }
            m[UInt32(v)] = String(sc).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        }
        return m
    }()

    /// What `key` keeps of each scalar `latinFold` and `commonFold` fold (the letters and digits
    /// of its folding), worked out once.
    private static let commonKey: [UInt32: String] = {
        var m: [UInt32: String] = [:]
        for (v, f) in latinFold.merging(commonFold, uniquingKeysWith: { a, _ in a }) {
            var k = ""
            for x in f.unicodeScalars {
                if x.value < 0x80 {
                    let c = x.value
                    if (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c >= 0x30 && c <= 0x39 { k.unicodeScalars.append(x) }
                } else if x.properties.isAlphabetic {
                    k.unicodeScalars.append(x)
                }
            }
            m[v] = k
        }
        return m
    }()

    private static let latinFold: [UInt32: String] = {
        var m: [UInt32: String] = [:]
        let pairs: [(String, String)] = [
            ("ÀÁÂÃÄÅàáâãäåĀāĂăĄą", "a"), ("ÆæǼǽ", "ae"), ("ÇçĆćĈĉĊċČč", "c"), ("ĎďĐđÐð", "d"),
            ("ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "e"), ("ĜĝĞğĠġĢģ", "g"), ("ĤĥĦħ", "h"), ("ÌÍÎÏìíîïĨĩĪīĬĭĮįİı", "i"),
            ("Ĳĳ", "ij"), ("Ĵĵ", "j"), ("Ķķ", "k"), ("ĹĺĻļĽľĿŀŁł", "l"), ("ÑñŃńŅņŇňŉ", "n"),
            ("ÒÓÔÕÖØòóôõöøŌōŎŏŐő", "o"), ("Œœ", "oe"), ("ŔŕŖŗŘř", "r"), ("ŚśŜŝŞşŠšȘș", "s"), ("ß", "ss"),
            ("ŢţŤťŦŧȚț", "t"), ("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", "u"), ("Ŵŵ", "w"), ("ÝýÿŶŷŸ", "y"),
            ("ŹźŻżŽž", "z"), ("Þþ", "th"),
        ]
        for (chars, r) in pairs { for sc in chars.unicodeScalars { m[sc.value] = r } }
        return m
    }()
}

extension String {
    /// `body` on the string's UTF-8 bytes where they lie, as `withUTF8` on a copy of it gives them
    /// (a native string, small or not, has them in one piece), without making that copy: no
    /// retain and release of the string per read. A string whose bytes are not in one piece is
    /// read through such a copy.
    @inline(__always)
    func withUTF8InPlace<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let r = try utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        return try copy.withUTF8(body)
    }
}
