// The compiled gazetteers: vocabulary, token trie, the names' surfaces, the words the patterns
// look for, and indices (protocols by parent, provisions by instrument and number). Built once per
// run; immutable afterwards and shared by every thread.

import AssayCore

struct Surface: Sendable {
    enum Kind: UInt8, Sendable { case alias, exact, acronym }
    var entry: Int32
    var kind: Kind
    /// The case-sensitive form, as raw token byte ranges into `Lexicon.rawBytes` (exact and acronym).
    var rawFirst: Int32
    var rawCount: Int32
    /// Letters in the name (short acronyms are ignored on lines written in capitals).
    var letters: Int32
}

/// What a word is to the patterns, as bits of `Token.info` (set by the document scan from the
/// vocabulary id, so a pattern tests a bit of the token instead of a set or dictionary lookup).
struct WordClass: OptionSet, Sendable {
    let rawValue: UInt32
    static let startsName = WordClass(rawValue: 1 << 0)      // some gazetteer name starts with it
    static let head = WordClass(rawValue: 1 << 1)
    static let headNeedsOf = WordClass(rawValue: 1 << 2)
    static let connector = WordClass(rawValue: 1 << 3)
    static let stopLeft = WordClass(rawValue: 1 << 4)
    static let abbreviation = WordClass(rawValue: 1 << 5)
    static let yearIntro = WordClass(rawValue: 1 << 6)
    static let ordinalSuffix = WordClass(rawValue: 1 << 7)
    static let lawHead = WordClass(rawValue: 1 << 8)
    static let negation = WordClass(rawValue: 1 << 9)
    static let forceWord = WordClass(rawValue: 1 << 10)
    static let enterWord = WordClass(rawValue: 1 << 11)
    static let month = WordClass(rawValue: 1 << 12)           // number in bits 24...27
    static let provisionHead = WordClass(rawValue: 1 << 13)
    static let provisionPlural = WordClass(rawValue: 1 << 14)
    static let provisionSection = WordClass(rawValue: 1 << 15)
    static let provisionNeedsDot = WordClass(rawValue: 1 << 16)
    static let factTrigger = WordClass(rawValue: 1 << 17)     // code in bits 20...22
    static let optionalWord = WordClass(rawValue: 1 << 18)    // "optional"
    static let byWord = WordClass(rawValue: 1 << 19)          // "by"
    static let namesAlone = WordClass(rawValue: 1 << 28)      // some gazetteer name is this word alone

    /// Words a pattern starts from (see `PatternStarts`).
    static let patternStart: WordClass = [.provisionHead, .lawHead, .head, .month, .optionalWord, .byWord, .factTrigger]

    static let monthShift: UInt32 = 24
    static let triggerShift: UInt32 = 20
}

extension Token {
    /// The month a month name stands for (1...12), 0 for other words.
    @inline(__always) var month: Int { Int((info >> WordClass.monthShift) & 0xF) }
    /// The fact-trigger code (see `Keywords.factTriggers`), when the word is one.
    @inline(__always) var triggerCode: UInt8? {
        info & WordClass.factTrigger.rawValue != 0 ? UInt8((info >> WordClass.triggerShift) & 0x7) : nil
    }
}

/// Ids of single words the patterns compare tokens with (-2 when not in the vocabulary). Plain
/// values only, so a document analysis keeps a copy it reads without reference counting.
struct KeywordIDs: Sendable {
    var of: Int32 = -2, the: Int32 = -2, and: Int32 = -2, to: Int32 = -2, on: Int32 = -2, or: Int32 = -2
    var for_: Int32 = -2, against: Int32 = -2, general: Int32 = -2, no: Int32 = -2, s: Int32 = -2, by: Int32 = -2
    var et: Int32 = -2, a: Int32 = -2, an: Int32 = -2, its: Int32 = -2, optional: Int32 = -2, protocol_: Int32 = -2
    var protocols: Int32 = -2, first: Int32 = -2, second: Int32 = -2, third: Int32 = -2, constitution: Int32 = -2
    var covenant: Int32 = -2, convention: Int32 = -2, charter: Int32 = -2

    init() {}

    init(_ kw: Keywords) {
        of = kw["of"]; the = kw["the"]; and = kw["and"]; to = kw["to"]; on = kw["on"]; or = kw["or"]
        for_ = kw["for"]; against = kw["against"]; general = kw["general"]; no = kw["no"]; s = kw["s"]
        by = kw["by"]; et = kw["et"]; a = kw["a"]; an = kw["an"]; its = kw["its"]
        optional = kw["optional"]; protocol_ = kw["protocol"]; protocols = kw["protocols"]
        first = kw["first"]; second = kw["second"]; third = kw["third"]; constitution = kw["constitution"]
        covenant = kw["covenant"]; convention = kw["convention"]; charter = kw["charter"]
    }
}

/// Vocabulary ids of the words the patterns, the acronym finder and the fact checker test for.
struct Keywords: Sendable {

    var ids: [String: Int32] = [:]
    var months: [Int32: Int] = [:]
    var heads: Set<Int32> = []
    var headNeedsOf: Set<Int32> = []
    var headNeedsModifier: Set<Int32> = []
    var connectors: Set<Int32> = []
    var stopLeft: Set<Int32> = []
    var abbreviations: Set<Int32> = []
    var yearIntro: Set<Int32> = []
    var ordinalSuffix: Set<Int32> = []
    var lawHeads: Set<Int32> = []
    var provisionHeads: [Int32: (plural: Bool, section: Bool, needsDot: Bool)] = [:]
    var negations: Set<Int32> = []
    /// Fact verbs: 0 adopted, 1 "into" (force), 2 ratified/acceded, 3 signed, 4 enacted/passed, 5 founded.
    var factTriggers: [Int32: UInt8] = [:]
    var forceWords: Set<Int32> = []
    var enterWords: Set<Int32> = []

    subscript(_ word: String) -> Int32 { ids[word] ?? -2 }

    static let monthWords: [(String, Int)] = [
        ("january", 1), ("jan", 1), ("february", 2), ("feb", 2), ("march", 3), ("mar", 3), ("april", 4), ("apr", 4),
        ("may", 5), ("june", 6), ("jun", 6), ("july", 7), ("jul", 7), ("august", 8), ("aug", 8),
        ("september", 9), ("sept", 9), ("sep", 9), ("october", 10), ("oct", 10), ("november", 11), ("nov", 11),
        ("december", 12), ("dec", 12),
    ]
    static let headWords = [
        "foundation", "commission", "council", "committee", "ministry", "directorate", "department", "authority",
        "tribunal", "court", "association", "society", "institute", "university", "college", "school", "agency",
        "organisation", "organization", "network", "alliance", "trust", "caucus", "assembly", "bureau", "centre",
        "center", "forum", "federation", "league", "secretariat", "board", "subcommittee", "division", "cell",
        "observatory", "coalition",
    ]
    /// Heads that name something only with "of/for ...": "School of Law", "Society for the Protection
    /// of ..." ("Civil Society" is no organization).
    static let headNeedsOfWords = ["school", "division", "cell", "society"]
    static let connectorWords = ["of", "for", "on", "against", "and", "&", "the", "to"]
    static let stopLeftWords = [
        "the", "a", "an", "this", "that", "these", "those", "visiting", "lecturer", "professor", "principal",
        "chairperson", "chairman", "chairwoman", "chair", "director", "deputy", "dr", "mr", "mrs", "ms", "prof",
        "assistant", "associate", "senior", "junior", "project", "coordinator", "officer", "member", "members", "head",
        "president", "secretary", "minister", "justice", "judge", "at", "in", "of", "from", "with", "by", "for",
        "and", "or", "but", "however", "although", "while", "since", "after", "before", "during", "under", "between",
        "including", "both", "each", "every", "all", "some", "many", "its", "his", "her", "their", "our", "my",
        "your", "former", "current", "then", "also", "when", "where", "which", "who", "whose", "what", "if", "as",
        "to", "on", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "we", "they", "he", "she",
        "you", "i", "no", "not", "only", "such", "other", "another", "several", "various", "numerous", "most",
        "more", "one", "two", "three", "new", "said", "dear", "scholar", "researcher", "student", "fellow",
        "advocate", "activist", "expert", "chief", "vice", "acting", "general", "inspector",
        "keywords", "abstract", "note", "source", "see", "via", "like", "unlike", "whether", "despite", "through",
        "into", "onto", "upon", "across", "against", "among", "amongst", "toward", "towards", "within", "without",
        "about", "above", "below", "over", "per", "than", "so", "yet", "nor", "because", "once", "unless", "until",
        "whereas", "here", "there", "these", "thus", "hence", "moreover", "furthermore", "additionally", "finally",
        "firstly", "secondly", "similarly", "meanwhile", "following", "according", "regarding", "concerning",
        "whilst", "did", "does", "do", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
        "any", "few", "much", "very", "same", "own", "local", "respective",
    ]
    static let abbreviationWords = [
        "dr", "mr", "mrs", "ms", "prof", "no", "nos", "art", "arts", "sec", "st", "vs", "v", "e", "i", "g", "etc",
        "al", "jr", "sr", "ed", "eds", "vol", "pp", "p", "para", "paras", "cf", "u", "s", "ss", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "rs", "inc", "ltd", "co", "corp",
    ]
    static let plainWords = [
        "act", "acts", "ordinance", "ordinances", "code", "bill", "order", "statute", "article", "articles", "art",
        "arts", "section", "sections", "sec", "s", "ss", "of", "the", "to", "on", "for", "and", "against", "in",
        "at", "by", "optional", "protocol", "protocols", "first", "second", "third", "no", "constitution",
        "covenant", "convention", "charter", "declaration", "general", "et", "al", "into", "force", "effect",
        "entered", "entering", "enter", "enters", "entry", "came", "coming", "come", "comes", "adopted", "adoption",
        "ratified", "ratification", "ratifying", "ratify", "ratifies", "acceded", "accession", "acceding", "accede",
        "signed", "signing", "signature", "enacted", "enactment", "passed", "promulgated", "commenced", "assent",
        "not", "never", "yet", "n't", "since", "until", "till", "during", "as", "from", "with", "which", "was",
        "were", "is", "has", "have", "had", "been", "it", "its", "also", "this", "these", "st", "nd", "rd", "th",
        "&", "(", ")", ",", ".", ":", ";", "+", "-", "\"", "'", "/", "?", "!", "by", "or", "a", "an", "amendment",
        "amended", "under", "that", "pakistan", "founded", "established", "its", "their",
    ]
}

/// A class (one reference in each document's analysis, not a large value copied along with it).
final class Lexicon: Sendable {
    let entries: [GazetteerEntry]
    /// `entries[i].kind`, at hand.
    let entryKinds: [Entity.Kind?]
    /// An entity per entry with its key and label (type and span to be set): `DocAnalysis.emit`
    /// copies it, so the key and label are retained in one copy, not each assigned over a nil.
    let entityTemplates: [Entity]
    let keyIndex: [String: Int]
    let vocab: Vocabulary
    /// The vocabulary frozen for the document scan.
    let words: WordTable
    let trie: TokenTrie
    /// `trie.child(0, id)` by word id: the first step of every walk, without a probe.
    let rootChild: [Int32]
    /// By word id: the second words of the names it begins, one bit each (`followerBit`), so most
    /// starts are ruled out without the trie probe of the next word (mostly a cache miss).
    let followers: [UInt64]
    /// Per trie node: where in `aliasCandidates` the entries of its names are when every name
    /// accepted there is a plain alias (no case-sensitive check: the same for every match), else
    /// count 0. One flat list: a list per node was retained and released at each match.
    let aliasCandidateSpans: [(start: Int32, count: Int32)]
    let aliasCandidates: [Int]
    let surfaces: [Surface]
    let rawBytes: [UInt8]
    let rawOffsets: [Int32]
    let kw: Keywords
    let ids: KeywordIDs
    /// Every acronym a gazetteer lists (entities and terms), and short all-capital exact names.
    let knownAcronyms: Vocabulary
    /// "instrument|number" (number normalized) -> entry, for provisions.
    let provisions: [String: Int]
    /// Treaty key -> its protocols.
    let protocols: [String: [Int]]
    /// Per entry: cue keys (entry indices) and cue phrases (token id paths).
    let cueKeys: [[Int]]
    let cueWords: [[[Int32]]]
    /// Trie steps taken to insert every name (a measure of compile work).
    let tokenInsertions: Int

    /// Compiles names into the vocabulary and trie (a struct, so the hot loop has no captured boxes).
    private struct Builder {
        let interner: Interner
        var vocab: Vocabulary { interner.vocab }
        var trie: TokenTrie
        var surfaces: [Surface] = []
        var rawBytes: [UInt8] = []
        var rawOffsets: [Int32] = [0]
        var insertions = 0
        var toks: [Token] = []
        var norm: [UInt8] = []
        var path: [Int32] = []

        init(entries: Int) {
            interner = Interner(Vocabulary(capacity: max(1024, entries * 4)))
            trie = TokenTrie(capacity: max(1024, entries * 3))
            surfaces.reserveCapacity(entries * 3)
            toks.reserveCapacity(64)
            norm.reserveCapacity(64)
            path.reserveCapacity(32)
        }

        mutating func add(_ name: String, _ kind: Surface.Kind, _ entry: Int) {
            var name = name
            if kind == .alias && addPlain(&name, entry) { return }
            name.withUTF8 { bytes in
                toks.removeAll(keepingCapacity: true)
                path.removeAll(keepingCapacity: true)
                Tokenizer.tokenize(bytes, prescan: false, into: &toks, lookup: interner)
                var letters: Int32 = 0
                let first = Int32(rawOffsets.count - 1)
                for t in toks where t.punct != 0x2C {
                    path.append(t.id)
                    if kind != .alias {
                        rawBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[Int(t.start)..<Int(t.end)]))
                        rawOffsets.append(Int32(rawBytes.count))
                    }
                    if t.flags.contains(.hasLetter) { letters += Int32(t.end - t.start) }
                }
                guard !path.isEmpty else { return }
                insertions += path.count
                let count = kind == .alias ? 0 : Int32(rawOffsets.count - 1) - first
                trie.insert(path, surface: Int32(surfaces.count))
                surfaces.append(Surface(entry: Int32(entry), kind: kind, rawFirst: first, rawCount: count, letters: letters))
            }
        }

        /// The common case, a name of ASCII letters, digits and single spaces ("Human Rights Watch"):
        /// the same tokens as the tokenizer gives (split at digit->letter and lower->upper changes),
        /// without its general machinery. Returns false for any other name.
        mutating func addPlain(_ name: inout String, _ entry: Int) -> Bool {
            name.withUTF8 { bytes -> Bool in
                for c in bytes where !(CharClass.isASCIIAlnum(c) || c == 0x20) { return false }
                path.removeAll(keepingCapacity: true)
                var letters: Int32 = 0
                var i = 0
                let n = bytes.count
                while i < n {
                    if bytes[i] == 0x20 { i += 1; continue }
                    norm.removeAll(keepingCapacity: true)
                    var prev = 0
                    while i < n && bytes[i] != 0x20 {
                        let c = bytes[i]
                        let kind = CharClass.isDigit(c) ? 1 : (CharClass.isLower(c) ? 2 : 3)
                        if !norm.isEmpty && ((prev == 1 && kind >= 2) || (prev == 2 && kind == 3)) { break }
                        norm.append(kind == 3 ? c | 0x20 : c)
                        if kind >= 2 { letters += 1 }
                        prev = kind
                        i += 1
                    }
                    let id = norm.withUnsafeBufferPointer { interner.vocab.intern($0) }
                    path.append(id)
                }
                guard !path.isEmpty else { return true }
                insertions += path.count
                trie.insert(path, surface: Int32(surfaces.count))
                surfaces.append(Surface(entry: Int32(entry), kind: .alias, rawFirst: Int32(rawOffsets.count - 1), rawCount: 0, letters: letters))
                return true
            }
        }
    }

    init(entries: [GazetteerEntry]) throws {
        var b = Builder(entries: entries.count)
        var keyIndex: [String: Int] = [:]
        keyIndex.reserveCapacity(entries.count)
        var known: Set<String> = []

        for i in entries.indices {
            let key = entries[i].key
            if let other = keyIndex[key] {
                throw GazetteerError(file: entries[i].file, message: "key '\(key)' is used twice (also in \(entries[other].file))")
            }
            keyIndex[key] = i
            for a in entries[i].acronyms { known.insert(a) }
            for a in entries[i].exactAliases where Lexicon.isAcronymLike(a) { known.insert(a) }
            guard case .entity = entries[i].type else { continue }
            for a in entries[i].aliases { b.add(a, .alias, i) }
            // The label is a name too, unless it is one of the case-sensitive names.
            let label = entries[i].label
            if !entries[i].exactAliases.contains(where: { $0.caseInsensitiveEquals(label) }) && !entries[i].aliases.contains(label) {
                b.add(label, .alias, i)
            }
            for a in entries[i].exactAliases { b.add(a, .exact, i) }
            for a in entries[i].acronyms { b.add(a, .acronym, i) }
        }
        var vocab = b.vocab
        var trie = b.trie
        let surfaces = b.surfaces, rawBytes = b.rawBytes, rawOffsets = b.rawOffsets, insertions = b.insertions
        b = Builder(entries: 0)
        trie.finish()

        // Keywords.
        var kw = Keywords()
        func id(_ w: String) -> Int32 {
            let bytes = Array(w.utf8)
            return bytes.withUnsafeBufferPointer { vocab.intern($0) }
        }
        for w in Keywords.plainWords { kw.ids[w] = id(w) }
        for (w, m) in Keywords.monthWords { let i = id(w); kw.ids[w] = i; kw.months[i] = m }
        for w in Keywords.headWords { kw.heads.insert(id(w)) }
        for w in Keywords.headNeedsOfWords { kw.headNeedsOf.insert(id(w)) }
        for w in Keywords.connectorWords { kw.connectors.insert(id(w)) }
        for w in Keywords.stopLeftWords { kw.stopLeft.insert(id(w)) }
        for w in Keywords.abbreviationWords { kw.abbreviations.insert(id(w)) }
        for w in ["in", "since", "until", "till", "during"] { kw.yearIntro.insert(id(w)) }
        for w in ["st", "nd", "rd", "th"] { kw.ordinalSuffix.insert(id(w)) }
        for w in ["act", "ordinance", "code", "bill", "order", "statute"] { kw.lawHeads.insert(id(w)) }
        for w in ["not", "never", "yet", "n't"] { kw.negations.insert(id(w)) }
        let triggers: [(String, UInt8)] = [
            ("adopted", 0), ("into", 1), ("ratified", 2), ("ratification", 2), ("ratifying", 2), ("acceded", 2),
            ("accession", 2), ("acceding", 2), ("signed", 3), ("enacted", 4), ("promulgated", 4), ("passed", 4),
            ("commenced", 4), ("assent", 4), ("founded", 5), ("established", 5),
        ]
        for (w, c) in triggers { kw.factTriggers[id(w)] = c }
        for w in ["force", "effect"] { kw.forceWords.insert(id(w)) }
        for w in ["entered", "entering", "enter", "enters", "entry", "came", "coming", "come", "comes"] { kw.enterWords.insert(id(w)) }
        kw.provisionHeads = [
            id("article"): (false, false, false), id("articles"): (true, false, false),
            id("art"): (false, false, true), id("arts"): (true, false, true),
            id("section"): (false, true, false), id("sections"): (true, true, false),
            id("sec"): (false, true, true), id("s"): (false, true, true), id("ss"): (true, true, true),
        ]

        // Indices.
        var provisions: [String: Int] = [:]
        var protocols: [String: [Int]] = [:]
        var cueKeys: [[Int]] = []
        var cueWords: [[[Int32]]] = []
        cueKeys.reserveCapacity(entries.count)
        cueWords.reserveCapacity(entries.count)
        for i in entries.indices {
            if let inst = entries[i].instrument, let num = entries[i].number {
                provisions[inst + "|" + Lexicon.normalizeNumber(num)] = i
            }
            if let p = entries[i].parent { protocols[p, default: []].append(i) }
            if entries[i].cues.isEmpty {
                cueKeys.append([])
                cueWords.append([])
                continue
            }
            var ck: [Int] = []
            var cw: [[Int32]] = []
            for c in entries[i].cues {
                if let k = keyIndex[c] {
                    ck.append(k)
                } else {
                    let bytes = Array(c.utf8)
                    let toks = Tokenizer.tokenize(bytes, prescan: false) { p in vocab.intern(p) }
                    let path = toks.filter { $0.punct != 0x2C }.map(\.id)
                    if !path.isEmpty { cw.append(path) }
                }
            }
            cueKeys.append(ck)
            cueWords.append(cw)
        }
        for i in entries.indices {
            func check(_ k: String) throws {
                if keyIndex[k] == nil {
                    throw GazetteerError(file: entries[i].file, message: "entry '\(entries[i].key)' refers to unknown key '\(k)'")
                }
            }
            if let p = entries[i].parent { try check(p) }
            if let p = entries[i].instrument { try check(p) }
            for k in entries[i].amendedBy { try check(k) }
        }

        // What each word is to the patterns.
        var info = [UInt32](repeating: 0, count: vocab.count)
        func mark(_ ids: Set<Int32>, _ c: WordClass) {
            for id in ids where id >= 0 { info[Int(id)] |= c.rawValue }
        }
        mark(kw.heads, .head)
        mark(kw.headNeedsOf, .headNeedsOf)
        mark(kw.connectors, .connector)
        mark(kw.stopLeft, .stopLeft)
        mark(kw.abbreviations, .abbreviation)
        mark(kw.yearIntro, .yearIntro)
        mark(kw.ordinalSuffix, .ordinalSuffix)
        mark(kw.lawHeads, .lawHead)
        mark(kw.negations, .negation)
        mark(kw.forceWords, .forceWord)
        mark(kw.enterWords, .enterWord)
        for (id, m) in kw.months where id >= 0 {
            info[Int(id)] |= WordClass.month.rawValue | (UInt32(m) << WordClass.monthShift)
        }
        for (id, h) in kw.provisionHeads where id >= 0 {
            var c: WordClass = .provisionHead
            if h.plural { c.insert(.provisionPlural) }
            if h.section { c.insert(.provisionSection) }
            if h.needsDot { c.insert(.provisionNeedsDot) }
            info[Int(id)] |= c.rawValue
        }
        for (id, code) in kw.factTriggers where id >= 0 {
            info[Int(id)] |= WordClass.factTrigger.rawValue | (UInt32(code) << WordClass.triggerShift)
        }
        var rootChild = [Int32](repeating: -1, count: vocab.count)
        for id in 0..<vocab.count {
            let c = trie.child(0, Int32(id))
            rootChild[id] = c
            if c >= 0 {
                info[id] |= WordClass.startsName.rawValue
                if !trie.accepts(c).isEmpty { info[id] |= WordClass.namesAlone.rawValue }
            }
        }
        var rootWord = [Int32](repeating: -1, count: trie.nodeCount)
        for id in rootChild.indices where rootChild[id] >= 0 { rootWord[Int(rootChild[id])] = Int32(id) }
        var followers = [UInt64](repeating: 0, count: vocab.count)
        for (node, token) in trie.edgesBelowRoot() where rootWord[Int(node)] >= 0 {
            followers[Int(rootWord[Int(node)])] |= Lexicon.followerBit(token)
        }
        var candidateSpans = [(start: Int32, count: Int32)](repeating: (0, 0), count: trie.nodeCount)
        var candidateLists: [Int] = []
        for node in 0..<trie.nodeCount {
            let acc = trie.accepts(Int32(node))
            guard !acc.isEmpty, acc.allSatisfy({ surfaces[Int(trie.acceptedSurface($0))].kind == .alias }) else { continue }
            var cands: [Int] = []
            for a in acc where !cands.contains(Int(surfaces[Int(trie.acceptedSurface(a))].entry)) {
                cands.append(Int(surfaces[Int(trie.acceptedSurface(a))].entry))
            }
            candidateSpans[node] = (Int32(candidateLists.count), Int32(cands.count))
            candidateLists.append(contentsOf: cands)
        }
        let ids = KeywordIDs(kw)
        if ids.optional >= 0 { info[Int(ids.optional)] |= WordClass.optionalWord.rawValue }
        if ids.by >= 0 { info[Int(ids.by)] |= WordClass.byWord.rawValue }

        self.entries = entries
        self.entryKinds = entries.map(\.kind)
        self.entityTemplates = entries.map { Entity(type: $0.kind ?? .organization, span: Span(0, 0), key: $0.key, label: $0.label) }
        self.keyIndex = keyIndex
        self.vocab = vocab
        self.words = WordTable(vocab, info: info)
        self.rootChild = rootChild
        self.followers = followers
        self.aliasCandidateSpans = candidateSpans
        self.aliasCandidates = candidateLists
        self.trie = trie
        self.surfaces = surfaces
        self.rawBytes = rawBytes
        self.rawOffsets = rawOffsets
        self.kw = kw
        self.ids = ids
        var knownTable = Vocabulary(capacity: known.count)
        for a in known { _ = knownTable.intern(a) }
        self.knownAcronyms = knownTable
        self.provisions = provisions
        self.protocols = protocols
        self.cueKeys = cueKeys
        self.cueWords = cueWords
        self.tokenInsertions = insertions
    }

    /// "19-A" -> "19a", "25(a)" -> "25-a", "295 C" -> "295c", "29 (1)" -> "29-1".
    static func normalizeNumber(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased() {
            if ch == "(" { out += "-"; continue }
            if ch == ")" || ch == "-" || ch == " " || ch == "." || ch == "\u{2013}" { continue }
            out.append(ch)
        }
        return out
    }

    /// Two or more capitals, no lower-case letter except a final plural "s".
    static func isAcronymLike(_ s: String) -> Bool {
        var upper = 0
        let u = Array(s.utf8)
        for (i, c) in u.enumerated() {
            if CharClass.isUpper(c) { upper += 1 } else if CharClass.isLower(c) {
                if !(c == 0x73 && i == u.count - 1) { return false }
            }
        }
        return upper >= 2
    }

    /// The bit of a word in `followers`.
    @inline(__always) static func followerBit(_ id: Int32) -> UInt64 {
        1 &<< (UInt64(truncatingIfNeeded: id) & 63)
    }

    /// The entries of the names accepted at trie node `node` that match the walked tokens (each
    /// once, in order), and whether one of them is an acronym.
    func accepted(at node: Int32, tokens: UnsafeBufferPointer<Token>, path: UnsafePointer<Int>, depth: Int,
                  text: UnsafeBufferPointer<UInt8>, into out: inout [Int]) -> Bool {
        let span = aliasCandidateSpans[Int(node)]
        if span.count > 0 {
            // Mostly one entry: appended one by one (cheaper than the generic append(contentsOf:)).
            for k in Int(span.start)..<Int(span.start + span.count) { out.append(aliasCandidates[k]) }
            return false
        }
        return accepted(trie.accepts(node), tokens: tokens, path: path, depth: depth, text: text, into: &out)
    }

    /// Appends to `out` the entries of the surfaces accepted at a trie node that match the walked
    /// tokens (each once, in order); returns whether one of them is an acronym.
    func accepted(_ acc: Range<Int>, tokens: UnsafeBufferPointer<Token>, path: UnsafePointer<Int>, depth: Int,
                  text: UnsafeBufferPointer<UInt8>, into out: inout [Int]) -> Bool {
        let first = out.count
        var acronym = false
        for a in acc {
            let s = surfaces[Int(trie.acceptedSurface(a))]
            if s.kind != .alias {
                if !verify(s, tokens: tokens, path: path, depth: depth, text: text) { continue }
                if s.kind == .acronym {
                    if s.letters <= 3 && tokens[path[0]].has(.capsLine) { continue }
                    acronym = true
                }
            }
            if !out[first...].contains(Int(s.entry)) { out.append(Int(s.entry)) }
        }
        return acronym
    }

    /// Whether the raw bytes of `surface` equal the document tokens (case-sensitive check).
    func verify(_ surface: Surface, tokens: UnsafeBufferPointer<Token>, path: UnsafePointer<Int>, depth: Int, text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(surface.rawCount) == depth else { return false }
        for k in 0..<depth {
            let t = tokens[path[k]]
            let a = Int(rawOffsets[Int(surface.rawFirst) + k]), b = Int(rawOffsets[Int(surface.rawFirst) + k + 1])
            let len = Int(t.end - t.start)
            if b - a != len {
                // A curly apostrophe inside the token is three bytes against one.
                if !sameModuloApostrophe(rawBytes[a..<b], text, Int(t.start), Int(t.end)) { return false }
                continue
            }
            var i = 0
            while i < len {
                if rawBytes[a + i] != text[Int(t.start) + i] { break }
                i += 1
            }
            if i < len && !sameModuloApostrophe(rawBytes[a..<b], text, Int(t.start), Int(t.end)) { return false }
        }
        return true
    }

    private func sameModuloApostrophe(_ raw: ArraySlice<UInt8>, _ text: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        func norm<C: Collection>(_ c: C) -> [UInt8] where C.Element == UInt8 {
            var out: [UInt8] = []
            var it = Array(c)
            var i = 0
            while i < it.count {
                if i + 2 < it.count && it[i] == 0xE2 && it[i + 1] == 0x80 && (it[i + 2] == 0x99 || it[i + 2] == 0x98) {
                    out.append(0x27); i += 3; continue
                }
                out.append(it[i]); i += 1
            }
            it = []
            return out
        }
        return norm(raw) == norm(text[s..<e])
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}
