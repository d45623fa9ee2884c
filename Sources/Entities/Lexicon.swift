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

struct Lexicon: Sendable {
    let entries: [GazetteerEntry]
    let keyIndex: [String: Int]
    let vocab: Vocabulary
    let trie: TokenTrie
    let surfaces: [Surface]
    let rawBytes: [UInt8]
    let rawOffsets: [Int32]
    let kw: Keywords
    /// Every acronym a gazetteer lists (entities and terms), and short all-capital exact names.
    let knownAcronyms: Set<String>
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
        var vocab: Vocabulary
        var trie: TokenTrie
        var surfaces: [Surface] = []
        var rawBytes: [UInt8] = []
        var rawOffsets: [Int32] = [0]
        var insertions = 0
        var toks: [Token] = []
        var norm: [UInt8] = []
        var path: [Int32] = []

        init(entries: Int) {
            vocab = Vocabulary(capacity: max(1024, entries * 4))
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
                // The scratch buffers are moved out so the closure may mutate `vocab` alone.
                var toks = self.toks, norm = self.norm
                self.toks = []
                self.norm = []
                defer { self.toks = toks; self.norm = norm }
                toks.removeAll(keepingCapacity: true)
                path.removeAll(keepingCapacity: true)
                Tokenizer.tokenize(bytes, prescan: false, into: &toks, norm: &norm) { p in self.vocab.intern(p) }
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
                    let id = norm.withUnsafeBufferPointer { vocab.intern($0) }
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

        self.entries = entries
        self.keyIndex = keyIndex
        self.vocab = vocab
        self.trie = trie
        self.surfaces = surfaces
        self.rawBytes = rawBytes
        self.rawOffsets = rawOffsets
        self.kw = kw
        self.knownAcronyms = known
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

    /// Whether the raw bytes of `surface` equal the document tokens (case-sensitive check).
    func verify(_ surface: Surface, tokens: UnsafeBufferPointer<Token>, path: [Int], text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(surface.rawCount) == path.count else { return false }
        for (k, ti) in path.enumerated() {
            let t = tokens[ti]
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
