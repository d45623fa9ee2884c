import AssayCore

/// How a citation resolved.
struct LinkResult: Sendable {
    /// Reference indices (duplicates folded into their first copy).
    var references: [Int] = []
    /// Resolved with a different year.
    var yearMismatch = false
    /// Names that only nearly match the entry's: (as cited, as listed).
    var nameMismatches: [(cited: String, listed: String)] = []
    /// Resolved through a given name: (as cited, the entry author's full name).
    var givenName: (cited: String, listedGiven: String, listedFamily: String)?
    /// Faults found while linking (`et al.` for two authors, a co-author left out).
    var defects: [String] = []
    /// When leading words of the first author's name were dropped to find the entry
    /// (`Recently Smith` -> `Smith`): the name kept and where it starts.
    var trimmedFirstAuthor: (text: String, start: Int)?
}

/// Links citations to reference entries the way GROBID does: the first author's surname (case
/// and diacritics folded) plus the year and its a/b suffix, then the other named authors.
///
/// - Two named authors must both match (in order); `et al.` needs three or more authors (used for
///   two it still links, with a defect); a citation that names fewer or more authors than the entry
///   links only when no entry fits exactly, with a defect.
/// - Several entries left and no suffix to tell them apart: the citation lists them all.
/// - Copies of one work (same first author, year, suffix and title) count as the first copy.
/// - No entry of that year: a surname within `nameMismatchRatio` edits of the listed one
///   (`Jillani`/`Jiliani`, names of at least `nameMismatchMinLength` letters) links with a name
///   mismatch; the same names with another year link when exactly one entry fits (year mismatch);
///   a given name of an entry's author (`Asif` for `Asif Khan`) links through it.
/// - Nothing else: an orphan. A citation is never linked to entries that merely share a co-author.
struct Linker {
    struct Options: Sendable {
        var nameMismatchRatio: Double = 0.2
        var nameMismatchMinLength: Int = 5
    }

    let refs: [Reference]
    let options: Options
    /// Per entry, per author: the match key of the family name.
    let keys: [[String]]
    /// Per entry, per author: keys the family also answers to (`berg` for `van der Berg`,
    /// `schwend` for `Suess Schwend`).
    let altKeys: [[[String]]]
    let byFirst: [String: [Int]]
    let byYear: [String: [Int]]
    let byGiven: [String: [(ref: Int, author: Int)]]
    /// The first copy of each entry (itself when it is no copy).
    let canonical: [Int]
    /// Each entry's year, normalized (`normalizeYear`).
    let years: [String?]

    init(_ refs: [Reference], options: Options = Options()) {
        self.refs = refs
        self.options = options
        var keys: [[String]] = []
        var altKeys: [[[String]]] = []
        var byFirst: [String: [Int]] = [:]
        var byYear: [String: [Int]] = [:]
        var byGiven: [String: [(ref: Int, author: Int)]] = [:]
        keys.reserveCapacity(refs.count)
        altKeys.reserveCapacity(refs.count)
        byFirst.reserveCapacity(refs.count)
        byYear.reserveCapacity(refs.count)
        var years: [String?] = []
        years.reserveCapacity(refs.count)
        // (entries read in place by index: no copy of each entry's fields)
        for i in refs.indices {
            let authors = refs[i].authors
            var ks: [String] = []
            var alts: [[String]] = []
            ks.reserveCapacity(authors.count)
            alts.reserveCapacity(authors.count)
            for a in authors.indices {
                let p = authors[a]
                let k = Names.key(p.family)
                ks.append(k)
                var alt: [String] = []
                if let x = Names.keyWithoutParticles(p.family), x != k { alt.append(x) }
                if let x = Names.keyOfLastWord(p.family), x != k, !alt.contains(x) { alt.append(x) }
                alts.append(alt)
                if a == 0 {
                    byFirst[k, default: []].append(i)
                    for x in alt { byFirst[x, default: []].append(i) }
                }
                if let g = p.given {
                    var copy = g
                    if copy.withUTF8({ u in !u.contains { $0 >= 0x80 || $0 == 0x0D } }) {
                        // ASCII without `\r` (`\r\n` is one character): a character is a byte;
                        // initials (`A.`, `A. B.`) give no word, so nothing is split for them
                        if Self.hasGivenWord(g) {
                            for w in Array(g.utf8).split(whereSeparator: { $0 == 0x20 || $0 == 0x2D }) where w.count >= 3 && !w.contains(0x2E) {
                                byGiven[Names.key(String(decoding: w, as: UTF8.self)), default: []].append((i, a))
                            }
                        }
                    } else {
                        for w in g.split(whereSeparator: { $0 == " " || $0 == "-" }) where w.count >= 3 && !w.contains(".") {
                            byGiven[Names.key(String(w)), default: []].append((i, a))
                        }
                    }
                }
            }
            keys.append(ks)
            altKeys.append(alts)
            // (each year normalized once: the year index, the matching and the copies read it)
            let year = refs[i].year.map(Self.normalizeYear)
            years.append(year)
            byYear[year ?? "", default: []].append(i)
        }
        self.keys = keys
        self.altKeys = altKeys
        self.byFirst = byFirst
        self.byYear = byYear
        self.byGiven = byGiven
        self.canonical = Self.findDuplicates(refs, keys, years)
        self.years = years
    }

    /// An ASCII given name has a word (between spaces and hyphens) of three or more bytes and no
    /// full stop, the words `byGiven` keys.
    static func hasGivenWord(_ g: String) -> Bool {
        var length = 0
        var stop = false
        for b in g.utf8 {
            if b == 0x20 || b == 0x2D {
                if length >= 3 && !stop { return true }
                length = 0
                stop = false
            } else {
                length += 1
                if b == 0x2E { stop = true }
            }
        }
        return length >= 3 && !stop
    }

    static func normalizeYear(_ y: String) -> String {
        // `2019`: its own key
        if y.utf8.count == 4, y.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return y }
        let f = Names.key(y)
        if f == "nd" || f == "nodate" { return "n.d." }
        if f == "inpress" || f == "forthcoming" { return "in press" }
        return f
    }

    /// Entries that repeat an earlier entry (same first author, year, suffix and title) map to it.
    static func findDuplicates(_ refs: [Reference], _ keys: [[String]], _ years: [String?]) -> [Int] {
        // Most first authors have one entry, which then can copy none: an entry's work key (its
        // title's above all) is made only once a second entry of its first author comes. (The work
        // key is the fields joined at NUL, which no name key, year or title key holds.)
        var firstOfAuthor: [String: Int] = [:]
        firstOfAuthor.reserveCapacity(refs.count)
        var seen: [String: Int] = [:]
        var canonical = Array(refs.indices)
        /// Records entry `j` as a work; an earlier copy of it, if any.
        func copyOf(_ j: Int, _ first: String) -> Int? {
            guard let prefix = titleKeyPrefix(refs[j].title ?? "") else { return nil }
            let work = first + "\u{0}" + (years[j] ?? "") + "\u{0}" + (refs[j].yearSuffix ?? "") + "\u{0}" + prefix
            if let o = seen[work] { return o }
            seen[work] = j
            return nil
        }
        for i in refs.indices {
            guard let first = keys[i].first, !first.isEmpty else { continue }
            guard let f = firstOfAuthor[first] else {
                firstOfAuthor[first] = i
                continue
            }
            // the author's first entry is recorded when a second one comes (-1: recorded already)
            if f >= 0 {
                _ = copyOf(f, first)
                firstOfAuthor[first] = -1
            }
            if let o = copyOf(i, first) { canonical[i] = o }
        }
        return canonical
    }

    /// The first 120 characters of `Names.key(title)`, nil when the key is shorter than 8.
    static func titleKeyPrefix(_ title: String) -> String? {
        var copy = title
        let ascii: String?? = copy.withUTF8 { u in
            guard !u.contains(where: { $0 >= 0x80 }) else { return .none }
            // ASCII: the key's characters are its bytes, read only as far as the prefix goes
            let key = Names.asciiKey(u, limit: 120)
            return .some(key.utf8.count >= 8 ? key : nil)
        }
        if let ascii { return ascii }
        let key = Names.key(title)
        let asciiKey = !key.utf8.contains(where: { $0 >= 0x80 })
        // (an ASCII key's characters are its bytes)
        guard asciiKey ? key.utf8.count >= 8 : key.count >= 8 else { return nil }
        return asciiKey ? String(decoding: key.utf8.prefix(120), as: UTF8.self) : String(key.prefix(120))
    }

    // MARK: Matching

    private func exact(_ cited: String, _ ref: Int, _ author: Int) -> Bool {
        keys[ref][author] == cited || altKeys[ref][author].contains(cited)
    }

    private func fuzzy(_ cited: String, _ ref: Int, _ author: Int) -> Bool {
        let listed = keys[ref][author]
        let len = max(cited.count, listed.count)
        guard min(cited.count, listed.count) >= options.nameMismatchMinLength else { return false }
        let limit = max(1, Int(Double(len) * options.nameMismatchRatio))
        return Names.distance(cited, listed, limit: limit) <= limit
    }

    /// 0: every name matches and the count fits; 1: every name matches, the count does not;
    /// 2 and 3: the same with a near match; nil: no fit.
    private func tier(_ names: [String], etAl: Bool, _ ref: Int, allowFuzzy: Bool) -> (Int, [Int])? {
        let m = keys[ref].count
        guard m > 0 else { return nil }
        var fuzzyAt: [Int] = []
        for (i, n) in names.enumerated() {
            if i < m, exact(n, ref, i) { continue }
            if allowFuzzy, i < m, fuzzy(n, ref, i) { fuzzyAt.append(i); continue }
            return nil
        }
        let k = names.count
        let countOK = etAl ? m >= 3 || m > k + 1 : m == k
        let base = fuzzyAt.isEmpty ? 0 : 2
        return (base + (countOK ? 0 : 1), fuzzyAt)
    }

    /// (`year`: the citation's year, normalized once per citation.)
    private func yearFits(_ c: Citation, year: String, _ r: Int) -> Int? {
        guard let ry = years[r], ry == year else { return nil }
        switch (c.yearSuffix, refs[r].yearSuffix) {
        case (nil, _): return 0
        case let (a?, b?): return a == b ? 0 : nil
        case (_?, nil): return 1
        }
    }

    private func unique(_ xs: [Int]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(xs.count)
        if xs.count <= 16 {
            // (a few: no set to build)
            for x in xs where !out.contains(canonical[x]) { out.append(canonical[x]) }
            return out
        }
        var seen = Set<Int>()
        for x in xs where seen.insert(canonical[x]).inserted { out.append(canonical[x]) }
        return out
    }

    /// The best-tier entries among `candidates`.
    private func best(_ candidates: [Int], _ names: [String], etAl: Bool, allowFuzzy: Bool, _ c: Citation, year: String) -> (refs: [Int], tier: Int, fuzzy: [Int: [Int]])? {
        var bestTier = Int.max
        var bestSuffix = Int.max
        var chosen: [Int] = []
        // (only the entries with near matches are kept: `fuzzy[r] ?? []` reads the others)
        var fuzzyAt: [Int: [Int]] = [:]
        var seen = Set<Int>()
        let few = candidates.count <= 16
        for (n, r) in candidates.enumerated() where few ? !candidates[..<n].contains(r) : seen.insert(r).inserted {
            guard let sfx = yearFits(c, year: year, r) else { continue }
            guard let (t, f) = tier(names, etAl: etAl, r, allowFuzzy: allowFuzzy) else { continue }
            if (t, sfx) < (bestTier, bestSuffix) {
                bestTier = t
                bestSuffix = sfx
                chosen = [r]
                fuzzyAt = f.isEmpty ? [:] : [r: f]
            } else if t == bestTier && sfx == bestSuffix {
                chosen.append(r)
                if !f.isEmpty { fuzzyAt[r] = f }
            }
        }
        guard !chosen.isEmpty else { return nil }
        // (one entry, the common case: nothing to prefer or to sort)
        guard chosen.count > 1 else { return (chosen, bestTier, fuzzyAt) }
        // a full-name match beats a match on part of a name
        let full = chosen.filter { keys[$0][0] == names[0] }
        if !full.isEmpty && full.count < chosen.count { chosen = full }
        return (chosen.sorted(), bestTier, fuzzyAt)
    }

    func link(_ found: FoundCitation) -> LinkResult {
        let c = found.citation
        guard !c.authors.isEmpty else { return LinkResult() }
        let rest = c.authors.dropFirst().map { Names.key($0) }
        // the first author as written, then without its leading words
        var alternatives: [(text: String, start: Int)] = [(c.authors[0], found.firstAuthorWords.first?.start ?? c.span.start)]
        if found.firstAuthorWords.count > 1 {
            for w in 1..<found.firstAuthorWords.count {
                alternatives.append((found.firstAuthorWords[w...].map(\.text).joined(separator: " "), found.firstAuthorWords[w].start))
            }
        }
        func names(_ alt: Int) -> [String] {
            // (one array, made at its size)
            var n: [String] = []
            n.reserveCapacity(1 + rest.count)
            n.append(Names.key(alternatives[alt].text))
            n.append(contentsOf: rest)
            return n
        }
        // (normalized once, not once per candidate entry)
        let year = Self.normalizeYear(c.year)
        func trimmed(_ alt: Int) -> (String, Int)? { alt == 0 ? nil : alternatives[alt] }

        // 1. same year, exact names
        for a in alternatives.indices {
            let n = names(a)
            if let b = best(byFirst[n[0]] ?? [], n, etAl: c.etAl, allowFuzzy: false, c, year: year) {
                var r = LinkResult(references: unique(b.refs), trimmedFirstAuthor: trimmed(a))
                if b.tier == 1, r.references.count == 1 { r.defects = countDefects(c, n.count, r.references[0]) }
                return r
            }
        }
        let n0 = names(0)
        // 2. same year, a name nearly matches
        if let b = best(byYear[year] ?? [], n0, etAl: c.etAl, allowFuzzy: true, c, year: year), b.tier >= 2 {
            var r = LinkResult(references: unique(b.refs))
            var pairs: [(String, String)] = []
            for ref in b.refs {
                for i in b.fuzzy[ref] ?? [] {
                    let p = (c.authors[i], refs[ref].authors[i].family)
                    if !pairs.contains(where: { $0 == p }) { pairs.append(p) }
                }
            }
            r.nameMismatches = pairs
            if b.tier == 3, r.references.count == 1 { r.defects = countDefects(c, n0.count, r.references[0]) }
            return r
        }
        // 3. the names fit exactly one entry of another year
        for a in alternatives.indices {
            let n = names(a)
            guard let cands = byFirst[n[0]] else { continue }
            var tier0: [Int] = []
            for ref in cands where tier(n, etAl: c.etAl, ref, allowFuzzy: false)?.0 == 0 { tier0.append(ref) }
            let u = unique(tier0)
            if u.count == 1 {
                return LinkResult(references: u, yearMismatch: true, trimmedFirstAuthor: trimmed(a))
            }
            if !u.isEmpty { break }
        }
        // 4. a given name of an entry's author
        for a in alternatives.indices {
            let n = names(a)
            guard let hits = byGiven[n[0]] else { continue }
            var matches: [(ref: Int, author: Int)] = []
            for h in hits where yearFits(c, year: year, h.ref) != nil {
                // the other named authors must still fit
                var ok = true
                for (i, x) in rest.enumerated() where !(i + 1 < keys[h.ref].count && exact(x, h.ref, i + 1)) { ok = false }
                if ok { matches.append(h) }
            }
            let firstPosition = matches.filter { $0.author == 0 }
            if !firstPosition.isEmpty { matches = firstPosition }
            guard !matches.isEmpty else { continue }
            let m = matches[0]
            let p = refs[m.ref].authors[m.author]
            var r = LinkResult(references: unique(matches.map(\.ref)), trimmedFirstAuthor: trimmed(a))
            r.givenName = (alternatives[a].text, p.given ?? "", p.family)
            return r
        }
        return LinkResult()
    }

    private func countDefects(_ c: Citation, _ k: Int, _ ref: Int) -> [String] {
        let m = refs[ref].authors.count
        let listed = Self.authorList(refs[ref])
        if c.etAl, m <= 2 {
            return m == 2 ? ["'et al.' for a work with two authors (\(listed)): name both"] : ["'et al.' for a work with one author (\(listed))"]
        }
        if !c.etAl, k < m {
            if m >= 3 { return ["names \(k) of the \(m) authors (\(listed)): use 'et al.' or name them all"] }
            return ["names \(k) of the \(m) authors (\(listed))"]
        }
        if !c.etAl, k > m { return ["names \(k) authors; the entry lists \(m) (\(listed))"] }
        return []
    }

    /// `Khan`, `Khan & Riaz`, `Khan, Bhatti, & Jiliani`, `Rahman et al.` (more than five).
    static func authorList(_ r: Reference) -> String {
        // (appended in place: no array of the family names, no joined copy)
        let a = r.authors
        switch a.count {
        case 0: return "no author"
        case 1: return a[0].family
        case 2: return a[0].family + " & " + a[1].family
        case 3...5:
            var s = ""
            for k in 0..<(a.count - 1) {
                s += a[k].family
                s += ", "
            }
            s += "& "
            s += a[a.count - 1].family
            return s
        default: return a[0].family + " et al."
        }
    }

    /// `Khan, Bhatti, & Jiliani, 2021`.
    static func shortForm(_ r: Reference) -> String {
        "\(authorList(r)), \(r.year ?? "n.d.")\(r.yearSuffix ?? "")"
    }
}
