// Topic mismatch: a cited work whose subject has nothing to do with the passage that cites it.

import AssayCore
import CByteScan
import Foundation

/// The settings of the topic screening (see `ScreeningStage` for their names and defaults).
struct TopicOptions: Sendable, Equatable {
    /// A citation whose relatedness score is below this is reported.
    var threshold = 0.35
    /// Sentences on each side of the citing sentence that count as its passage.
    var contextSentences = 1
    /// The most words on each side of the citation that count as its passage.
    var maxContextWords = 120
    /// Titles with fewer content words than this are not judged.
    var minTitleTerms = 2
    /// Weights of the three parts of the score (they are divided by their sum).
    var passageWeight = 0.35
    var articleWeight = 0.2
    var fieldWeight = 0.45
    /// How much less a word counts in the passage overlap when it is in every paragraph of the
    /// article (`human rights` in a human-rights article): 0 = no less, 1 = not at all.
    var spreadDiscount = 0.8
    /// A field with at least this share of the article's field words is one of its fields.
    var fieldMinShare = 0.1
    /// Credit for a work in a field near one of the article's (1 for one of the article's own).
    var nearFieldCredit = 0.5
    /// Keyword stuffing: the score is multiplied by (1 - penalty) when the work's title shares a
    /// generic word with the article's title that the article hardly uses elsewhere (in at most
    /// `stuffingMaxSpread` of its paragraphs) and that is not in the passage, while the passage
    /// overlap is at most `stuffingMaxPassage`. A generic word is common in general English
    /// (rarity at most `stuffingMaxRarity`), is no field word and no related term (`law` in both
    /// titles is no sign of anything; `navigating` is) and is not written as a proper noun
    /// (`Balochistan` capitalized inside a sentence-case title): a place, a name or a rare term of
    /// the subject shared with the article's title is a sign of relatedness, not of stuffing.
    /// A work whose field agreement is at least `stuffingFieldAgreement` (by default: all its
    /// field words are in the article's fields) is never penalized.
    var stuffingPenalty = 0.5
    var stuffingMaxPassage = 0.25
    var stuffingMaxSpread = 0.05
    var stuffingMaxRarity = 0.6
    var stuffingFieldAgreement = 1.0
    /// A title word that is not in the passage (or the article) but is part of a term related to
    /// one there (`related.tsv`: `missing persons` ~ `enforced disappearances`) counts this much
    /// of a shared word.
    var relatedCredit = 0.75
}

/// The parts of one citation's judgment, kept for the message and for tests.
struct TopicJudgment: Sendable {
    var citation: Int
    var references: [Int]
    var score: Double
    /// Weighted share of the title's words found in the passage.
    var passage: Double
    /// Weighted share of the title's words found anywhere in the article's text.
    var article: Double
    /// Agreement of the work's field with the article's, nil when the work names no field.
    var field: Double?
    var stuffing: [String]
    var workFields: [String]
    var citedFor: [String]
    var about: [String]
    var shared: [String]
    /// Title terms related to terms of the passage: `missing persons ~ disappearance`.
    var related: [String] = []
}

/// Scores how related each cited work is to the passage citing it and to the article, from parts
/// that explain themselves:
///
/// - **passage**: the share of the work's title words (content words after stop words and
///   stemming, each weighted by how rare it is in general English and how few of the article's
///   paragraphs use it) that occur in the citing sentence, its neighbours and its section heading;
/// - **article**: the share of the title's words (weighted by general rarity) used anywhere in the
///   article's own text (not its title, front matter or reference list);
/// - **field**: how well the fields the work's title and container (journal, proceedings) name
///   agree with the article's fields (`fields.yaml`): 1 for one of the article's fields, less for a
///   near field, 0 for a far one, 0.5 when the work names no field.
///
/// A title word missing from the passage (or the article) still counts, for less, when it is part
/// of a term related to one there (`related.tsv`: `missing persons` ~ `enforced disappearances`).
///
/// The score is their weighted mean, halved (by default) for the keyword-stuffing pattern: a title
/// that shares with the article's own title a generic word (common in English, no field word or
/// related term, not a proper noun) the article otherwise hardly uses, and little or nothing with
/// the passage, in a work whose field is not wholly the article's. A citation scoring below the
/// threshold gets a `topic-mismatch` finding.
///
/// Each citation is judged on its own passage, so a work cited several times gets one finding for
/// each citing passage it is unrelated to (and none for a passage it fits); a citation resolving to
/// several entries is judged only when they are the same work (same title), and its finding names
/// them all. References whose title was not parsed are never judged.
struct TopicScreen: Sendable {
    let vocabulary: Vocabulary
    let options: TopicOptions
    /// What the screening of earlier documents learnt about words (nil: start afresh).
    var caches: WordCache? = nil

    /// Judges every citation; also gives the article's fields, most prominent first.
    func judge(_ document: Document) -> (judgments: [TopicJudgment], articleFields: [String]) {
        judge(document, detailsBelow: .infinity)
    }

    /// Judges every citation; the words for the message (`citedFor`, `about`, `shared`, `related`,
    /// `workFields`) are found only for the judgments scoring below `detailsBelow`.
    func judge(_ document: Document, detailsBelow: Double) -> (judgments: [TopicJudgment], articleFields: [String]) {
        guard !document.citations.isEmpty, !document.references.isEmpty else { return ([], []) }
        // (the thread's words handed over, not copied: a copy kept alive would make the first
        // change to each of their tables copy it)
        var article = Article(document, vocabulary, options, words: takeWords())
        var out: [TopicJudgment] = []
        for ci in document.citations.indices {
            if let j = article.judge(ci, detailsBelow: detailsBelow) { out.append(j) }
        }
        let fields = article.fieldLabels
        caches?.give(article.words)
        return (out, fields)
    }

    /// The words learnt so far by the thread's screening (`caches ?? DocWords(vocabulary)`, without
    /// the copy of the vocabulary that the closure of `??` makes for each document).
    private func takeWords() -> DocWords {
        if let caches { return caches.take() }
        return DocWords(vocabulary)
    }

    func findings(_ document: Document) -> [Finding] {
        let (judgments, fields) = judge(document, detailsBelow: options.threshold)
        // (each judgment read in place: `filter` and `map` would copy it, a reference to each of its arrays)
        var out: [Finding] = []
        for i in judgments.indices where judgments[i].score < options.threshold {
            out.append(Finding(kind: .topicMismatch, message: message(judgments[i], document, articleFields: fields),
                               citations: [judgments[i].citation], references: judgments[i].references,
                               score: (judgments[i].score * 100).rounded(.down) / 100))
        }
        return out
    }

    func message(_ j: TopicJudgment, _ document: Document, articleFields: [String]) -> String {
        // (written as UTF-8 bytes into one buffer, made a string once: no string grown and copied
        // part by part)
        var m: [UInt8] = []
        m.reserveCapacity(512)
        let r = j.references[0]
        let authors = document.references[r].authors
        m += (authors.first?.family ?? document.string(document.citations[j.citation].span)).utf8
        if authors.count > 2 {
            m += " et al.".utf8
        } else if authors.count == 2 {
            m += " and ".utf8
            m += authors[1].family.utf8
        }
        if let y = document.references[r].year {
            m += " (".utf8
            m += y.utf8
            m += (document.references[r].yearSuffix ?? "").utf8
            m += ")".utf8
        }
        m += " is cited for '".utf8
        if j.citedFor.isEmpty { m += "this passage".utf8 } else { Self.append(j.citedFor, ", ", to: &m) }
        m += "'; the work is about '".utf8
        Self.append(j.about, ", ", to: &m)
        m += "'".utf8
        if !j.workFields.isEmpty, let f = j.field, f < 0.5 {
            m += " (".utf8
            Self.append(j.workFields, ", ", to: &m)
            m += "; this article: ".utf8
            Self.append(articleFields, ", ", to: &m)
            m += ")".utf8
        }
        if j.shared.isEmpty && j.related.isEmpty {
            m += "; it shares no term with the passage".utf8
        } else {
            m += "; the passage shares only ".utf8
            if !j.shared.isEmpty {
                m += "'".utf8
                Self.append(j.shared, ", ", to: &m)
                m += "'".utf8
                if !j.related.isEmpty { m += " and ".utf8 }
            }
            if !j.related.isEmpty {
                m += "related terms ('".utf8
                Self.append(j.related, "', '", to: &m)
                m += "')".utf8
            }
        }
        if !j.stuffing.isEmpty {
            m += ", and its title shares '".utf8
            Self.append(j.stuffing, ", ", to: &m)
            m += "' with this article's own title, which the article does not otherwise use: the work may have been chosen for the words".utf8
        }
        m += ". Check that it supports the claim.".utf8
        return String(decoding: m, as: UTF8.self)
    }

    /// Appends `parts` to `m` as `parts.joined(separator:)` writes them.
    static func append(_ parts: [String], _ separator: StaticString, to m: inout [UInt8]) {
        for (i, part) in parts.enumerated() {
            if i > 0 { m.append(contentsOf: UnsafeBufferPointer(start: separator.utf8Start, count: separator.utf8CodeUnitCount)) }
            m += part.utf8
        }
    }
}

/// The words of the documents one thread screens, interned: each distinct way a word is written
/// (its bytes) is read once (folded, keyed, its capitalization noted), and each distinct key gets a
/// dense id, so the scan of a text does one hash lookup per word and everything else is an array
/// lookup by id. What is learnt about a word is kept for the next documents (`WordCache`); the
/// counts of a document are reset lazily, when a key is first counted in the next one (`counts`
/// of stop words are never kept).
struct DocWords {
    let vocabulary: Vocabulary
    /// Word forms as written -> their key's id (low 32 bits of the payload; -1: the form folds to
    /// fewer than two letters, no word), their case (the next 2 bits: `Words.isCapitalized` + 1,
    /// 0 nil, 1 false, 2 true) and the key's `flags` (the 4 bits after), all the scan of a text
    /// needs to know about a word: one table look-up per word.
    var forms: WordInterner
    static let caseShift: UInt64 = 32, flagsShift: UInt64 = 34
    /// The vocabulary's stem ids -> ids; keys no list names -> ids.
    var idOfStem = Int32Map(capacity: 256)
    var local = KeyTable()
    // by id
    /// The scan's flags: stop word, first of a two-word field term, first of a related term, a
    /// field term on its own (and no stop word).
    var flags: [UInt8] = []
    /// What the passes over a paragraph's words read about a key, in one place: one array (one
    /// retain) for a paragraph, not one for each of these.
    struct Key {
        var rarity: Double
        /// The vocabulary's stem id, -1 when no list names the key.
        private var stem32: Int32
        /// The field term the key is on its own, -1 when none.
        var fieldTerm: Int32

        init(rarity: Double, stem: Int, fieldTerm: Int32) {
            self.rarity = rarity
            stem32 = Int32(truncatingIfNeeded: stem)
            self.fieldTerm = fieldTerm
        }

        var stem: Int { Int(stem32) }
    }
    var keys: [Key] = []
    /// What a document's text says about each key, in 16 bytes (four to a cache line).
    struct Counts {
        /// The document the counts are about (they are reset when the key is counted in another
        /// one: `start`), with `titleBit` set when the key is a word of its title (read with the
        /// counts: no table of its own to load).
        var doc: UInt32
        /// The last block that counted the key (blocks are numbered from 1 in each document).
        var lastBlock: UInt32
        /// Paragraphs of the article's text containing the key.
        var blockCount: Int32
        /// How much more often the key is written capitalized than in lower case inside a sentence
        /// of the article's text, of its title and of the titles in its reference list (titles only
        /// when in sentence case): the evidence for a proper noun.
        var capitals: Int32

        /// The counts of a key first counted in document `doc`.
        init(doc: UInt32) {
            self.doc = doc
            lastBlock = 0
            blockCount = 0
            capitals = 0
        }

        static let titleBit: UInt32 = 1 << 31
    }
    var counts: [Counts] = []
    var doc: UInt32 = 0
    var blockStamp: UInt32 = 0
    /// The words of the passage being judged: `mark[id] == stamp` (numbered across documents).
    var mark: [Int] = []
    var stamp = 0

    init(_ vocabulary: Vocabulary, capacity: Int = 1024) {
        self.vocabulary = vocabulary
        forms = WordInterner(capacity: capacity)
    }

    var count: Int { flags.count }

    /// Starts a document; forgets everything when it has learnt too many words (or numbered too
    /// many documents).
    mutating func begin() {
        if forms.count > 1 << 18 || doc == Counts.titleBit - 1 { self = DocWords(vocabulary) }
        doc += 1
        blockStamp = 0
    }

    /// Makes `counts` (a key's) those of document `doc`: counts left from another document start
    /// again from zero.
    @inline(__always)
    static func start(_ counts: UnsafeMutablePointer<Counts>, doc: UInt32) {
        if counts.pointee.doc & ~Counts.titleBit != doc { counts.pointee = Counts(doc: doc) }
    }

    /// Writes to `at` the indices of the words of `toks` that `Article.count` looks at: all but the
    /// stop words that start no related or field term (`skip`: the flags that tell them); returns
    /// how many.
    /// (Without a branch for each word: a loop passing over runs of stop words mispredicts its exit
    /// at nearly every run. Not inlined: the loop keeps its count in a register.)
    @inline(never)
    static func counted(_ toks: UnsafeBufferPointer<WordToken>, skip: UInt8, into at: UnsafeMutableBufferPointer<Int32>) -> Int {
        precondition(at.count >= toks.count)
        var m = 0
        for k in toks.indices {
            at[m] = Int32(truncatingIfNeeded: k)
            // (1 unless the masked flags are those of a stop word alone, in arithmetic: the compiler
            // makes a branch of `? 0 : 1`)
            let other = UInt32(toks[k].flags & skip ^ Vocabulary.stopFlag)  // 0...255
            m &+= Int((other &+ 0xFF) &>> 8)
        }
        return m
    }

    /// Starts the counts in this document of the content words among `tokens[from...]`.
    /// (Read through a pointer: a slice of the array would retain it.)
    mutating func start(_ tokens: [WordToken], from first: Int) {
        let doc = self.doc
        counts.withUnsafeMutableBufferPointer { counts in
            tokens.withUnsafeBufferPointer { tokens in
                for tk in tokens[first...] where !tk.stop { Self.start(counts.baseAddress! + tk.id, doc: doc) }
            }
        }
    }

    /// Appends to `out` the words of `t[from..<to]` that fold to two letters or more, in order
    /// (the words `Words.scan` finds), leaving out those overlapping one of `masks[m...]` (sorted;
    /// `m` moves on past the masks that end before a word).
    mutating func collect(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, masks: UnsafeBufferPointer<Span>,
                          m: inout Int, into out: inout [WordToken]) {
        let end = min(to, t.count)
        guard let base = t.baseAddress, max(0, from) < end else { return }
        precondition(end <= UInt32.max, "a text of 4 GB or more")  // (`WordToken` keeps 32-bit offsets)
        var i = max(0, from)
        WorkCounter.add(end - i)
        // the runs of letters (and bytes from 0x80) between ASCII bytes that are no letters come from
        // a scan of 64 bytes a step, 32 at a time; a run of ASCII letters is a word
        withUnsafeTemporaryAllocation(of: assay_letter_run.self, capacity: 32) { runs in
            // the words are gathered in a small buffer (1 KB: on the stack) and appended to `out` a
            // batch at a time, not one by one (a copy-on-write check for each word)
            withUnsafeTemporaryAllocation(of: WordToken.self, capacity: 32) { batch in
                var k = 0
                // where `masks[m]` starts (`Int.max`: no mask left), kept at hand for every word
                var maskStart = m < masks.count ? masks[m].start : Int.max
                /// Keeps the word `t[start..<wordEnd]` unless a mask overlaps it or it folds to fewer
                /// than two letters.
                @inline(__always) func add(_ start: Int, _ wordEnd: Int, ascii: Bool) {
                    // (a mask starting at or after the word's end has nothing to skip: one comparison)
                    if maskStart < wordEnd {
                        while m < masks.count, masks[m].end <= start { m += 1 }
                        maskStart = m < masks.count ? masks[m].start : Int.max
                        if maskStart < wordEnd { return }
                    }
                    let payload = form(base, start, wordEnd, count: t.count, ascii: ascii)
                    let id = Int(Int32(truncatingIfNeeded: payload))
                    guard id >= 0 else { return }
                    batch.initializeElement(at: k, to: WordToken(start: start, end: wordEnd, id: id,
                                                                 flags: UInt8(truncatingIfNeeded: payload >> Self.flagsShift) & 0xF,
                                                                 wordCase: Int8(truncatingIfNeeded: (payload >> Self.caseShift) & 3) - 1))
                    k += 1
                    if k == batch.count {
                        out.append(contentsOf: batch)
                        k = 0
                    }
                }
                scan: while i < end {
                    var next = 0
                    let n = assay_letter_runs(base, i, end, runs.baseAddress!, runs.count, &next)
                    i = next
                    for r in UnsafeMutableBufferPointer(rebasing: runs[..<n]) {
                        let runEnd = Int(r.end)
                        if r.nonASCII == 0 {
                            if runEnd - Int(r.start) >= 2 { add(Int(r.start), runEnd, ascii: true) }
                            continue
                        }
                        // a byte from 0x80: the run's scalars one by one (`’` ends a word, `é` is a letter)
                        var j = Int(r.start)
                        while j < runEnd {
                            let start = j
                            let (wordEnd, ascii) = Self.word(t, at: &j, end)
                            if wordEnd > start, !ascii || wordEnd - start >= 2 { add(start, wordEnd, ascii: ascii) }
                        }
                        // (only a stray UTF-8 lead byte reads past a run: the scan goes on after it)
                        if j > runEnd {
                            i = j
                            continue scan
                        }
                    }
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: batch[..<k]))
            }
        }
    }

    /// The word starting at `j` in `t[..<end]`, scalar by scalar (the slow way, for text with bytes
    /// from 0x80): its end (`j` itself when the scalar there is no letter) and whether it is all ASCII;
    /// `j` moves past it (or past the scalar that is no letter). (Not inlined: the scan of the ASCII
    /// runs keeps its registers.)
    @inline(never)
    static func word(_ t: UnsafeBufferPointer<UInt8>, at j: inout Int, _ end: Int) -> (end: Int, ascii: Bool) {
        let start = j
        var ascii = true
        if t[j] < 0x80 {
            j += 1
        } else {
            let (scalar, length) = Words.decode(t, j, end)
            j += length
            if !Words.isLetter(scalar) { return (start, true) }
            ascii = false
        }
        while j < end {
            let c = t[j]
            if c < 0x80 {
                if Words.isASCIILetter(c) { j += 1; continue }
                break
            }
            let (scalar, length) = Words.decode(t, j, end)
            guard Words.isLetter(scalar) else { break }
            ascii = false
            j += length
        }
        return (j, ascii)
    }

    /// Appends to `out` the words of a short text (a title), all of them: `text[from..<to]`, and
    /// starts their counts in this document.
    mutating func collect(_ text: [UInt8], _ from: Int, _ to: Int, into out: inout [WordToken]) {
        var m = 0
        let first = out.count
        text.withUnsafeBufferPointer { t in
            collect(t, from, to, masks: UnsafeBufferPointer(start: nil, count: 0), m: &m, into: &out)
        }
        start(out, from: first)
    }

    /// The payload of a word form (its key's id and its case), read when the form is new.
    /// (`count`: the text's length, how far past the word its bytes may be read.)
    @inline(__always)
    mutating func form(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, count: Int, ascii: Bool) -> UInt64 {
        if let payload = forms.payload(base + start, end - start, readable: count - start) { return payload }
        return addForm(UnsafeBufferPointer(start: base + start, count: end - start), ascii: ascii)
    }


    @inline(never)
    mutating func addForm(_ w: UnsafeBufferPointer<UInt8>, ascii: Bool) -> UInt64 {
        let wordCase: Int8
        let id: Int
        if ascii {
            // letters only: capitalized when the first is upper case, and any is lower case
            var hasLower = false
            for b in w where b >= 0x61 { hasLower = true; break }
            wordCase = hasLower ? (w[0] <= 0x5A ? 1 : 0) : -1
            id = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: w.count) { folded -> Int in
                for k in 0..<w.count { folded[k] = w[k] | 0x20 }
                return intern(UnsafeBufferPointer(folded))
            }
        } else {
            let c = Words.isCapitalized(w, 0, w.count)
            wordCase = c.map { $0 ? 1 : 0 } ?? -1
            let folded = Words.fold(Array(w))
            id = folded.count >= 2 ? folded.withUnsafeBufferPointer { intern($0) } : -1
        }
        var payload = UInt64(UInt32(bitPattern: Int32(id))) | UInt64(wordCase + 1) << Self.caseShift
        if id >= 0 { payload |= UInt64(flags[id]) << Self.flagsShift }
        forms.insert(w.baseAddress!, w.count, payload: payload)
        return payload
    }

    /// The id of a folded word's key; each different word is keyed once per document.
    mutating func intern(_ folded: UnsafeBufferPointer<UInt8>) -> Int {
        let n = folded.count
        if n >= 3, !Words.isASCII(folded) || vocabulary.mayBeVariant(folded.baseAddress!, n) {
            // (may be a variant: the general keying)
            return vocabulary.keyBytes(Array(folded)).withUnsafeBufferPointer { intern(key: $0) }
        }
        // the word's stem, made in a buffer of its own
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, n)) { k in
            _ = k.initialize(from: folded)
            let m = Stemmer.stem(inPlace: UnsafeMutableBufferPointer(rebasing: k[0..<n]))
            return intern(key: UnsafeBufferPointer(rebasing: k[0..<m]))
        }
    }

    /// The id of a key (a stem).
    private mutating func intern(key k: UnsafeBufferPointer<UInt8>) -> Int {
        if let g = vocabulary.stems.find(k) { return id(ofStem: g, short: k.count < 2) }
        if let d = local.find(k) { return Int(d) }
        let d = add(stem: -1, stop: k.count < 2, rarity: vocabulary.unseenRarity, fieldTerm: -1, flags: 0)
        local.add(Array(k), Int32(d))
        return d
    }

    private mutating func id(ofStem g: Int32, short: Bool) -> Int {
        if let d = idOfStem[g] { return Int(d) }
        let info = vocabulary.stemInfo[Int(g)]
        let stop = short || info.flags & Vocabulary.stopFlag != 0
        let d = add(stem: Int(g), stop: stop, rarity: info.rarity, fieldTerm: info.fieldTerm, flags: info.flags)
        idOfStem.insert(g, Int32(d))
        return d
    }

    private mutating func add(stem g: Int, stop: Bool, rarity r: Double, fieldTerm: Int32, flags f: UInt8) -> Int {
        let d = flags.count
        keys.append(Key(rarity: r, stem: g, fieldTerm: fieldTerm))
        var flags = f & (Vocabulary.bigramHeadFlag | Vocabulary.relatedFirstFlag)
        if stop { flags |= Vocabulary.stopFlag }
        if !stop, fieldTerm >= 0 { flags |= DocWords.singleFieldFlag }
        self.flags.append(flags)
        counts.append(Counts(doc: 0))
        mark.append(0)
        return d
    }

    static let singleFieldFlag: UInt8 = 8

    /// The field term the key `id` is on its own, -1 when none.
    @inline(__always) func fieldTerm(_ id: Int) -> Int32 { keys[id].fieldTerm }
}

/// One document prepared for judging its citations: its text words, paragraphs, headings, field
/// profile and title, computed once.
/// The `DocWords` of the threads that screen documents: a thread takes one for a document and gives
/// it back after.
final class WordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [DocWords] = []
    let vocabulary: Vocabulary

    init(_ vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    func take() -> DocWords {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? DocWords(vocabulary)
    }

    func give(_ words: consuming DocWords) {
        lock.lock()
        defer { lock.unlock() }
        if free.count < 64 { free.append(words) }
    }
}

/// A word of the text: where it is, its key's id and flags, its form.
struct WordToken {
    // (16 bytes: offsets and ids of 32 bits; `collect` reads no text of 4 GB or more)
    private var start32: UInt32
    private var end32: UInt32
    private var id32: Int32
    /// The key's `DocWords.flags` (carried here: the passes over the words need not look them up).
    var flags: UInt8
    /// How the word is written (`Words.isCapitalized`: -1 nil, 0 false, 1 true).
    var wordCase: Int8

    init(start: Int, end: Int, id: Int, flags: UInt8, wordCase: Int8) {
        start32 = UInt32(truncatingIfNeeded: start)
        end32 = UInt32(truncatingIfNeeded: end)
        id32 = Int32(truncatingIfNeeded: id)
        self.flags = flags
        self.wordCase = wordCase
    }

    var start: Int { Int(start32) }
    var end: Int { Int(end32) }
    var id: Int { Int(id32) }
    var stop: Bool { flags & Vocabulary.stopFlag != 0 }
}

private struct Article {
    typealias Token = WordToken
    struct TextBlock {
        var span: Span
        /// The words, kept only for the blocks in which a citation starts.
        var tokens: [Token]
        /// Where its sentences start (in `Article.sentenceStartOffsets`), once found.
        var sentences: Range<Int>?
        /// Its related terms as `relatedMatches` gives them for all its words (in
        /// `Article.blockMatches`), kept with the words.
        var matches: Range<Int> = 0..<0
    }
    /// A reference's title (bytes, words) and container words, and what its judgments share: ranges
    /// of the flat arrays of `Titles`.
    struct Work {
        /// In `bytes` (the title's words' offsets are in `bytes` too).
        var title: Range<Int>
        /// In `tokens` and `covered`.
        var tokens: Range<Int>
        /// In `containerIDs`.
        var container: Range<Int>
        var analyzed = false
        /// The title's content words (distinct, in order) and each one's weight in the passage
        /// overlap (in `termIDs` and `weights`), and their sum.
        var terms: Range<Int> = 0..<0
        var passageAll = 0.0
        /// The article part of the score, the field agreement and the work's fields (in `fieldNames`).
        var article = 0.0
        var field: Double?
        var workFields: Range<Int> = 0..<0
        /// The related terms in the title (in `matches`, `at` counted from the title's first word)
        /// and the terms covering each word (in `termsOf`, sorted by word).
        var matches: Range<Int> = 0..<0
        var termsOf: Range<Int> = 0..<0
    }
    /// The titles and containers of the reference list and what `analyze` finds in them, in flat
    /// arrays that `Work` ranges index (no arrays of their own per reference).
    struct Titles {
        var bytes: [UInt8] = []
        var tokens: [Token] = []
        /// By title word: whether a related term covers it.
        var covered: [Bool] = []
        /// By title word: whether it is the first of its content word in the title (set by `analyze`).
        var firstOfWord: [Bool] = []
        var containerIDs: [Int] = []
        var termIDs: [Int] = []
        var weights: [Double] = []
        var fieldNames: [String] = []
        var matches: [(at: Int, count: Int, term: Int)] = []
        var termsOf: [(id: Int, term: Int)] = []

        /// False when the titles of works `a` and `b` are in ASCII and differ in the keys of their
        /// words, so that `Words.words(of:)` cannot give the same words for both; true otherwise.
        func sameKeys(_ a: Work, _ b: Work) -> Bool {
            guard a.tokens.count == b.tokens.count else { return !(isASCII(a) && isASCII(b)) }
            for (x, y) in zip(a.tokens, b.tokens) where tokens[x].id != tokens[y].id { return !(isASCII(a) && isASCII(b)) }
            return true
        }

        private func isASCII(_ w: Work) -> Bool {
            bytes.withUnsafeBufferPointer { Words.isASCII(UnsafeBufferPointer(rebasing: $0[w.title])) }
        }

        /// The related terms covering the title word `id` of work `w` (their range in `termsOf`).
        func relatedTerms(_ w: Work, _ id: Int) -> Range<Int> {
            var lo = w.termsOf.lowerBound
            var hi = w.termsOf.upperBound
            while lo < hi {
                let mid = (lo + hi) / 2
                if termsOf[mid].id < id { lo = mid + 1 } else { hi = mid }
            }
            var end = lo
            while end < w.termsOf.upperBound, termsOf[end].id == id { end += 1 }
            return lo..<end
        }
    }

    let document: Document
    let vocabulary: Vocabulary
    let options: TopicOptions
    var words: DocWords
    /// Each reference's title and container, read once.
    var works: [Work?]
    var titles: Titles
    /// The field mass of the work being analyzed (reused).
    var workMass: [Double]
    /// Each reference's title folded to words (for telling whether two entries are one work).
    var titleWords: [Int: [String]] = [:]
    var blocks: [TextBlock] = []
    /// The sentence starts of the blocks judged so far, block after block (`TextBlock.sentences`):
    /// one array for all, none per block.
    var sentenceStartOffsets: [Int] = []
    /// The related terms (`related.tsv`) in each of `blocks`, each once: those of block `b` are
    /// `blockTerms[blockTermStarts[b]..<blockTermStarts[b + 1]]`.
    var blockTerms: [Int] = []
    var blockTermStarts: [Int] = [0]
    /// By related term: whether it is anywhere in the article's text.
    var isArticleTerm: [Bool]
    /// By related term: the share of the paragraphs with it or a term related to it (-1: not yet
    /// counted).
    var termSpreads: [Double]
    /// By related term: `passageStamp` when it is in the passage being judged; `termStamp` when
    /// it is among the terms being counted (`termSpread`).
    var passageMark: [Int]
    var passageStamp = 0
    var termMark: [Int]
    var termStamp = 0
    /// The related terms of the blocks (those of a block that keeps its words: `TextBlock.matches`):
    /// a passage's are those within it, not looked for again for each citation.
    var blockMatches: [(at: Int, count: Int, term: Int)] = []
    var headings: [(start: Int, ids: [Int], terms: [Int])] = []
    var fieldShare: [Double] = []
    var articleFields: Set<Int> = []
    /// By field: whether it is one of `articleFields` (read for each work: no hashing).
    var isArticleField: [Bool] = []

    init(_ document: Document, _ vocabulary: Vocabulary, _ options: TopicOptions, words taken: consuming DocWords) {
        let text = document.textBytes

        // what is not the article's own text: title, front matter, the reference list
        var spans: [Span] = document.sections.filter { [.title, .frontMatter, .references].contains($0.kind) }.map(\.span)
        spans += document.references.map(\.span)
        spans.sort()
        var excluded: [Span] = []  // disjoint, sorted
        for s in spans {
            if let last = excluded.last, s.start <= last.end { excluded[excluded.count - 1].end = max(last.end, s.end) } else { excluded.append(s) }
        }
        func isExcluded(_ s: Span) -> Bool {
            var lo = 0, hi = excluded.count  // first interval ending after s.start
            while lo < hi {
                let mid = (lo + hi) / 2
                if excluded[mid].end <= s.start { lo = mid + 1 } else { hi = mid }
            }
            return lo < excluded.count && excluded[lo].overlaps(s)
        }

        // citations are not words of the passage: mask each with its enclosing brackets
        var masks: [Span] = document.citations.map { Self.enclosing($0.span, text) }
        masks.sort()
        // the blocks in which a citation starts keep their words for judging it
        let citationStarts = document.citations.map(\.span.start).sorted()
        func hasCitationStart(_ s: Span) -> Bool {
            var lo = 0, hi = citationStarts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if citationStarts[mid] < s.start { lo = mid + 1 } else { hi = mid }
            }
            return lo < citationStarts.count && citationStarts[lo] < s.end
        }

        // (moved in and stored, not copied: a copy would be one more reference to each of its tables)
        var words = consume taken
        words.begin()
        // the article's own title, read first: only its words are ever asked whether they are
        // proper nouns (`isProperNoun`, for the keyword-stuffing check), so the text's words count
        // their capitalization only when marked with `Counts.titleBit`
        let titleBytes = document.title.map { Array($0.utf8) } ?? []
        var titleTokens: [Token] = []
        words.collect(titleBytes, 0, titleBytes.count, into: &titleTokens)
        for tk in titleTokens where !tk.stop { words.counts[tk.id].doc |= DocWords.Counts.titleBit }
        var blocks: [TextBlock] = []
        let termCount = vocabulary.related.count
        var isArticleTerm = [Bool](repeating: false, count: termCount)
        var termMark = [Int](repeating: 0, count: termCount)
        var termStamp = 0
        // the related terms of every block, block after block (each block's from `matchStart`)
        var matches: [(at: Int, count: Int, term: Int)] = []
        var blockTerms: [Int] = []
        var blockTermStarts = [0]
        var headings: [(start: Int, ids: [Int], terms: [Int])] = []
        var fieldMass = [Double](repeating: 0, count: vocabulary.fields.count)
        var maskIndex = 0
        var scratch: [Token] = []
        var contentAt: [Int32] = []  // (`count`'s)
        // the blocks in text order (ingest gives them so: sorted only when they are not)
        let parts = document.blocks
        var order = Array(parts.indices)
        if !(parts.indices.dropFirst().allSatisfy { !(parts[$0].span < parts[$0 - 1].span) }) {
            order.sort { parts[$0].span < parts[$1].span }
        }
        text.withUnsafeBufferPointer { t in
            for bi in order {
                let block = document.blocks[bi]
                if block.kind == .title || isExcluded(block.span) { continue }
                while maskIndex < masks.count, masks[maskIndex].end <= block.span.start { maskIndex += 1 }
                var m = maskIndex
                scratch.removeAll(keepingCapacity: true)
                masks.withUnsafeBufferPointer { masks in
                    words.collect(t, block.span.start, block.span.end, masks: masks, m: &m, into: &scratch)
                }
                let matchStart = matches.count
                words.blockStamp += 1
                let blockStamp = words.blockStamp
                if block.kind == .heading {
                    // (a paragraph's related terms are found by `count`, in its one pass over the words)
                    Self.relatedMatches(scratch, 0..<scratch.count, words, vocabulary, into: &matches)
                    var ids: [Int] = []
                    let doc = words.doc
                    words.counts.withUnsafeMutableBufferPointer { counts in
                        for tk in scratch where !tk.stop {
                            let c = counts.baseAddress! + tk.id
                            DocWords.start(c, doc: doc)
                            if c.pointee.lastBlock != blockStamp {
                                c.pointee.lastBlock = blockStamp
                                ids.append(tk.id)
                            }
                        }
                    }
                    var terms: [Int] = []
                    Self.distinctTerms(matches, from: matchStart, &termMark, &termStamp, into: &terms)
                    headings.append((block.span.start, ids, terms))
                    continue
                }
                Self.count(scratch, in: t, block.span, stamp: blockStamp, &words, vocabulary,
                           fields: &fieldMass, related: &matches, scratch: &contentAt)
                if hasCitationStart(block.span) {
                    blocks.append(TextBlock(span: block.span, tokens: scratch, matches: matchStart..<matches.count))
                } else {
                    blocks.append(TextBlock(span: block.span, tokens: []))
                }
                let first = blockTerms.count
                Self.distinctTerms(matches, from: matchStart, &termMark, &termStamp, into: &blockTerms)
                for t in blockTerms[first...] { isArticleTerm[t] = true }
                blockTermStarts.append(blockTerms.count)
            }
        }

        // the article's own title: its words (marked in their counts: `Counts.titleBit`), and its field
        // (counted three times, after the text's)
        if document.title != nil {
            Self.countCapitalization(titleTokens[...], titleBytes, from: 0, into: &words)
            Self.addFields(titleTokens.lazy.map { $0.id }, weight: 3, distinct: false, words, vocabulary, into: &fieldMass)
        }
        // and the titles of the reference list: how each word is written is evidence for every citation
        var works = [Work?](repeating: nil, count: document.references.count)
        var titles = Titles()
        for r in document.references.indices {
            // (the two strings, not the whole reference, copied out)
            guard let title = document.references[r].title else { continue }
            let w = Self.work(&words, title, container: document.references[r].container, into: &titles)
            works[r] = w
            Self.countCapitalization(titles.tokens[w.tokens], titles.bytes, from: w.title.lowerBound, into: &words)
        }
        titles.covered = [Bool](repeating: false, count: titles.tokens.count)
        titles.firstOfWord = titles.covered
        // (room for the content words of all titles, at most one a word: `analyze` appends without
        // growing them)
        titles.termIDs.reserveCapacity(titles.tokens.count)
        titles.weights.reserveCapacity(titles.tokens.count)
        self.words = consume words
        self.works = works
        self.titles = titles
        workMass = [Double](repeating: 0, count: vocabulary.fields.count)
        self.isArticleTerm = isArticleTerm
        self.termMark = termMark
        self.termStamp = termStamp
        self.blockMatches = matches
        termSpreads = [Double](repeating: -1, count: termCount)
        passageMark = [Int](repeating: 0, count: termCount)
        let total = fieldMass.reduce(0, +)
        // (in locals: a closure reading a property here would capture the whole article)
        let share = total > 0 ? fieldMass.map { $0 / total } : fieldMass
        var articleFields = Set<Int>()
        if total > 0 {
            for (f, s) in share.enumerated() where s >= options.fieldMinShare { articleFields.insert(f) }
            if let top = share.indices.max(by: { share[$0] < share[$1] }) { articleFields.insert(top) }
        }
        fieldShare = share
        self.articleFields = articleFields
        isArticleField = share.indices.map { articleFields.contains($0) }
        self.blocks = blocks
        self.blockTerms = blockTerms
        self.blockTermStarts = blockTermStarts
        self.headings = headings
        // (the arguments stored last, after their last use: stored first, the document and the
        // vocabulary were copied, a reference to each of their arrays)
        self.document = document
        self.vocabulary = vocabulary
        self.options = options
    }

    /// The article's fields, most prominent first, as findings name them.
    var fieldLabels: [String] {
        // (closures that read `self` would copy the whole article for each comparison)
        let share = fieldShare, fields = vocabulary.fields
        return articleFields.sorted { share[$0] > share[$1] }.map { fields[$0].label }
    }

    /// A citation's span widened to the brackets around it (`(Kai, et. Al 2020)`), when it is in
    /// brackets on one line.
    static func enclosing(_ s: Span, _ text: [UInt8]) -> Span {
        var a = s.start
        var lo = s.start
        var found = false
        while a > 0, s.start - a < 300 {
            let b = text[a - 1]
            if b == 0x28 || b == 0x5B { lo = a - 1; found = true; break }
            if b == 0x29 || b == 0x5D || b == 0x0A { break }
            a -= 1
        }
        guard found else { return s }
        var e = s.end
        while e < text.count, e - s.end < 300 {
            let b = text[e]
            if b == 0x29 || b == 0x5D { return Span(lo, e + 1) }
            if b == 0x28 || b == 0x5B || b == 0x0A { break }
            e += 1
        }
        return s
    }

    /// Adds the field words among `ids` to `mass`: a pair of adjacent stems that is a field term
    /// (`human rights`) counts instead of its two words, a single stem counts unless it is a stop
    /// word. Each occurrence (or, when `distinct`, each different term) adds `weight` times the
    /// term's rarity (a rare word such as `psychiatry` says more about a field than `rights`),
    /// split among the term's fields.
    static func addFields<C: RandomAccessCollection>(_ ids: C, weight: Double, distinct: Bool, _ words: DocWords,
                                                     _ vocabulary: Vocabulary, into mass: inout [Double])
    where C.Element == Int, C.Index == Int {
        guard !vocabulary.fieldTerms.isEmpty else { return }
        let n = ids.count
        // the terms added, when `distinct` (at most one a word), in a buffer on the stack: no array
        // grown for each title
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: distinct ? n : 0) { seen in
            var seenCount = 0
            func add(_ term: Int32, _ rarity: Double) {
                if distinct {
                    if seen[..<seenCount].contains(term) { return }
                    seen.initializeElement(at: seenCount, to: term)
                    seenCount += 1
                }
                let fs = vocabulary.fieldTermFields[Int(term)]
                for f in fs { mass[f] += weight * rarity / Double(fs.count) }
            }
            let first = ids.startIndex
            var i = 0
            while i < n {
                let id = ids[first + i]
                let f = words.flags[id]
                if f & (Vocabulary.bigramHeadFlag | DocWords.singleFieldFlag) == 0 {
                    i += 1
                    continue
                }
                if f & Vocabulary.bigramHeadFlag != 0, i + 1 < n {
                    let next = ids[first + i + 1]
                    let h = words.keys[next].stem
                    if h >= 0, let term = vocabulary.pairFieldTerm(words.keys[id].stem, h) {
                        add(term, max(words.keys[id].rarity, words.keys[next].rarity))
                        i += 2
                        continue
                    }
                }
                if f & DocWords.singleFieldFlag != 0 { add(words.keys[id].fieldTerm, words.keys[id].rarity) }
                i += 1
            }
        }
    }

    /// Counts the words of a paragraph of the article's text (`tokens`, of `t[span]`, the block
    /// numbered `stamp`) in `words`: the paragraphs with each content word and, for the words of
    /// the article's title (`Counts.titleBit`), how it is written inside a sentence;
    /// adds the paragraph's field words to `mass` as `addFields` does (each occurrence with
    /// weight 1); and appends its related terms to `related` as `relatedMatches` does. One pass
    /// over the words for all three. (`at`: room for the indices of the words it looks at, grown
    /// as needed and kept by the caller for the next paragraph.)
    static func count(_ tokens: [WordToken], in t: UnsafeBufferPointer<UInt8>, _ span: Span, stamp: UInt32,
                      _ words: inout DocWords, _ vocabulary: Vocabulary, fields mass: inout [Double],
                      related: inout [(at: Int, count: Int, term: Int)], scratch at: inout [Int32]) {
        let doc = words.doc
        let keys = words.keys
        let titleDoc = doc | DocWords.Counts.titleBit
        let fieldFlags = vocabulary.fieldTerms.isEmpty ? 0 : Vocabulary.bigramHeadFlag | DocWords.singleFieldFlag
        let relatedFlag = vocabulary.relatedMaxWords > 0 ? Vocabulary.relatedFirstFlag : 0
        let maxWords = min(3, vocabulary.relatedMaxWords)
        let skip = Vocabulary.stopFlag | relatedFlag | fieldFlags
        var fieldFrom = 0  // (the second word of a two-word field term does not count on its own)
        // (the masses through a pointer and each term's fields borrowed: no copy-on-write check and
        // no retain for each field word)
        let termFields = vocabulary.fieldTermFields
        mass.withUnsafeMutableBufferPointer { mass in
            func add(_ term: Int32, _ rarity: Double) {
                termFields[Int(term)].withUnsafeBufferPointer { fs in
                    for f in fs { mass[f] += 1 * rarity / Double(fs.count) }
                }
            }
            if at.count < tokens.count { at = [Int32](repeating: 0, count: tokens.count) }
            // (the tables read for every word through pointers: no bounds check, the ids are theirs)
            tokens.withUnsafeBufferPointer { toks in
                words.counts.withUnsafeMutableBufferPointer { counts in
                    keys.withUnsafeBufferPointer { keys in
                        at.withUnsafeMutableBufferPointer { at in
                            let counts = counts.baseAddress!
                            // (a stop word that starts no related or field term, the usual one, has nothing
                            // to count: the others are listed first)
                            let m = DocWords.counted(toks, skip: skip, into: at)
                            for j in 0..<m {
                                let k = Int(at[j])
                                let tk = toks[k]
                                if !tk.stop {
                                    let c = counts + tk.id
                                    DocWords.start(c, doc: doc)
                                    // (without a branch: whether a key was counted before in this block follows
                                    // no pattern the processor learns)
                                    c.pointee.blockCount += c.pointee.lastBlock != stamp ? 1 : 0
                                    c.pointee.lastBlock = stamp
                                    if c.pointee.doc == titleDoc, tk.wordCase >= 0, !startsSentence(tk.start, t, from: span.start) {
                                        c.pointee.capitals += tk.wordCase > 0 ? 1 : -1
                                    }
                                }
                                let f = tk.flags
                                if f & relatedFlag != 0 {
                                    relatedMatches(at: k, toks, 0..<toks.count, keys: keys, maxWords: maxWords, vocabulary,
                                                   into: &related)
                                }
                                guard f & fieldFlags != 0, k >= fieldFrom else { continue }
                                if f & Vocabulary.bigramHeadFlag != 0, k + 1 < toks.count {
                                    let next = toks[k + 1].id
                                    let h = keys[next].stem
                                    if h >= 0, let term = vocabulary.pairFieldTerm(keys[tk.id].stem, h) {
                                        add(term, max(keys[tk.id].rarity, keys[next].rarity))
                                        fieldFrom = k + 2
                                        continue
                                    }
                                }
                                if f & DocWords.singleFieldFlag != 0 { add(keys[tk.id].fieldTerm, keys[tk.id].rarity) }
                            }
                        }
                    }
                }
            }
        }
    }

    // (`blockIndex`, `headingIndex` and `Titles.relatedTerms` are called from the mutating
    // `judge` and `analyze`: a method of the article itself would be handed a copy of all of it)

    /// Index of the block of `blocks` containing `offset`.
    static func blockIndex(_ blocks: [TextBlock], _ offset: Int) -> Int? {
        var lo = 0, hi = blocks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if blocks[mid].span.start <= offset { lo = mid + 1 } else { hi = mid }
        }
        let k = lo - 1
        return k >= 0 && blocks[k].span.start <= offset && offset < blocks[k].span.end ? k : nil
    }

    /// Where the sentences of a block start: after `.`, `?` or `!` (and closing quotes or
    /// brackets) followed by white space and a capital, a digit or an opening bracket or quote,
    /// unless the full stop ends an initial or a listed abbreviation; and after each line break.
    /// (Their range in `sentenceStartOffsets`.)
    mutating func sentenceStarts(_ b: Int) -> Range<Int> {
        if let r = blocks[b].sentences { return r }
        let first = sentenceStartOffsets.count
        Self.sentenceStarts(document.textBytes, blocks[b].span, vocabulary, into: &sentenceStartOffsets)
        let r = first..<sentenceStartOffsets.count
        blocks[b].sentences = r
        return r
    }

    /// The sentence starts of `bytes[span]`, appended to `starts`.
    static func sentenceStarts(_ bytes: [UInt8], _ span: Span, _ vocabulary: Vocabulary, into starts: inout [Int]) {
        bytes.withUnsafeBufferPointer { text in
            starts.append(span.start)
            var i = span.start
            let base = text.baseAddress!
            while i < span.end {
                // on to the next line break, `.`, `?` or `!` (C, 32 bytes a step)
                i += assay_first_of(base + i, span.end - i, 0x21_3F_2E_0A, 4)
                guard i < span.end else { break }
                let c = text[i]
                if c == 0x0A {
                    if i + 1 < span.end { starts.append(i + 1) }
                } else if c == 0x2E || c == 0x3F || c == 0x21 {
                    var j = i + 1
                    while j < span.end {
                        let x = text[j]
                        guard x == 0x29 || x == 0x5D || x == 0x22 || x == 0x27 else { break }
                        j += 1
                    }
                    if j < span.end, text[j] == 0xE2, j + 2 < span.end, text[j + 1] == 0x80, text[j + 2] == 0x9D || text[j + 2] == 0x99 { j += 3 }
                    var k = j
                    while k < span.end, text[k] == 0x20 || text[k] == 0x09 { k += 1 }
                    if k > j, k < span.end {
                        let n = text[k]
                        let opens = (n >= 0x41 && n <= 0x5A) || (n >= 0x30 && n <= 0x39) || n == 0x28 || n == 0x5B || n == 0x22 || n >= 0xC0
                        if opens, c != 0x2E || !endsAbbreviation(text, i, span.start, vocabulary) { starts.append(k) }
                    }
                }
                i += 1
            }
        }
    }

    /// Whether the full stop at `dot` ends an initial (`A.`) or a listed abbreviation (`et.`, `pp.`).
    static func endsAbbreviation(_ text: UnsafeBufferPointer<UInt8>, _ dot: Int, _ floor: Int, _ vocabulary: Vocabulary) -> Bool {
        var a = dot
        while a > floor, Words.isASCIILetter(text[a - 1]) || text[a - 1] == 0x2E || text[a - 1] == 0x27 { a -= 1 }
        guard a < dot else { return false }
        if dot - a == 1 { return true }
        if dot - a > vocabulary.abbreviationMaxLength { return false }
        // (ASCII letters, full stops and apostrophes: its lower case is the letters' ASCII one)
        return vocabulary.abbreviationSet.contains(ascii: text, a, dot)
    }

    /// The heading (of `headings`) of the section a position is in.
    static func headingIndex(_ headings: [(start: Int, ids: [Int], terms: [Int])], before offset: Int) -> Int? {
        var lo = 0, hi = headings.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if headings[mid].start <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }

    /// The related terms (`related.tsv`) among the words `tokens[range]` (in text order, stop
    /// words included), as (first word, relative to the range, word count, term): every term that
    /// occurs, so `enforced disappearances` gives both `enforced disappearance` and
    /// `disappearance`. A one-word term is never a stop word.
    static func relatedMatches(_ tokens: [Token], _ range: Range<Int>, _ words: DocWords,
                               _ vocabulary: Vocabulary) -> [(at: Int, count: Int, term: Int)] {
        var out: [(at: Int, count: Int, term: Int)] = []
        relatedMatches(tokens, range, words, vocabulary, into: &out)
        return out
    }

    /// `relatedMatches`, appended to `out`.
    static func relatedMatches(_ tokens: [Token], _ range: Range<Int>, _ words: DocWords,
                               _ vocabulary: Vocabulary, into out: inout [(at: Int, count: Int, term: Int)]) {
        let maxWords = min(3, vocabulary.relatedMaxWords)
        guard maxWords > 0 else { return }
        tokens.withUnsafeBufferPointer { tokens in
            words.keys.withUnsafeBufferPointer { keys in
                for i in range where tokens[i].flags & Vocabulary.relatedFirstFlag != 0 {
                    relatedMatches(at: i, tokens, range, keys: keys, maxWords: maxWords, vocabulary, into: &out)
                }
            }
        }
    }

    /// The related terms starting at the word `i` of `tokens[range]` (a first word of a related
    /// term), appended to `out` as `relatedMatches` gives them. (`keys`: `DocWords.keys`;
    /// `maxWords`: the most words to look at, 1 to 3.)
    @inline(__always)
    static func relatedMatches(at i: Int, _ tokens: UnsafeBufferPointer<Token>, _ range: Range<Int>,
                               keys: UnsafeBufferPointer<DocWords.Key>, maxWords: Int, _ vocabulary: Vocabulary,
                               into out: inout [(at: Int, count: Int, term: Int)]) {
        let g = keys[tokens[i].id].stem
        var b = -1, c = -1
        for n in 1...min(maxWords, range.upperBound - i) {
            if n == 2 {
                b = keys[tokens[i + 1].id].stem
                if b < 0 { break }
            } else if n == 3 {
                c = keys[tokens[i + 2].id].stem
                if c < 0 { break }
            }
            if n == 1, tokens[i].stop { continue }
            if let t = vocabulary.relatedSequence(g, b, c) { out.append((i - range.lowerBound, n, t)) }
        }
    }

    /// Appends to `terms` the terms of `matches[first...]`, each once (`mark[term] == stamp` once
    /// added).
    static func distinctTerms(_ matches: [(at: Int, count: Int, term: Int)], from first: Int, _ mark: inout [Int],
                              _ stamp: inout Int, into terms: inout [Int]) {
        guard first < matches.count else { return }
        stamp += 1
        for i in first..<matches.count where mark[matches[i].term] != stamp {
            mark[matches[i].term] = stamp
            terms.append(matches[i].term)
        }
    }

    /// Share of the article's paragraphs that use the related term `t` or a term related to it.
    mutating func termSpread(_ t: Int) -> Double {
        if termSpreads[t] >= 0 { return termSpreads[t] }
        guard !blocks.isEmpty else { return 0 }
        WorkCounter.add(blocks.count)
        termStamp += 1
        termMark[t] = termStamp
        for r in vocabulary.related[t] { termMark[r] = termStamp }
        var n = 0
        for b in blocks.indices {
            for k in blockTermStarts[b]..<blockTermStarts[b + 1] where termMark[blockTerms[k]] == termStamp {
                n += 1
                break
            }
        }
        let s = Double(n) / Double(blocks.count)
        termSpreads[t] = s
        return s
    }

    /// Whether the word at `start` begins a sentence: nothing but spaces, quotes and brackets
    /// between it and the start of its block or a `.`, `?`, `!` or `:`.
    static func startsSentence(_ start: Int, _ text: UnsafeBufferPointer<UInt8>, from lo: Int) -> Bool {
        var i = start
        while i > lo {
            let b = text[i - 1]
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D, 0x22, 0x27, 0x28, 0x5B, 0xE2, 0x80, 0x98, 0x9C: i -= 1
            case 0x2E, 0x3F, 0x21, 0x3A: return true
            default: return false
            }
        }
        return true
    }

    /// Counts the capitalization of a title's content words inside its sentences (not the first
    /// word, nor one after `:`, nor one after a hyphen, nor one in capitals only) in `words`, when
    /// the title is in sentence case: at least one such word in lower case. In a title-case or
    /// all-capitals title capitals say nothing. (`text`: the title's words' offsets are in it; the
    /// title starts at `from`.)
    static func countCapitalization(_ tokens: ArraySlice<Token>, _ text: [UInt8], from: Int, into words: inout DocWords) {
        text.withUnsafeBufferPointer { t in
            func inner(_ tk: Token) -> Bool {
                !tk.stop && tk.wordCase >= 0 && !startsSentence(tk.start, t, from: from) && !(tk.start > from && t[tk.start - 1] == 0x2D)
            }
            guard tokens.contains(where: { $0.wordCase == 0 && inner($0) }) else { return }
            for tk in tokens where inner(tk) {
                words.counts[tk.id].capitals += tk.wordCase > 0 ? 1 : -1
            }
        }
    }

    /// Whether a word is written as a proper noun: capitalized inside sentences more often than
    /// not, in the article's text, its title and the titles of its reference list.
    /// (Static, as `blockIndex`: called from `judge` and `analyze`. `counts`: the word's
    /// `DocWords.counts`.)
    static func isProperNoun(_ counts: DocWords.Counts) -> Bool {
        counts.capitals > 0
    }

    /// The share of the article's paragraphs (`blocks` of them) that use a word (`counts`: its
    /// `DocWords.counts`).
    static func spread(_ counts: DocWords.Counts, blocks: Int) -> Double {
        blocks == 0 ? 0 : Double(counts.blockCount) / Double(blocks)
    }

    /// A reference's title bytes and words and its container's words, added to `titles`.
    static func work(_ words: inout DocWords, _ title: String, container: String?, into titles: inout Titles) -> Work {
        let titleStart = titles.bytes.count
        titles.bytes.append(contentsOf: title.utf8)
        let tokenStart = titles.tokens.count
        words.collect(titles.bytes, titleStart, titles.bytes.count, into: &titles.tokens)
        let containerStart = titles.containerIDs.count
        if let c = container {
            // (its bytes are read after the title's, then dropped)
            let end = titles.bytes.count
            titles.bytes.append(contentsOf: c.utf8)
            let first = titles.tokens.count
            words.collect(titles.bytes, end, titles.bytes.count, into: &titles.tokens)
            for k in first..<titles.tokens.count { titles.containerIDs.append(titles.tokens[k].id) }
            titles.tokens.removeSubrange(first...)
            titles.bytes.removeSubrange(end...)
        }
        return Work(title: titleStart..<titles.bytes.count, tokens: tokenStart..<titles.tokens.count,
                    container: containerStart..<titles.containerIDs.count)
    }

    /// What every judgment of reference `r`'s work shares: its content words and their weights,
    /// the article part of the score, the field agreement, the related terms in its title.
    mutating func analyze(_ r: Int) {
        guard var w = works[r], !w.analyzed else { return }
        let tokens = w.tokens
        // the content words, each once (marked with a stamp of their own, before any passage's)
        words.stamp += 1
        let stamp = words.stamp
        let termStart = titles.termIDs.count
        for k in tokens where !titles.tokens[k].stop && words.mark[titles.tokens[k].id] != stamp {
            words.mark[titles.tokens[k].id] = stamp
            titles.termIDs.append(titles.tokens[k].id)
            titles.firstOfWord[k] = true
        }
        WorkCounter.add(tokens.count)
        let matchStart = titles.matches.count
        Self.relatedMatches(titles.tokens, tokens, words, vocabulary, into: &titles.matches)
        w.matches = matchStart..<titles.matches.count
        let pairStart = titles.termsOf.count
        for m in titles.matches[w.matches] {
            for i in (tokens.lowerBound + m.at)..<(tokens.lowerBound + m.at + m.count) {
                titles.covered[i] = true
                if !titles.tokens[i].stop { titles.termsOf.append((titles.tokens[i].id, m.term)) }
            }
        }
        // (sorting the slice copies it: done only when there are two pairs or more, seldom)
        if titles.termsOf.count - pairStart > 1 { titles.termsOf[pairStart...].sort { $0.id < $1.id } }
        w.termsOf = pairStart..<titles.termsOf.count
        w.terms = termStart..<titles.termIDs.count
        let related = vocabulary.related
        let isArticleTerm = self.isArticleTerm
        var aShared = 0.0, aAll = 0.0
        for n in w.terms {
            let id = titles.termIDs[n]
            // (no search when no related term covers any of the title's words, the usual case)
            let covering = w.termsOf.isEmpty ? w.termsOf : titles.relatedTerms(w, id)
            // a word whose related terms fill the article says as little as one that does
            var spreadOf = Self.spread(words.counts[id], blocks: blocks.count)
            for k in covering { spreadOf = max(spreadOf, termSpread(titles.termsOf[k].term)) }
            let rarity = words.keys[id].rarity
            let weight = rarity * (1 - options.spreadDiscount * spreadOf)
            titles.weights.append(weight)
            w.passageAll += weight
            aAll += rarity
            if words.counts[id].blockCount > 0 {
                aShared += rarity
            } else if covering.contains(where: { related[titles.termsOf[$0].term].contains(where: { isArticleTerm[$0] }) }) {
                aShared += rarity * options.relatedCredit
            }
        }
        w.article = aAll > 0 ? aShared / aAll : 0
        for f in workMass.indices { workMass[f] = 0 }
        Self.addFields(titles.tokens[tokens].lazy.map { $0.id }, weight: 1, distinct: true, words, vocabulary, into: &workMass)
        Self.addFields(titles.containerIDs[w.container], weight: 1, distinct: true, words, vocabulary, into: &workMass)
        let mass = workMass
        let total = mass.reduce(0, +)
        if total > 0, !articleFields.isEmpty {
            var agree = 0.0
            let isArticleField = self.isArticleField
            for (i, m) in mass.enumerated() where m > 0 {
                let credit = isArticleField[i] ? 1
                    : vocabulary.fields[i].near.contains(where: { isArticleField[$0] }) ? options.nearFieldCredit : 0
                agree += m / total * credit
            }
            w.field = agree
            let first = titles.fieldNames.count
            Self.appendTopFields(mass, vocabulary.fields, into: &titles.fieldNames)
            w.workFields = first..<titles.fieldNames.count
        }
        w.analyzed = true
        works[r] = w
    }

    /// Appends to `names` the labels of the (at most) three fields with mass, the most first (of
    /// equal ones the first): what sorting the fields by mass would give, with no arrays made for
    /// each work.
    static func appendTopFields(_ mass: [Double], _ fields: [Vocabulary.Field], into names: inout [String]) {
        // each round takes the next field in (mass descending, index ascending) order after the last one taken
        var last = Double.infinity, lastIndex = -1
        for _ in 0..<3 {
            var best = -1
            for (i, m) in mass.enumerated() where m > 0 && (m < last || (m == last && i > lastIndex)) {
                if best < 0 || m > mass[best] { best = i }
            }
            guard best >= 0 else { return }
            names.append(fields[best].label)
            last = mass[best]
            lastIndex = best
        }
    }

    /// Judges citation `ci` (its span and entries read, not the whole citation copied).
    mutating func judge(_ ci: Int, detailsBelow: Double) -> TopicJudgment? {
        let refs = document.citations[ci].references
        let citationStart = document.citations[ci].span.start
        // (the article's arrays read in place, not bound to constants: no retain and release of each
        // for every citation)
        guard let r0 = refs.first, r0 < document.references.count, document.references[r0].title != nil else { return nil }
        if refs.count > 1 {
            var key: [String]?
            for r in refs.dropFirst() {
                guard r < document.references.count, document.references[r].title != nil else { return nil }
                // (two titles in ASCII whose words have different keys cannot fold to the same words:
                // seen on the words read already, without folding the titles again)
                if let w0 = works[r0], let w = works[r], !titles.sameKeys(w0, w) { return nil }
                if key == nil { key = folded(r0) }
                guard folded(r) == key else { return nil }
            }
        }

        // the work's words
        analyze(r0)
        guard let work = works[r0] else { return nil }
        guard work.terms.count >= options.minTitleTerms else { return nil }

        // the passage: the citing sentence, its neighbours, the section heading
        guard let b = Self.blockIndex(blocks, citationStart) else { return nil }
        let sentences = sentenceStarts(b)  // (in `sentenceStartOffsets`)
        var s = sentences.lowerBound  // the citing sentence: the last one starting at or before the citation
        var hi = sentences.upperBound
        while s + 1 < hi {
            let mid = (s + hi) / 2
            if sentenceStartOffsets[mid] <= citationStart { s = mid } else { hi = mid }
        }
        let from = sentenceStartOffsets[max(sentences.lowerBound, s - options.contextSentences)]
        let to = s + options.contextSentences + 1 < sentences.upperBound ? sentenceStartOffsets[s + options.contextSentences + 1] : blocks[b].span.end
        let sentenceEnd = s + 1 < sentences.upperBound ? sentenceStartOffsets[s + 1] : blocks[b].span.end
        let sentenceStart = sentenceStartOffsets[s]
        let tokens = blocks[b].tokens
        let blockMatchRange = blocks[b].matches
        var at = 0  // the first word after the citation's start
        var upper = tokens.count
        while at < upper {
            let mid = (at + upper) / 2
            if tokens[mid].start < citationStart { at = mid + 1 } else { upper = mid }
        }
        words.stamp += 1
        let stamp = words.stamp
        let heading = Self.headingIndex(headings, before: citationStart)
        let headingIDs = heading.map { headings[$0].ids } ?? []
        let maxContext = options.maxContextWords
        // the passage's words are tokens[(k0 + 1)..<k]; the citing sentence's are the content words
        // of tokens[c0..<c1] (a range of the passage's: the words are in text order), listed only
        // for the message
        // (the words read and the marks written through pointers: no bounds or copy-on-write check
        // for each word)
        let (k0, k, c0, c1) = words.mark.withUnsafeMutableBufferPointer { mark in
            tokens.withUnsafeBufferPointer { toks in
                for id in headingIDs { mark[id] = stamp }
                var k = at - 1, c0 = at, c1 = at
                while k >= 0, at - k <= maxContext, toks[k].start >= from {
                    let tk = toks[k]
                    if !tk.stop { mark[tk.id] = stamp }
                    if tk.start >= sentenceStart { c0 = k }
                    k -= 1
                }
                let k0 = k
                k = at
                while k < toks.count, k - at < maxContext, toks[k].start < to {
                    let tk = toks[k]
                    if !tk.stop { mark[tk.id] = stamp }
                    if tk.start < sentenceEnd { c1 = k + 1 }
                    k += 1
                }
                return (k0, k, c0, c1)
            }
        }
        WorkCounter.add(k - k0)
        func inPassage(_ id: Int) -> Bool { words.mark[id] == stamp }
        passageStamp += 1
        let passageStamp = self.passageStamp
        if let h = heading { for t in headings[h].terms { passageMark[t] = passageStamp } }
        // (the passage's terms: the block's that lie within its words, `relatedMatches` of them)
        for i in blockMatchRange where blockMatches[i].at > k0 && blockMatches[i].at + blockMatches[i].count <= k {
            passageMark[blockMatches[i].term] = passageStamp
        }
        func inPassageTerms(_ t: Int) -> Bool { self.passageMark[t] == passageStamp }

        func relatedTo(_ id: Int, _ present: (Int) -> Bool) -> Bool {
            titles.relatedTerms(work, id).contains { vocabulary.related[titles.termsOf[$0].term].contains(where: present) }
        }

        // the three parts
        var pShared = 0.0
        for n in work.terms {
            let id = titles.termIDs[n]
            let w = titles.weights[n]
            if inPassage(id) {
                pShared += w
            } else if !work.termsOf.isEmpty, relatedTo(id, inPassageTerms) {
                pShared += w * options.relatedCredit
            }
        }
        let pAll = work.passageAll
        let p = pAll > 0 ? pShared / pAll : 0
        let a = work.article
        let f = work.field
        let weights = options.passageWeight + options.articleWeight + options.fieldWeight
        var score = weights > 0 ? (options.passageWeight * p + options.articleWeight * a + options.fieldWeight * (f ?? 0.5)) / weights : 0

        // keyword stuffing: generic words shared with the article's title, in a work of another field
        var stuffing: [String] = []
        let fieldAgrees = f.map { $0 >= options.stuffingFieldAgreement - 1e-9 } ?? false
        if p <= options.stuffingMaxPassage, !fieldAgrees {
            let titleDoc = words.doc | DocWords.Counts.titleBit  // (the counts of the article title's words)
            var seen = Set<Int>()
            // (the set lookups last: they hash)
            for i in work.tokens {
                let t = titles.tokens[i]
                guard !t.stop && !inPassage(t.id)
                    && Self.spread(words.counts[t.id], blocks: blocks.count) <= options.stuffingMaxSpread && words.fieldTerm(t.id) < 0
                    && !titles.covered[i] && words.keys[t.id].rarity <= options.stuffingMaxRarity
                    && words.counts[t.id].doc == titleDoc && !Self.isProperNoun(words.counts[t.id]) && seen.insert(t.id).inserted
                else { continue }
                stuffing.append(String(decoding: titles.bytes[t.start..<t.end], as: UTF8.self))
            }
            if !stuffing.isEmpty { score *= 1 - options.stuffingPenalty }
        }
        score = min(1, max(0, score))

        // words for the message
        var citedFor: [String] = []
        var about: [String] = []
        var shared: [String] = []
        var relatedNames: [String] = []
        var workFields: [String] = []
        if score < detailsBelow {
            let titleBytes = titles.bytes[work.title]
            let titleTokens = titles.tokens[work.tokens]  // (indexed from work.tokens.lowerBound)
            workFields = Array(titles.fieldNames[work.workFields])
            let keys = words.keys
            let counts = words.counts
            let blockTotal = blocks.count
            let discount = options.spreadDiscount
            // `passageWeight`
            func weight(_ id: Int) -> Double {
                keys[id].rarity * (1 - discount * (blockTotal == 0 ? 0 : Double(counts[id].blockCount) / Double(blockTotal)))
            }
            let citing = (c0..<c1).filter { !tokens[$0].stop }
            // (each word's weight worked out once, not in every comparison: the same sort on the
            // same answers gives the same order)
            let citingWeights = citing.map { weight(tokens[$0].id) }
            let heaviest = citing.indices.sorted { citingWeights[$0] > citingWeights[$1] }.prefix(4).map { citing[$0] }
            citedFor = Self.phrases(heaviest.sorted(), tokens[...], document.textBytes[...])
            // the rarest six of the title's words missing from the passage (each word once: where
            // it is first written; the sort keeps the order of equally rare ones)
            let firstOfWord = titles.firstOfWord
            let missing = titleTokens.indices.filter { firstOfWord[$0] && !inPassage(titleTokens[$0].id) }
            let chosen = missing.sorted(by: { keys[titleTokens[$0].id].rarity > keys[titleTokens[$1].id].rarity }).prefix(6).sorted()
            // a word between two chosen ones joins them into one phrase, unless the passage has it
            var joined = chosen
            for (a, b) in zip(chosen, chosen.dropFirst()) where b == a + 2 && !inPassage(titleTokens[a + 1].id) {
                joined.append(a + 1)
            }
            about = Self.phrases(joined.sorted(), titleTokens, titleBytes)
            let sharedIdx = titleTokens.indices.filter { firstOfWord[$0] && inPassage(titleTokens[$0].id) }
            shared = Self.phrases(sharedIdx, titleTokens, titleBytes)
            for m in titles.matches[work.matches] {
                let range = (work.tokens.lowerBound + m.at)..<(work.tokens.lowerBound + m.at + m.count)
                guard !range.allSatisfy({ titleTokens[$0].stop || inPassage(titleTokens[$0].id) }),
                      let other = vocabulary.related[m.term].sorted().first(where: inPassageTerms) else { continue }
                let phrase = Self.phrases(Array(range), titleTokens, titleBytes).joined(separator: " ")
                let r = "\(phrase) ~ \(vocabulary.relatedNames[other])"
                if !relatedNames.contains(r) { relatedNames.append(r) }
            }
        }
        return TopicJudgment(citation: ci, references: refs, score: score, passage: p, article: a, field: f,
                             stuffing: stuffing, workFields: workFields, citedFor: citedFor, about: about, shared: shared,
                             related: relatedNames)
    }

    /// A reference's title folded to words, read once.
    mutating func folded(_ r: Int) -> [String] {
        if let w = titleWords[r] { return w }
        let w = Words.words(of: document.references[r].title ?? "")
        titleWords[r] = w
        return w
    }

    /// The words at `indices` (sorted) of `tokens`, adjacent ones (separated only by spaces or
    /// hyphens) joined into phrases as written in `text`, without stop words at either end.
    static func phrases(_ indices: [Int], _ tokens: ArraySlice<Token>, _ text: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        out.reserveCapacity(indices.count)  // (at most one phrase a word)
        var k = 0
        while k < indices.count {
            // a run of adjacent words: `first...last`
            var first = indices[k]
            var last = first
            k += 1
            while k < indices.count, indices[k] == last + 1,
                  text[tokens[last].end..<tokens[indices[k]].start].allSatisfy({ $0 == 0x20 || $0 == 0x2D }) {
                last = indices[k]
                k += 1
            }
            while first <= last, tokens[first].stop { first += 1 }
            while last >= first, tokens[last].stop { last -= 1 }
            guard first <= last else { continue }
            var end = tokens[last].end
            // `COVID-19`: keep a number joined by a hyphen
            if end + 1 < text.endIndex, text[end] == 0x2D, text[end + 1] >= 0x30, text[end + 1] <= 0x39 {
                end += 1
                while end < text.endIndex, text[end] >= 0x30, text[end] <= 0x39 { end += 1 }
            }
            let bytes = text[tokens[first].start..<end]
            let s: String
            if !bytes.contains(where: { $0 >= 0x80 || $0 == 0x0D }) {
                // ASCII without `\r` (`\r\n` is one character): a character is a byte; each run
                // of white space inside becomes one space (written straight into the string: at
                // most as many bytes as read)
                s = String(unsafeUninitializedCapacity: bytes.count) { phrase in
                    var n = 0
                    var space = false
                    for c in bytes {
                        if c == 0x0A || c == 0x09 || c == 0x20 {
                            space = n > 0
                        } else {
                            if space {
                                phrase[n] = 0x20
                                n += 1
                            }
                            space = false
                            phrase[n] = c
                            n += 1
                        }
                    }
                    return n
                }
            } else {
                s = String(decoding: bytes, as: UTF8.self)
                    .split(whereSeparator: { $0 == "\n" || $0 == "\t" || $0 == " " }).joined(separator: " ")
            }
            if !out.contains(s) { out.append(s) }
        }
        return out
    }
}
