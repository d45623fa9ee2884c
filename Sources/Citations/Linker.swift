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
    /// The name keys of the entries' authors (`Names.key` of a family name, and the keys it also
    /// answers to), each once: a key's id is its index in `keyText`, ids in the order keys come.
    let keyIDs: KeyTable
    let keyText: [String]
    /// Per key id, its shape (read for near matches).
    let keyShapes: [Names.Shape]
    /// The entries of a year whose first author may nearly match a cited name (built as needed).
    let nearIndex: NearNameIndex
    /// Entry `r`'s authors are `authorStart[r] ..< authorStart[r + 1]` (flat author indices), the
    /// family name's key id of each in `authorKey`.
    let authorStart: [Int]
    let authorKey: [Int32]
    /// Author `x`'s other keys (`berg` for `van der Berg`, `schwend` for `Suess Schwend`):
    /// `altKey[altStart[x] ..< altStart[x + 1]]`.
    let altStart: [Int]
    let altKey: [Int32]
    /// The entries whose first author answers to key id `k` (its own key or another), in list
    /// order: `firstRefs[firstStart[k] ..< firstStart[k + 1]]`.
    let firstStart: [Int]
    let firstRefs: [Int]
    /// The entries' normalized years (`normalizeYear`; "" for an entry without one), each once, a
    /// year's id its index in the order years come: years compared and looked up as ids, no string
    /// hashed or compared per entry.
    let yearIDs: KeyTable
    /// The entries of year id `y` (those without a year under the id of ""), in list order:
    /// `yearRefs[yearStart[y] ..< yearStart[y + 1]]`.
    let yearStart: [Int]
    let yearRefs: [Int]
    /// The authors (entry, position) by a word of their given name and the entry's year
    /// (`givenKey`): a citation naming an author by a given name reads only that year's.
    let byGiven: [String: [(ref: Int, author: Int)]]
    /// The first copy of each entry (itself when it is no copy).
    let canonical: [Int]
    /// Each entry's year id, -1 for an entry without a year (which fits no citation's year).
    let entryYear: [Int32]

    init(_ refs: [Reference], options: Options = Options()) {
        self.refs = refs
        self.options = options
        var keyIDs = KeyTable(capacity: refs.count)
        var keyText: [String] = []
        keyText.reserveCapacity(refs.count * 2)
        /// The id of a name key, the next one when it is new.
        func intern(_ key: String) -> Int32 {
            let (id, inserted) = keyIDs.intern(key, next: Int32(keyText.count))
            if inserted { keyText.append(key) }
            return id
        }
        var authorStart: [Int] = []
        var authorKey: [Int32] = []
        var altStart: [Int] = [0]
        var altKey: [Int32] = []
        // (entry, key id) for each key an entry's first author answers to, in list order
        var firstPairs: [(ref: Int, key: Int32)] = []
        var yearIDs = KeyTable(capacity: 16)
        var yearCount: Int32 = 0
        // (per entry: its year's id, "" standing for none, and whether it has one)
        var yearGroup: [Int32] = []
        var entryYear: [Int32] = []
        yearGroup.reserveCapacity(refs.count)
        entryYear.reserveCapacity(refs.count)
        var byGiven: [String: [(ref: Int, author: Int)]] = [:]
        authorStart.reserveCapacity(refs.count + 1)
        authorKey.reserveCapacity(refs.count * 3)
        altStart.reserveCapacity(refs.count * 3 + 1)
        firstPairs.reserveCapacity(refs.count)
        // (entries read in place by index: no copy of each entry's fields)
        for i in refs.indices {
            authorStart.append(authorKey.count)
            // (each year normalized once: the year index, the matching and the copies read it)
            let year = refs[i].year.map(Self.normalizeYear)
            let authors = refs[i].authors
            for a in authors.indices {
                let p = authors[a]
                let k = Names.key(p.family)
                let id = intern(k)
                authorKey.append(id)
                let altFrom = altKey.count
                if let x = Names.keyWithoutParticles(p.family), x != k { altKey.append(intern(x)) }
                if let x = Names.keyOfLastWord(p.family), x != k {
                    let xid = intern(x)
                    if !altKey[altFrom...].contains(xid) { altKey.append(xid) }
                }
                altStart.append(altKey.count)
                if a == 0 {
                    firstPairs.append((i, id))
                    for x in altKey[altFrom...] { firstPairs.append((i, x)) }
                }
                // (an entry with no year fits no citation's year: none of its given names is kept)
                if let g = p.given, let year {
                    // (nil when not ASCII without `\r`; else whether it has a word `byGiven` keys)
                    let hasWord: Bool? = g.withUTF8InPlace { u in
                        u.contains { $0 >= 0x80 || $0 == 0x0D } ? nil : Self.hasGivenWord(u)
                    }
                    if let hasWord {
                        // ASCII without `\r` (`\r\n` is one character): a character is a byte;
                        // initials (`A.`, `A. B.`) give no word, so nothing is split for them
                        if hasWord {
                            for w in Array(g.utf8).split(whereSeparator: { $0 == 0x20 || $0 == 0x2D }) where w.count >= 3 && !w.contains(0x2E) {
                                byGiven[Self.givenKey(Names.key(String(decoding: w, as: UTF8.self)), year), default: []].append((i, a))
                            }
                        }
                    } else {
                        for w in g.split(whereSeparator: { $0 == " " || $0 == "-" }) where w.count >= 3 && !w.contains(".") {
                            byGiven[Self.givenKey(Names.key(String(w)), year), default: []].append((i, a))
                        }
                    }
                }
            }
            let (yid, newYear) = yearIDs.intern(year ?? "", next: yearCount)
            if newYear { yearCount += 1 }
            yearGroup.append(yid)
            entryYear.append(year == nil ? -1 : yid)
        }
        authorStart.append(authorKey.count)
        // the entries by year and by first-author key, each in one array (no list per year or key)
        let (yearStart, yearRefs) = Self.grouped(yearGroup.enumerated().map { ($0.offset, $0.element) }, groups: Int(yearCount))
        let (firstStart, firstRefs) = Self.grouped(firstPairs, groups: keyText.count)
        self.keyIDs = keyIDs
        self.keyText = keyText
        keyShapes = keyText.map(Names.Shape.init)
        nearIndex = NearNameIndex(ratio: options.nameMismatchRatio)
        self.authorStart = authorStart
        self.authorKey = authorKey
        self.altStart = altStart
        self.altKey = altKey
        self.firstStart = firstStart
        self.firstRefs = firstRefs
        self.yearIDs = yearIDs
        self.yearStart = yearStart
        self.yearRefs = yearRefs
        self.byGiven = byGiven
        self.canonical = Self.findDuplicates(refs, firstAuthor: { authorStart[$0] < authorStart[$0 + 1] ? authorKey[authorStart[$0]] : nil },
                                             keyText: keyText, yearGroup)
        self.entryYear = entryYear
    }

    /// Members grouped by group id, in the order they come: group `g`'s are
    /// `members[start[g] ..< start[g + 1]]` (counted, then placed: one array, no list per group).
    static func grouped(_ pairs: [(ref: Int, key: Int32)], groups: Int) -> (start: [Int], members: [Int]) {
        var start = [Int](repeating: 0, count: groups + 1)
        for p in pairs { start[Int(p.key) + 1] += 1 }
        for g in 0..<groups { start[g + 1] += start[g] }
        var next = start
        var members = [Int](repeating: 0, count: pairs.count)
        for p in pairs {
            members[next[Int(p.key)]] = p.ref
            next[Int(p.key)] += 1
        }
        return (start, members)
    }

    /// The entries of year id `y`.
    func entries(year y: Int32) -> ArraySlice<Int> { yearRefs[yearRange(y)] }

    /// Where the entries of year id `y` are in `yearRefs` (a range, not a slice: nothing to retain).
    func yearRange(_ y: Int32) -> Range<Int> { y < 0 ? 0..<0 : yearStart[Int(y)] ..< yearStart[Int(y) + 1] }

    /// The id of a citation's normalized year among the entries' years; -2 (no entry's, nor the -1
    /// of an entry without a year) when no entry has it.
    func yearID(_ year: String) -> Int32 { yearIDs.find(year) ?? -2 }

    /// Each entry's first-author match key ("" for an entry without authors).
    var firstAuthorKeys: [String] {
        refs.indices.map { authorStart[$0] < authorStart[$0 + 1] ? keyText[Int(authorKey[authorStart[$0]])] : "" }
    }

    /// The entries whose first author answers to key id `k`.
    func entries(firstAuthor k: Int32) -> ArraySlice<Int> { firstRefs[firstRange(k)] }

    /// Where the entries whose first author answers to key id `k` are in `firstRefs`.
    func firstRange(_ k: Int32) -> Range<Int> { k < 0 ? 0..<0 : firstStart[Int(k)] ..< firstStart[Int(k) + 1] }

    /// The `byGiven` key of a given-name word's key and a normalized year.
    static func givenKey(_ word: String, _ year: String) -> String { word + "\u{1F}" + year }

    /// The number of authors of entry `r`.
    func authorCount(_ r: Int) -> Int { authorStart[r + 1] - authorStart[r] }

    /// An ASCII given name has a word (between spaces and hyphens) of three or more bytes and no
    /// full stop, the words `byGiven` keys.
    static func hasGivenWord(_ g: UnsafeBufferPointer<UInt8>) -> Bool {
        var length = 0
        var stop = false
        for b in g {
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
        if y.withUTF8InPlace({ $0.count == 4 && $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) { return y }
        let f = Names.key(y)
        if f == "nd" || f == "nodate" { return "n.d." }
        if f == "inpress" || f == "forthcoming" { return "in press" }
        return f
    }

    /// What makes two entries one work: first author (key id), year (id), suffix and title key.
    struct Work: Hashable {
        let firstAuthor: Int32
        let year: Int32
        let suffix: String
        let title: String
    }

    /// Entries that repeat an earlier entry (same first author, year, suffix and title) map to it.
    /// (`firstAuthor`: an entry's first-author key id, nil without authors; `years`: each entry's
    /// year id, an entry without a year under the id of "".)
    static func findDuplicates(_ refs: [Reference], firstAuthor: (Int) -> Int32?, keyText: [String], _ years: [Int32]) -> [Int] {
        // Most first authors have one entry, which then can copy none: an entry's work (its title
        // key above all) is made only once a second entry of its first author comes.
        // (per key id: the author's first entry, -1 once recorded as a work, -2 for none yet)
        var firstOfAuthor = [Int](repeating: -2, count: keyText.count)
        var seen: [Work: Int] = [:]
        var canonical = Array(refs.indices)
        /// Records entry `j` as a work; an earlier copy of it, if any.
        func copyOf(_ j: Int, _ first: Int32) -> Int? {
            guard let prefix = titleKeyPrefix(refs[j].title ?? "") else { return nil }
            let work = Work(firstAuthor: first, year: years[j], suffix: refs[j].yearSuffix ?? "", title: prefix)
            // (room for every entry made at the first work: the table is not grown and rehashed)
            if seen.isEmpty { seen.reserveCapacity(refs.count) }
            // (one look-up for a new work, the common case; a copy's first entry is put back)
            guard let o = seen.updateValue(j, forKey: work) else { return nil }
            seen[work] = o
            return o
        }
        for i in refs.indices {
            guard let first = firstAuthor(i), !keyText[Int(first)].isEmpty else { continue }
            let f = firstOfAuthor[Int(first)]
            if f == -2 {
                firstOfAuthor[Int(first)] = i
                continue
            }
            // the author's first entry is recorded when a second one comes
            if f >= 0 {
                _ = copyOf(f, first)
                firstOfAuthor[Int(first)] = -1
            }
            if let o = copyOf(i, first) { canonical[i] = o }
        }
        return canonical
    }

    /// The first 120 characters of `Names.key(title)`, nil when the key is shorter than 8.
    static func titleKeyPrefix(_ title: String) -> String? {
        let ascii: String?? = title.withUTF8InPlace { u in
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

    /// Author `author` of entry `ref` answers to key id `cited`.
    private func exact(_ cited: Int32, _ ref: Int, _ author: Int) -> Bool {
        let x = authorStart[ref] + author
        return authorKey[x] == cited || altKey[altStart[x] ..< altStart[x + 1]].contains(cited)
    }

    /// A cited name's key and its shape, for near matches.
    typealias NearName = (key: String, shape: Names.Shape)

    private func fuzzy(_ cited: NearName, _ ref: Int, _ author: Int) -> Bool {
        let id = Int(authorKey[authorStart[ref] + author])
        let listed = keyShapes[id]
        let len = max(cited.shape.characters, listed.characters)
        guard min(cited.shape.characters, listed.characters) >= options.nameMismatchMinLength else { return false }
        let limit = max(1, Int(Double(len) * options.nameMismatchRatio))
        guard cited.shape.mayBeWithin(limit, of: listed) else { return false }
        return Names.distance(cited.key, keyText[id], limit: limit) <= limit
    }

    /// 0: every name matches and the count fits; 1: every name matches, the count does not;
    /// 2 and 3: the same with a near match; nil: no fit. (`first`, `rest`: the cited names' key
    /// ids; `near`: their keys, read only for a near match, given when one is allowed; `fuzzyAt`:
    /// emptied, then given the positions of the near matches, a scratch the caller reuses.)
    private func tier(_ first: Int32, _ rest: [Int32], near: (first: NearName, rest: [NearName])?, etAl: Bool, _ ref: Int,
                      fuzzyAt: inout [Int]) -> Int? {
        // (an empty array left as it is: emptying it anew would replace its storage)
        if !fuzzyAt.isEmpty { fuzzyAt.removeAll(keepingCapacity: true) }
        let m = authorCount(ref)
        guard m > 0 else { return nil }
        let k = 1 + rest.count
        for i in 0..<k {
            if i < m, exact(i == 0 ? first : rest[i - 1], ref, i) { continue }
            if let near, i < m, fuzzy(i == 0 ? near.first : near.rest[i - 1], ref, i) { fuzzyAt.append(i); continue }
            return nil
        }
        let countOK = etAl ? m >= 3 || m > k + 1 : m == k
        let base = fuzzyAt.isEmpty ? 0 : 2
        return base + (countOK ? 0 : 1)
    }

    /// (`suffix`, `year`: the citation's suffix and the id of its year, normalized once per
    /// citation: `yearID`.)
    private func yearFits(_ suffix: String?, year: Int32, _ r: Int) -> Int? {
        guard entryYear[r] == year else { return nil }
        switch (suffix, refs[r].yearSuffix) {
        case (nil, _): return 0
        case let (a?, b?): return a == b ? 0 : nil
        case (_?, nil): return 1
        }
    }

    private func unique(_ xs: consuming [Int]) -> [Int] {
        if xs.count == 1 {
            // (one entry, the common case: mapped in place, no second array)
            var one = xs
            one[0] = canonical[one[0]]
            return one
        }
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

    /// The best-tier entries among the candidates `list[range]` (no entry among them twice).
    private func best(_ list: [Int], _ range: Range<Int>, _ first: Int32, _ rest: [Int32], near: (first: NearName, rest: [NearName])?, etAl: Bool, suffix: String?, year: Int32) -> (refs: [Int], tier: Int, fuzzy: [Int: [Int]])? {
        var bestTier = Int.max
        var bestSuffix = Int.max
        var chosen: [Int] = []
        // (only the entries with near matches are kept: `fuzzy[r] ?? []` reads the others)
        var fuzzyAt = [Int: [Int]]()
        // (one scratch for every candidate's near matches: no array per candidate)
        var f: [Int] = []
        WorkCounter.add(range.count)
        for k in range {
            let r = list[k]
            guard let sfx = yearFits(suffix, year: year, r) else { continue }
            guard let t = tier(first, rest, near: near, etAl: etAl, r, fuzzyAt: &f) else { continue }
            if (t, sfx) < (bestTier, bestSuffix) {
                bestTier = t
                bestSuffix = sfx
                chosen = [r]
                // (no dictionary made for an exact match, as most are)
                if !fuzzyAt.isEmpty { fuzzyAt = [:] }
                if !f.isEmpty { fuzzyAt[r] = f }
            } else if t == bestTier && sfx == bestSuffix {
                chosen.append(r)
                if !f.isEmpty { fuzzyAt[r] = f }
            }
        }
        guard !chosen.isEmpty else { return nil }
        // (one entry, the common case: nothing to prefer or to sort)
        guard chosen.count > 1 else { return (chosen, bestTier, fuzzyAt) }
        // a full-name match beats a match on part of a name (the others dropped in place, and the
        // list sorted in place: no second array)
        var full = 0
        for r in chosen where authorKey[authorStart[r]] == first { full += 1 }
        if full > 0 && full < chosen.count { chosen.removeAll { authorKey[authorStart[$0]] != first } }
        chosen.sort()
        return (chosen, bestTier, fuzzyAt)
    }

    /// (`found` and what else is known of it, `note`, read in place: the fields it needs, not the
    /// whole citation, are copied out.)
    func link(_ found: UnsafePointer<Citation>, _ note: UnsafePointer<FoundCitation>) -> LinkResult {
        guard !found.pointee.authors.isEmpty else { return LinkResult() }
        let etAl = found.pointee.etAl
        let suffix = found.pointee.yearSuffix
        // (-1 for a key no entry's author answers to, which matches none exactly)
        let restIDs = found.pointee.authors.dropFirst().map { keyIDs.find(Names.key($0)) ?? -1 }
        // (normalized once, not once per candidate entry)
        let yid = yearID(Self.normalizeYear(found.pointee.year))

        // 1. same year, exact names: the first author as written, then without its leading words
        // (alternative `a`: 0 the name as written, `a` its words from the `a`-th on). Most
        // citations link here, so only key ids are made for it; the other steps are apart.
        let sameYear = yearRange(yid)
        for a in 0..<max(1, note.pointee.firstAuthorWords.count) {
            let first = keyIDs.find(Names.key(a == 0 ? found.pointee.authors[0] : Self.joined(note.pointee.firstAuthorWords, from: a))) ?? -1
            // (`best` keeps only entries of both the year and the first author, so the shorter of
            // the two lists is read: a list of thousands of works by one author costs each
            // citation only that year's)
            let sameFirst = firstRange(first)
            let hit = sameYear.count < sameFirst.count
                ? best(yearRefs, sameYear, first, restIDs, near: nil, etAl: etAl, suffix: suffix, year: yid)
                : best(firstRefs, sameFirst, first, restIDs, near: nil, etAl: etAl, suffix: suffix, year: yid)
            if let (refs, tier, _) = hit {
                // (the result made in one go, its fields worked out first: no second copy of it)
                let references = unique(refs)
                let defects = tier == 1 && references.count == 1 ? countDefects(etAl: etAl, 1 + restIDs.count, references[0]) : []
                return LinkResult(references: references, defects: defects, trimmedFirstAuthor: a == 0 ? nil
                                  : (Self.joined(note.pointee.firstAuthorWords, from: a), note.pointee.firstAuthorWords[a].start))
            }
        }
        return linkInexactly(found, note.pointee.firstAuthorWords, restIDs, yid)
    }

    /// The first author's words from the `a`-th on, one space between them.
    static func joined(_ words: [(text: String, start: Int)], from a: Int) -> String {
        words[a...].map(\.text).joined(separator: " ")
    }

    /// Steps 2 to 4 of `link`, for a citation no entry of its year matches exactly (`restIDs`,
    /// `yid`: the key ids of its other authors and its year's id, as `link` found them).
    private func linkInexactly(_ found: UnsafePointer<Citation>, _ words: [(text: String, start: Int)], _ restIDs: [Int32], _ yid: Int32) -> LinkResult {
        let authors = found.pointee.authors
        let etAl = found.pointee.etAl
        let suffix = found.pointee.yearSuffix
        // (the key table read through a local: the closure below copies no linker; -1 for a key no
        // entry's author answers to, which matches none exactly)
        let keyIDs = self.keyIDs
        let restKeys = authors.dropFirst().map { Names.key($0) }
        // the first author as written, then without its leading words (a name of several words:
        // no array for the one of most names); each with its key and key id
        typealias Alternative = (text: String, start: Int, key: String, id: Int32)
        func keyed(_ text: String, _ start: Int) -> Alternative {
            let key = Names.key(text)
            return (text, start, key, keyIDs.find(key) ?? -1)
        }
        let written = keyed(authors[0], words.first?.start ?? found.pointee.span.start)
        let shorter = words.count > 1 ? (1..<words.count).map { keyed(Self.joined(words, from: $0), words[$0].start) } : []
        // (alternative `a`: 0 the name as written, `a` its words from the `a`-th on)
        let alternatives = 0...shorter.count
        func alternative(_ a: Int) -> Alternative { a == 0 ? written : shorter[a - 1] }
        let named = 1 + restIDs.count
        let year = Self.normalizeYear(found.pointee.year)
        func trimmed(_ alt: Int) -> (String, Int)? { alt == 0 ? nil : (shorter[alt - 1].text, shorter[alt - 1].start) }
        let sameYear = yearRange(yid)

        // 2. same year, a name nearly matches
        let near = (first: (written.key, Names.Shape(written.key)), rest: restKeys.map { ($0, Names.Shape($0)) })
        let nearHit = if let list = nearCandidates(near.first, year: year, yid, exactFirst: written.id) {
            best(list, list.indices, written.id, restIDs, near: near, etAl: etAl, suffix: suffix, year: yid)
        } else {
            best(yearRefs, sameYear, written.id, restIDs, near: near, etAl: etAl, suffix: suffix, year: yid)
        }
        if let b = nearHit, b.tier >= 2 {
            var r = LinkResult(references: unique(b.refs))
            var pairs: [(String, String)] = []
            for ref in b.refs {
                for i in b.fuzzy[ref] ?? [] {
                    let p = (authors[i], refs[ref].authors[i].family)
                    if !pairs.contains(where: { $0 == p }) { pairs.append(p) }
                }
            }
            r.nameMismatches = pairs
            if b.tier == 3, r.references.count == 1 { r.defects = countDefects(etAl: etAl, named, r.references[0]) }
            return r
        }
        // 3. the names fit exactly one entry of another year
        for a in alternatives {
            let first = alternative(a).id
            // (the look stops at a second work: an author of hundreds of works cited with a year
            // of none of them costs each citation two matches, not a pass over all the works)
            var match: Int?
            var several = false
            var fuzzyAt: [Int] = []
            for ref in entries(firstAuthor: first) where tier(first, restIDs, near: nil, etAl: etAl, ref, fuzzyAt: &fuzzyAt) == 0 {
                WorkCounter.add(1)
                if let m = match, m != canonical[ref] {
                    several = true
                    break
                }
                match = canonical[ref]
            }
            if let match, !several {
                return LinkResult(references: [match], yearMismatch: true, trimmedFirstAuthor: trimmed(a))
            }
            if match != nil { break }
        }
        // 4. a given name of an entry's author
        for a in alternatives {
            guard let hits = byGiven[Self.givenKey(alternative(a).key, year)] else { continue }
            WorkCounter.add(hits.count)
            var matches: [(ref: Int, author: Int)] = []
            for h in hits where yearFits(suffix, year: yid, h.ref) != nil {
                // the other named authors must still fit
                var ok = true
                for (i, x) in restIDs.enumerated() where !(i + 1 < authorCount(h.ref) && exact(x, h.ref, i + 1)) { ok = false }
                if ok { matches.append(h) }
            }
            let firstPosition = matches.filter { $0.author == 0 }
            if !firstPosition.isEmpty { matches = firstPosition }
            guard !matches.isEmpty else { continue }
            let m = matches[0]
            let p = refs[m.ref].authors[m.author]
            var r = LinkResult(references: unique(matches.map(\.ref)), trimmedFirstAuthor: trimmed(a))
            r.givenName = (alternative(a).text, p.given ?? "", p.family)
            return r
        }
        return LinkResult()
    }

    /// The entries of `year` whose first author is `exactFirst` or may nearly match `cited` (see
    /// `NearNameIndex`): the only ones a near match can be among; nil for all the entries of the
    /// year. (`yid`: the id of `year`, `yearID(year)`.)
    private func nearCandidates(_ cited: NearName, year: String, _ yid: Int32, exactFirst: Int32) -> [Int]? {
        guard let near = nearIndex.candidates(cited.key, cited.shape, year: year, entries: entries(year: yid), firstKey: { r in
            authorCount(r) > 0 ? (keyText[Int(authorKey[authorStart[r]])], keyShapes[Int(authorKey[authorStart[r]])]) : nil
        }) else { return nil }
        var out = Set(near)
        for r in entries(firstAuthor: exactFirst) where entryYear[r] == yid { out.insert(r) }
        return out.sorted()
    }

    private func countDefects(etAl: Bool, _ k: Int, _ ref: Int) -> [String] {
        let m = refs[ref].authors.count
        let listed = Self.authorList(refs[ref])
        if etAl, m <= 2 {
            return m == 2 ? ["'et al.' for a work with two authors (\(listed)): name both"] : ["'et al.' for a work with one author (\(listed))"]
        }
        if !etAl, k < m {
            if m >= 3 { return ["names \(k) of the \(m) authors (\(listed)): use 'et al.' or name them all"] }
            return ["names \(k) of the \(m) authors (\(listed))"]
        }
        if !etAl, k > m { return ["names \(k) authors; the entry lists \(m) (\(listed))"] }
        return []
    }

    /// `Khan`, `Khan & Riaz`, `Khan, Bhatti, & Jiliani`, `Rahman et al.` (more than five).
    static func authorList(_ r: Reference) -> String { Message("\(authors: r.authors)").text }
}
