// One document's analysis: tokens, the mentions found in them, and the findings.
//
// Order of work: gazetteer scan (one pass over the tokens, longest match) -> patterns (protocols,
// provisions, laws by "Act YYYY", organizations by head word, dates, bylines) -> acronym
// definitions and their later uses -> shared names resolved by definition or context -> fact checks.

import AssayCore

struct Mention: Sendable {
    enum Origin: UInt8, Sendable { case gazetteer, pattern, acronym }
    /// How a shared name was resolved (the `resolvedBy` attribute).
    enum Resolution: UInt8, Sendable { case none, definition, context, byDefault }
    /// Token range [first, last).
    var first: Int
    var last: Int
    var start: Int
    var end: Int
    var type: Entity.Kind
    /// Gazetteer entries the name can mean (several when the name is shared): a range of
    /// `DocAnalysis.candidateEntries` (see `candidates(of:)`), so a mention holds no array.
    var candidateFirst: Int32 = 0
    var candidateCount: Int32 = 0
    var entry: Int?
    /// A key and label made for a provision no gazetteer lists (index into `madeNames`), or -1.
    /// With an entry, the key and label are the entry's.
    var madeName: Int32 = -1
    var origin: Origin
    /// The mention is an acronym (a case-sensitive short form).
    var acronym = false
    var removed = false
    // The attributes, kept as ids and values: `emit` writes them out as strings.
    /// `acronym`: the definition whose long form this mention is (index into `definitions`), or -1.
    var acronymOf: Int32 = -1
    /// `definedBy`: the definition that ties this acronym to its long form, or -1.
    var definedBy: Int32 = -1
    var resolvedBy: Resolution = .none
    /// `alternatives`: the candidates other than the chosen entry (set when context chose it).
    var listsAlternatives = false
    /// `instrument`: the key of the law or treaty a provision belongs to (index into
    /// `attributeTexts`, as is `number`: a mention holds no string), or -1.
    var instrument: Int32 = -1
    /// `protocolTo`: the entry of the treaty an optional protocol belongs to, or -1.
    var protocolTo: Int32 = -1
    /// `number`: a provision's number as written, or -1.
    var number: Int32 = -1
    /// `year`: the year in a law's name, or 0.
    var year: Int32 = 0
    /// `value`: a date, packed as year * 10_000 + month * 100 + day (0 for a part not written),
    /// or 0 for none: a small mention is cheap to copy.
    private var packedValue: Int32 = 0
    var value: FactDate? {
        get {
            guard packedValue != 0 else { return nil }
            let v = Int(packedValue)
            func part(_ x: Int) -> Int? { x == 0 ? nil : x }
            return FactDate(year: part(v / 10_000), month: part(v / 100 % 100), day: part(v % 100))
        }
        set {
            guard let d = newValue else { packedValue = 0; return }
            packedValue = Int32((d.year ?? 0) * 10_000 + (d.month ?? 0) * 100 + (d.day ?? 0))
        }
    }
    /// `role: byline`.
    var byline = false

    /// Attributes that many mentions have alike: only a definition's, only a date, only the byline
    /// role (most mentions that have any). `DocAnalysis.emit` builds each such dictionary once.
    enum SharedAttributes { case definedBy(Int), date(Int32), byline }

    /// None of the attributes `DocAnalysis.attributes(of:)` writes (most mentions): told without
    /// unpacking the date.
    var hasNoAttributes: Bool {
        acronymOf < 0 && definedBy < 0 && resolvedBy == .none && !listsAlternatives && instrument < 0 && protocolTo < 0
            && number < 0 && year == 0 && packedValue == 0 && !byline
    }

    var sharedAttributes: SharedAttributes? {
        if acronymOf >= 0 || resolvedBy != .none || listsAlternatives || instrument >= 0 || protocolTo >= 0 || number >= 0 || year != 0 {
            return nil
        }
        switch (definedBy >= 0, packedValue != 0, byline) {
        case (true, false, false): return .definedBy(Int(definedBy))
        case (false, true, false): return .date(packedValue)
        case (false, false, true): return .byline
        default: return nil
        }
    }

    init(first: Int, last: Int, type: Entity.Kind, origin: Origin, acronym: Bool = false) {
        self.first = first
        self.last = last
        start = 0
        end = 0
        self.type = type
        self.origin = origin
        self.acronym = acronym
    }
}

struct PendingFinding: Sendable {
    var kind: Finding.Kind
    var severity: Severity?
    var message: String
    var mentions: [Int]
}

struct AnalysisOptions: Sendable {
    var constitutionKey: String? = "pk-constitution-1973"
    var patterns = true
    var dates = true
    var persons = true
    var undefinedAcronyms = true
    var factCheck = true
    var reportKnownVariants = true
}

/// The tokens each pattern may start at, in order. The scan gathers the candidates of all
/// (`TokenIndex.candidates`: words of `WordClass.patternStart`, numbers of 1, 2 or 4 digits, "("
/// and acronym-shaped words); they are sorted out here once, so each pass reads only the tokens it
/// can start at instead of testing every candidate (nine passes did). A pass over its list finds
/// what a pass over every token finds.
struct PatternStarts {
    /// The passes that read a list.
    enum Pass: Int, CaseIterable {
        case protocols      // "Optional"
        case provisions     // "Article", "section", ...
        case laws           // "Act", "Ordinance", ...
        case organizations  // "Commission", "Ministry", ...
        case dates          // month names and words with digits
        case bylines        // "By"
        case definitions    // "("
        case acronymUses    // acronym-shaped words
        case factChecks     // fact verbs
    }

    /// The lists one after another: pass p's is items[bounds[p]..<bounds[p + 1]].
    private let items: [Int32]
    private let bounds: [Int]

    subscript(_ pass: Pass) -> ArraySlice<Int32> { items[bounds[pass.rawValue]..<bounds[pass.rawValue + 1]] }

    init(_ candidates: [Int32], tokens: [Token], keywords kw: KeywordIDs) {
        let passCount = Pass.allCases.count
        // The passes of each candidate (a bit each) and the lists' sizes first, then one array laid
        // out by them. In plain memory: no list grows, nor is checked at each append.
        let masks = UnsafeMutablePointer<UInt16>.allocate(capacity: max(candidates.count, 1))
        defer { masks.deallocate() }
        var bounds = [Int](repeating: 0, count: passCount + 1)
        tokens.withUnsafeBufferPointer { tb in
            bounds.withUnsafeMutableBufferPointer { b in
                for (k, c) in candidates.enumerated() {
                    let m = PatternStarts.passes(of: tb[Int(c)], kw)
                    masks[k] = m
                    var bits = m
                    while bits != 0 {
                        b[bits.trailingZeroBitCount + 1] += 1
                        bits &= bits - 1
                    }
                }
                for p in 0..<passCount { b[p + 1] += b[p] }
            }
        }
        var next = bounds
        items = [Int32](unsafeUninitializedCapacity: bounds[passCount]) { buffer, initialized in
            next.withUnsafeMutableBufferPointer { nx in
                for (k, c) in candidates.enumerated() {
                    var bits = masks[k]
                    while bits != 0 {
                        let p = bits.trailingZeroBitCount
                        buffer[nx[p]] = c
                        nx[p] += 1
                        bits &= bits - 1
                    }
                }
            }
            initialized = buffer.count
        }
        self.bounds = bounds
    }

    /// The passes a candidate may start a match for (bit `Pass.rawValue`): each pass tests these
    /// first.
    private static func passes(of t: Token, _ kw: KeywordIDs) -> UInt16 {
        var p: UInt16 = 0
        func add(_ pass: Pass, _ yes: Bool) { if yes { p |= 1 << pass.rawValue } }
        add(.protocols, t.id == kw.optional)
        add(.provisions, t.is(.provisionHead))
        add(.laws, t.is(.lawHead))
        add(.organizations, t.is(.head))
        add(.dates, t.isWord && (t.is(.month) || t.has(.hasDigit)))
        add(.bylines, t.id == kw.by)
        add(.definitions, t.punct == 0x28)
        add(.acronymUses, t.has(.acronymShape))
        add(.factChecks, t.is(.factTrigger))
        return p
    }
}

struct DocAnalysis {
    let lex: Lexicon
    let options: AnalysisOptions
    let text: [UInt8]
    var tokens: [Token]
    var mentions: [Mention] = []
    /// Token -> index of the mention that owns it, or -1.
    var owner: [Int32]
    /// The tokens each pattern may start at (see `PatternStarts`).
    let starts: PatternStarts
    /// The words a gazetteer name starts with (in order).
    let nameStarts: [Int32]
    var findings: [PendingFinding] = []
    /// The gazetteer scan's trie probes beyond one per word that could start a name.
    var trieWalkSteps = 0
    /// Trie probes made by the gazetteer scan (a measure of matching work): one for every word
    /// that could start a name (`mayStartName`: its first probe fails unless a name starts with
    /// it), plus the further probes of the walks. Counted when asked (tests), not during the scan.
    var trieSteps: Int {
        tokens.reduce(0) { $0 + (DocAnalysis.mayStartName($1) ? 1 : 0) } + trieWalkSteps
    }
    /// Steps of the walks whose length the text decides (back to a sentence's start): with
    /// `trieSteps`, a measure of the work that must stay linear in the text.
    var workSteps = 0
    /// The token last asked about by `sentenceStart` and the first token of its sentence (-1: none yet).
    var lastSentence: (token: Int, start: Int) = (-1, 0)
    /// The token last asked about by `sentenceEnd(after:)` and the answer (the first token of the
    /// next sentence).
    var nextSentence: (after: Int, start: Int) = (0, 0)
    /// Acronym definitions found in the text, by the id of their stem in `definitionStems`.
    var definitions: [AcronymDefinition] = []
    var definitionStems = Vocabulary(capacity: 16)
    /// The entries of every mention's candidates (`Mention.candidateFirst`).
    var candidateEntries: [Int] = []
    /// Keys and labels made for provisions no gazetteer lists (`Mention.madeName`).
    var madeNames: [(key: String, label: String)] = []
    /// The instruments and numbers of provisions (`Mention.instrument`, `Mention.number`).
    var attributeTexts: [String] = []

    /// Byte ranges of titles and headings, by start: acronyms there are not reported as undefined.
    let headings: [Range<Int>]
    /// The skipped sections (sorted): each is one token from its first on, when it has lines of
    /// its own (`Tokenizer.skippedSection`).
    let skipped: [Range<Int>]

    init(lexicon: Lexicon, options: AnalysisOptions, text: [UInt8], skip: [Range<Int>], headings: [Range<Int>] = []) {
        lex = lexicon
        self.options = options
        self.text = text
        self.headings = headings.sorted { $0.lowerBound < $1.lowerBound }
        skipped = skip
        let (tokens, index) = Tokenizer.tokenizeDocument(text, skip: skip, table: lexicon.words)
        self.tokens = tokens
        owner = [Int32](repeating: -1, count: tokens.count)
        starts = PatternStarts(index.candidates, tokens: tokens, keywords: lexicon.ids)
        nameStarts = index.nameStarts
        mentions.reserveCapacity(tokens.count / 16 + 16)
    }

    /// A name starts on a whole word the vocabulary knows: not inside "non-PECA", "295C" or
    /// "preCEDAW", not in a skipped section.
    @inline(__always) static func mayStartName(_ t: Token) -> Bool {
        t.id >= 0 && t.flags.rawValue & nameStartMask == TokenFlags.word.rawValue
    }
    static let nameStartMask = TokenFlags([.word, .skip, .hyphenBefore, .splitBefore, .camelBefore]).rawValue

    /// The keyword ids.
    @inline(__always) var kw: KeywordIDs { lex.ids }


    // MARK: - Helpers

    var n: Int { tokens.count }

    func string(_ first: Int, _ last: Int) -> String {
        guard first < last else { return "" }
        return String(decoding: text[Int(tokens[first].start)..<Int(tokens[last - 1].end)], as: UTF8.self)
    }

    func tokenText(_ i: Int) -> String {
        String(decoding: text[Int(tokens[i].start)..<Int(tokens[i].end)], as: UTF8.self)
    }

    /// The value of a token made only of digits.
    @inline(__always)
    func number(_ i: Int) -> Int? {
        let t = tokens[i]
        guard t.isWord, t.has(.hasDigit), !t.has(.hasLetter), t.length <= 9 else { return nil }
        var v = 0
        for k in Int(t.start)..<Int(t.end) {
            let c = text[k]
            guard CharClass.isDigit(c) else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    @inline(__always)
    func isYear(_ i: Int) -> Int? {
        guard i < n, tokens[i].length == 4, let v = number(i), (1800...2100).contains(v) else { return nil }
        return v
    }

    /// No line break or cell boundary between tokens i-1 and i.
    @inline(__always) func sameLine(_ i: Int) -> Bool {
        i < n && !tokens[i].flags.contains(.newlineBefore) && !tokens[i].flags.contains(.tabBefore)
    }

    /// True when a name may end after token i (the next token is not hyphen- or digit-joined to it).
    @inline(__always) func canEnd(after i: Int) -> Bool {
        i + 1 >= n || !(tokens[i + 1].has(.hyphenBefore) || tokens[i + 1].has(.splitBefore))
    }

    @inline(__always) func canStart(at i: Int) -> Bool {
        !(tokens[i].has(.hyphenBefore) || tokens[i].has(.splitBefore) || tokens[i].has(.camelBefore))
    }

    @inline(__always)
    func ownerMention(_ i: Int) -> Mention? {
        guard i >= 0, i < n, owner[i] >= 0 else { return nil }
        return mentions[Int(owner[i])]
    }

    /// The gazetteer entries mention m can mean.
    @inline(__always) func candidates(of m: Mention) -> ArraySlice<Int> {
        candidateEntries[Int(m.candidateFirst)..<Int(m.candidateFirst + m.candidateCount)]
    }

    /// The mention's key: its entry's, or one made for a provision no gazetteer lists.
    func key(of m: Mention) -> String? {
        if let e = m.entry { return lex.entries[e].key }
        return m.madeName >= 0 ? madeNames[Int(m.madeName)].key : nil
    }

    func label(of m: Mention) -> String? {
        if let e = m.entry { return lex.entries[e].label }
        return m.madeName >= 0 ? madeNames[Int(m.madeName)].label : nil
    }

    /// Keeps a string for a mention's attribute; returns its index in `attributeTexts`.
    mutating func keepText(_ s: String) -> Int32 {
        attributeTexts.append(s)
        return Int32(attributeTexts.count - 1)
    }

    func attributeText(_ id: Int32) -> String? {
        id >= 0 ? attributeTexts[Int(id)] : nil
    }

    @discardableResult
    mutating func addMention(_ m: consuming Mention) -> Int {
        m.start = Int(tokens[m.first].start)
        m.end = Int(tokens[m.last - 1].end)
        let idx = mentions.count
        let first = m.first, last = m.last
        mentions.append(consume m)
        for k in first..<last { owner[k] = Int32(idx) }
        return idx
    }

    mutating func removeMention(_ idx: Int) {
        mentions[idx].removed = true
        for k in mentions[idx].first..<mentions[idx].last where owner[k] == Int32(idx) { owner[k] = -1 }
    }

    /// The mentions owning tokens in [first, last) (each once).
    func mentionsIn(_ first: Int, _ last: Int) -> [Int] {
        var out: [Int] = []
        for k in first..<last where owner[k] >= 0 {
            let m = Int(owner[k])
            if out.last != m && !out.contains(m) { out.append(m) }
        }
        return out
    }

    /// Whether a new span [first, last) may take the tokens: every mention it touches lies inside
    /// it and is one of `absorbable` types. Returns the mentions to remove, or nil on conflict.
    func takeable(_ first: Int, _ last: Int, absorbable: Set<Entity.Kind>, allow: Set<Int> = []) -> [Int]? {
        var out: [Int] = []
        for m in mentionsIn(first, last) {
            let mm = mentions[m]
            if allow.contains(m) { out.append(m); continue }
            guard mm.first >= first, mm.last <= last, absorbable.contains(mm.type) else { return nil }
            out.append(m)
        }
        return out
    }

    // MARK: - Gazetteer scan

    mutating func scanGazetteer() {
        let lex = self.lex
        let trie = lex.trie
        // Local references to the buffers read during the scan: the mentions it adds change `self`.
        let tokens = self.tokens, text = self.text, nameStarts = self.nameStarts
        // The candidates pool, held in a local while the scan appends to it (appended to in place
        // inside these closures, `self.candidateEntries` was copied at each mention).
        var pool = candidateEntries
        candidateEntries = []
        var steps = 0
        tokens.withUnsafeBufferPointer { tb in
          text.withUnsafeBufferPointer { xb in
            lex.rootChild.withUnsafeBufferPointer { rootChild in
              lex.followers.withUnsafeBufferPointer { followers in
                let n = tb.count
                // Token positions of the current walk (commas skipped).
                let path = UnsafeMutablePointer<Int>.allocate(capacity: trie.maxDepth + 1)
                defer { path.deallocate() }
                // Trie probes beyond the first of each word that could start a name (`trieSteps`):
                // the further probes of the walks, less the words inside found names (not visited).
                var walked = 0
                var next = 0  // a found name resumes the scan after itself
                // A name does not run across a line break, a table cell or into a skipped section.
                let stop = TokenFlags.newlineBefore.rawValue | TokenFlags.tabBefore.rawValue | TokenFlags.skip.rawValue
                for s in nameStarts {
                    let i = Int(s)
                    if i < next { continue }
                    // Most starts end at once: the word is no name alone, and no name goes on from it
                    // with the next token (not a comma). Told by the first token's bits and one look-up,
                    // with the walk's count of probes (the next token is probed when it is a word the
                    // vocabulary knows, on the line).
                    if tb[i].info & WordClass.namesAlone.rawValue == 0 {
                        if i + 1 >= n { continue }
                        let t = tb[i + 1]
                        if t.punct != 0x2C || t.flags.rawValue & stop != 0 {
                            let probed = t.flags.rawValue & stop == 0 && t.id >= 0
                            if !probed { continue }
                            if followers[Int(tb[i].id)] & Lexicon.followerBit(t.id) == 0 { walked += 1; continue }
                        }
                    }
                    var node: Int32 = 0
                    var j = i
                    var depth = 0
                    // The longest name found so far: its depth, and its entries (pool[candidateFirst...]).
                    let candidateFirst = pool.count
                    var bestDepth = 0
                    var acronym = false
                    var probes = 0
                    while j < n {
                        let tj = tb[j]
                        if j > i {
                            if tj.flags.rawValue & stop != 0 { break }
                            if tj.punct == 0x2C { j += 1; continue }  // commas are transparent
                        }
                        if tj.id < 0 { break }
                        probes += 1
                        let c = j == i ? rootChild[Int(tj.id)] : trie.child(node, tj.id)
                        if c < 0 { break }
                        node = c
                        path[depth] = j
                        depth += 1
                        j += 1
                        let acc = trie.accepts(node)
                        if acc.isEmpty { continue }
                        // A name ends on a whole token: not before a hyphen- or digit-joined one.
                        if j < n && (tb[j].has(.hyphenBefore) || tb[j].has(.splitBefore)) { continue }
                        // The entries of the names accepted here that the text matches (checked once,
                        // here): when there are some, they replace those of the shorter name.
                        let mark = pool.count
                        let isAcronym = lex.accepted(at: node, tokens: tb, path: path, depth: depth, text: xb, into: &pool)
                        if pool.count > mark {
                            if mark > candidateFirst { pool.removeSubrange(candidateFirst..<mark) }
                            bestDepth = depth
                            acronym = isAcronym
                        }
                    }
                    walked += probes - 1
                    guard bestDepth > 0 else { continue }
                    let end = path[bestDepth - 1] + 1
                    // The words inside the name are not visited.
                    var k = i + 1
                    while k < end {
                        if DocAnalysis.mayStartName(tb[k]) { walked -= 1 }
                        k += 1
                    }
                    next = end
                    // The type: the first candidate's that has one.
                    var type: Entity.Kind?
                    for k in candidateFirst..<pool.count where type == nil { type = lex.entryKinds[pool[k]] }
                    guard let type else {
                        pool.removeSubrange(candidateFirst...)
                        continue
                    }
                    var m = Mention(first: i, last: end, type: type, origin: .gazetteer, acronym: acronym)
                    m.candidateFirst = Int32(candidateFirst)
                    m.candidateCount = Int32(pool.count - candidateFirst)
                    addMention(m)
                }
                steps = walked
              }
            }
          }
        }
        trieWalkSteps += steps
        candidateEntries = pool
    }

    // MARK: - Resolution

    /// Whether a sorted list of token positions holds one within 60 tokens of `position`: a binary
    /// search, since in a book one key can be named thousands of times and each ambiguous mention asks.
    static func hasPosition(_ sorted: [Int], near position: Int) -> Bool {
        var lo = 0, hi = sorted.count  // sorted[..<lo] are below position - 60
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < position - 60 { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] <= position + 60
    }

    /// Chooses the entry of every mention that has candidates, by document definition, context or default.
    mutating func resolveShared() {
        // Unambiguous mentions give context: key -> token positions (gathered when first needed;
        // the loop below changes no candidates).
        var keyPositionsBuilt: [Int: [Int]]?
        for idx in mentions.indices where !mentions[idx].removed {
            if mentions[idx].entry != nil { continue }
            let count = mentions[idx].candidateCount
            if count == 1 {
                setEntry(idx, candidateEntries[Int(mentions[idx].candidateFirst)])
                continue
            }
            guard count > 1 else { continue }
            let m = mentions[idx]
            let mCandidates = candidates(of: m)
            var chosen: Int?
            var how = Mention.Resolution.context
            if m.acronym, let d = definition(stemOf: m.start, m.end), let e = definitions[d].entry, mCandidates.contains(e) {
                chosen = e
                how = .definition
            }
            if chosen == nil {
                if keyPositionsBuilt == nil {
                    var kp: [Int: [Int]] = [:]
                    for mm in mentions where !mm.removed && mm.candidateCount == 1 {
                        kp[candidateEntries[Int(mm.candidateFirst)], default: []].append(mm.first)
                    }
                    for k in kp.keys { kp[k]!.sort() }  // for `hasPosition(_:near:)`
                    keyPositionsBuilt = kp
                }
                let keyPositions = keyPositionsBuilt!
                var best = -1
                var bestScore = 0
                for c in mCandidates {
                    var score = 0
                    // The entry named unambiguously elsewhere in the document.
                    if let ps = keyPositions[c] {
                        score += min(ps.count, 3) * 2
                        if Self.hasPosition(ps, near: m.first) { score += 2 }
                    }
                    for k in lex.cueKeys[c] {
                        if let ps = keyPositions[k] {
                            score += 1
                            if Self.hasPosition(ps, near: m.first) { score += 2 }
                        }
                    }
                    let lo = max(0, m.first - 25), hi = min(n, m.last + 25)
                    for path in lex.cueWords[c] where containsPath(path, lo, hi, excluding: m.first..<m.last) {
                        score += 2
                    }
                    if score > bestScore { bestScore = score; best = c }
                    else if score == bestScore && score > 0 { best = -2 }  // tie
                }
                if best >= 0 { chosen = best } else {
                    how = .byDefault
                    let surface = string(m.first, m.last)
                    chosen = mCandidates.first { lex.entries[$0].preferred || lex.entries[$0].preferredNames.contains(surface) }
                        ?? mCandidates.first
                }
            }
            setEntry(idx, chosen!)
            mentions[idx].resolvedBy = how
            mentions[idx].listsAlternatives = true
        }
    }

    func containsPath(_ path: [Int32], _ lo: Int, _ hi: Int, excluding: Range<Int>) -> Bool {
        guard !path.isEmpty else { return false }
        var i = lo
        while i + path.count <= hi {
            if !excluding.contains(i) && tokens[i].id == path[0] {
                var ok = true
                for k in 1..<path.count where tokens[i + k].id != path[k] { ok = false; break }
                if ok { return true }
            }
            i += 1
        }
        return false
    }

    mutating func setEntry(_ idx: Int, _ e: Int) {
        mentions[idx].entry = e
        mentions[idx].madeName = -1
        if let k = lex.entryKinds[e] { mentions[idx].type = k }
        if mentions[idx].instrument < 0, let inst = lex.entries[e].instrument {
            mentions[idx].instrument = keepText(inst)
        }
    }

    // MARK: - Output

    /// The mention's attributes as the record writes them.
    func attributes(of m: Mention) -> [String: String] {
        // Counted first: the dictionary is made once at its size.
        var count = m.acronymOf >= 0 ? 1 : 0
        if m.definedBy >= 0 { count += 1 }
        if m.resolvedBy != .none { count += 1 }
        if m.listsAlternatives { count += 1 }
        if m.instrument >= 0 { count += 1 }
        if m.protocolTo >= 0 { count += 1 }
        if m.number >= 0 { count += 1 }
        if m.year != 0 { count += 1 }
        if m.value != nil { count += 1 }
        if m.byline { count += 1 }
        guard count > 0 else { return [:] }
        var a: [String: String] = Dictionary(minimumCapacity: count)
        if m.acronymOf >= 0 { a["acronym"] = definitions[Int(m.acronymOf)].acronym }
        if m.definedBy >= 0 { a["definedBy"] = definitions[Int(m.definedBy)].longForm }
        switch m.resolvedBy {
        case .none: break
        case .definition: a["resolvedBy"] = "definition"
        case .context: a["resolvedBy"] = "context"
        case .byDefault: a["resolvedBy"] = "default"
        }
        if m.listsAlternatives {
            a["alternatives"] = candidates(of: m).filter { $0 != m.entry }.map { lex.entries[$0].key }.joined(separator: " ")
        }
        if let inst = attributeText(m.instrument) { a["instrument"] = inst }
        if m.protocolTo >= 0 { a["protocolTo"] = lex.entries[Int(m.protocolTo)].key }
        if let number = attributeText(m.number) { a["number"] = number }
        if m.year != 0 { a["year"] = String(m.year) }
        if let value = m.value { a["value"] = value.iso }
        if m.byline { a["role"] = "byline" }
        return a
    }

    /// Adds the mentions to `document.entities` (sorted by span) and the findings, remapping indices.
    func emit(into document: inout Document) {
        // Merge with entities an earlier stage may have added: sort (span, tag) keys, not entities;
        // the tag is -1 - index for an earlier entity, the mention index for a mention.
        let old = document.entities
        var order: [(start: Int, end: Int, tag: Int)] = []
        order.reserveCapacity(old.count + mentions.count)
        for k in old.indices { order.append((old[k].span.start, old[k].span.end, -1 - k)) }
        for i in mentions.indices where !mentions[i].removed { order.append((mentions[i].start, mentions[i].end, i)) }
        order.sort { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end < b.end }
            return a.tag < b.tag
        }
        var oldToNew = [Int](repeating: -1, count: old.count)
        var mentionToNew = [Int](repeating: -1, count: mentions.count)
        // Attribute dictionaries shared by mentions (see `Mention.sharedAttributes`).
        var byDefinition = [[String: String]?](repeating: nil, count: definitions.count)
        var byDate: [Int32: [String: String]] = [:]
        var byline: [String: String]?
        func sharedOrOwnAttributes(_ m: Mention) -> [String: String] {
            switch m.sharedAttributes {
            case .definedBy(let d)?:
                if let a = byDefinition[d] { return a }
                byDefinition[d] = self.attributes(of: m)
                return byDefinition[d]!
            case .date(let v)?:
                if let a = byDate[v] { return a }
                let a = self.attributes(of: m)
                byDate[v] = a
                return a
            case .byline?:
                if byline == nil { byline = self.attributes(of: m) }
                return byline!
            case nil:
                return self.attributes(of: m)
            }
        }
        // Each entity starts as a copy of its entry's template (key and label set) or of a bare one,
        // and is filled in place: built by `Entity.init`, or appended, each was built twice and one
        // copy retained and released. Most mentions have no attributes: they keep the copied empty
        // dictionary.
        let bare = Entity(type: .date, span: Span(0, 0))
        let templates = lex.entityTemplates
        document.entities = [Entity](unsafeUninitializedCapacity: order.count) { buffer, initialized in
            templates.withUnsafeBufferPointer { templates in
                for (newIndex, item) in order.enumerated() {
                    let place = buffer.baseAddress! + newIndex
                    if item.tag < 0 {
                        oldToNew[-1 - item.tag] = newIndex
                        place.initialize(to: old[-1 - item.tag])
                    } else {
                        mentionToNew[item.tag] = newIndex
                        let m = mentions[item.tag]
                        if let e = m.entry {
                            place.initialize(to: templates[e])
                        } else {
                            place.initialize(to: bare)
                            place.pointee.key = key(of: m)
                            place.pointee.label = label(of: m)
                        }
                        place.pointee.type = m.type
                        place.pointee.span = Span(m.start, m.end)
                        if !m.hasNoAttributes { place.pointee.attributes = sharedOrOwnAttributes(m) }
                    }
                    initialized = newIndex + 1
                }
            }
        }
        if !old.isEmpty {
            for f in document.findings.indices {
                document.findings[f].entities = document.findings[f].entities.compactMap { $0 >= 0 && $0 < old.count ? oldToNew[$0] : nil }
            }
        }
        for f in findings {
            document.findings.append(Finding(kind: f.kind, severity: f.severity, message: f.message,
                                             entities: f.mentions.compactMap { $0 >= 0 && $0 < mentions.count && mentionToNew[$0] >= 0 ? mentionToNew[$0] : nil }.sorted()))
        }
    }
}
