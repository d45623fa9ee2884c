// Topic mismatch: a cited work whose subject has nothing to do with the passage that cites it.

import AssayCore
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

    /// Judges every citation; also gives the article's fields, most prominent first.
    func judge(_ document: Document) -> (judgments: [TopicJudgment], articleFields: [String]) {
        guard !document.citations.isEmpty, !document.references.isEmpty else { return ([], []) }
        var article = Article(document, vocabulary, options)
        var out: [TopicJudgment] = []
        for (ci, citation) in document.citations.enumerated() {
            if let j = article.judge(ci, citation) { out.append(j) }
        }
        return (out, article.fieldLabels)
    }

    func findings(_ document: Document) -> [Finding] {
        let (judgments, fields) = judge(document)
        return judgments.filter { $0.score < options.threshold }.map { j in
            Finding(kind: .topicMismatch, message: message(j, document, articleFields: fields), citations: [j.citation],
                    references: j.references, score: (j.score * 100).rounded(.down) / 100)
        }
    }

    func message(_ j: TopicJudgment, _ document: Document, articleFields: [String]) -> String {
        let ref = document.references[j.references[0]]
        var who = ref.authors.first?.family ?? document.string(document.citations[j.citation].span)
        if ref.authors.count > 2 { who += " et al." } else if ref.authors.count == 2 { who += " and \(ref.authors[1].family)" }
        if let y = ref.year { who += " (\(y)\(ref.yearSuffix ?? ""))" }
        var m = "\(who) is cited for '\(j.citedFor.isEmpty ? "this passage" : j.citedFor.joined(separator: ", "))'"
        m += "; the work is about '\(j.about.joined(separator: ", "))'"
        if !j.workFields.isEmpty, let f = j.field, f < 0.5 {
            m += " (\(j.workFields.joined(separator: ", ")); this article: \(articleFields.joined(separator: ", ")))"
        }
        if j.shared.isEmpty && j.related.isEmpty {
            m += "; it shares no term with the passage"
        } else if j.related.isEmpty {
            m += "; the passage shares only '\(j.shared.joined(separator: ", "))'"
        } else {
            let related = "related terms ('\(j.related.joined(separator: "', '"))')"
            m += j.shared.isEmpty ? "; the passage shares only \(related)" : "; the passage shares only '\(j.shared.joined(separator: ", "))' and \(related)"
        }
        if !j.stuffing.isEmpty {
            m += ", and its title shares '\(j.stuffing.joined(separator: ", "))' with this article's own title, which the article does not otherwise use: the work may have been chosen for the words"
        }
        m += ". Check that it supports the claim."
        return m
    }
}

/// One document prepared for judging its citations: its text words, paragraphs, headings, field
/// profile and title, computed once.
private struct Article {
    struct Token {
        var start: Int
        var end: Int
        var id: Int
        var stop: Bool
    }
    struct TextBlock {
        var span: Span
        var tokens: [Token]
        var sentenceStarts: [Int]?
    }

    let document: Document
    let vocabulary: Vocabulary
    let options: TopicOptions
    // interned stems
    var wordIDs: [[UInt8]: Int] = [:]
    var ids: [String: Int] = [:]
    /// Each reference's title (bytes, words) and container words, read once.
    var works: [Int: (title: [UInt8], tokens: [Token], container: [Int])] = [:]
    var stems: [String] = []
    var rarity: [Double] = []
    var isStop: [Bool] = []
    /// Paragraphs of the article's text containing each stem.
    var blockCount: [Int] = []
    /// How often each stem is written capitalized / in lower case inside a sentence of the
    /// article's text, of its title and of the titles in its reference list (titles only when in
    /// sentence case): the evidence for a proper noun.
    var upper: [Int] = []
    var lower: [Int] = []
    var blocks: [TextBlock] = []
    /// The related terms (`related.tsv`) in each of `blocks`.
    var blockTerms: [Set<Int>] = []
    /// The related terms anywhere in the article's text.
    var articleTerms: Set<Int> = []
    /// Share of the paragraphs with a related term or one related to it, by term (filled lazily).
    var termSpreads: [Int: Double] = [:]
    var headings: [(start: Int, ids: Set<Int>, terms: Set<Int>)] = []
    var titleIDs: Set<Int> = []
    var fieldShare: [Double] = []
    var articleFields: Set<Int> = []

    init(_ document: Document, _ vocabulary: Vocabulary, _ options: TopicOptions) {
        self.document = document
        self.vocabulary = vocabulary
        self.options = options
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

        var fieldMass = [Double](repeating: 0, count: vocabulary.fields.count)
        var maskIndex = 0
        let order = document.blocks.indices.sorted { document.blocks[$0].span < document.blocks[$1].span }
        for bi in order {
            let block = document.blocks[bi]
            if block.kind == .title || isExcluded(block.span) { continue }
            var tokens: [Token] = []
            while maskIndex < masks.count, masks[maskIndex].end <= block.span.start { maskIndex += 1 }
            var m = maskIndex
            Words.scan(text, block.span.range) { start, end, folded in
                guard folded.count >= 2 else { return }
                while m < masks.count, masks[m].end <= start { m += 1 }
                if m < masks.count, masks[m].start < end { return }
                let id = intern(folded)
                tokens.append(Token(start: start, end: end, id: id, stop: isStop[id]))
            }
            let terms = Set(relatedMatches(tokens.map(\.id)).map(\.term))
            if block.kind == .heading {
                headings.append((block.span.start, Set(tokens.filter { !$0.stop }.map(\.id)), terms))
                continue
            }
            var seen = Set<Int>()
            for t in tokens where !t.stop && seen.insert(t.id).inserted { blockCount[t.id] += 1 }
            for t in tokens where !t.stop && !Self.startsSentence(t.start, text, from: block.span.start) {
                if let capitalized = Words.isCapitalized(text, t.start, t.end) {
                    if capitalized { upper[t.id] += 1 } else { lower[t.id] += 1 }
                }
            }
            addFields(tokens.map(\.id), weight: 1, distinct: false, into: &fieldMass)
            blocks.append(TextBlock(span: block.span, tokens: tokens))
            blockTerms.append(terms)
            articleTerms.formUnion(terms)
        }

        // the article's own title: its words, and its field (counted three times)
        if let title = document.title {
            let t = Array(title.utf8)
            var tids: [Int] = []
            var ttokens: [Token] = []
            Words.scan(t, 0..<t.count) { start, end, folded in
                guard folded.count >= 2 else { return }
                let id = intern(folded)
                tids.append(id)
                ttokens.append(Token(start: start, end: end, id: id, stop: isStop[id]))
            }
            titleIDs = Set(tids.filter { !isStop[$0] })
            for (id, capitalized) in capitalization(ttokens, t) {
                if capitalized { upper[id] += 1 } else { lower[id] += 1 }
            }
            addFields(tids, weight: 3, distinct: false, into: &fieldMass)
        }
        // and the titles of the reference list: how each word is written is evidence for every citation
        for (r, reference) in document.references.enumerated() {
            guard let title = reference.title else { continue }
            let w = work(r, title)
            for (id, capitalized) in capitalization(w.tokens, w.title) {
                if capitalized { upper[id] += 1 } else { lower[id] += 1 }
            }
        }
        let total = fieldMass.reduce(0, +)
        fieldShare = total > 0 ? fieldMass.map { $0 / total } : fieldMass
        if total > 0 {
            for (f, s) in fieldShare.enumerated() where s >= options.fieldMinShare { articleFields.insert(f) }
            if let top = fieldShare.indices.max(by: { fieldShare[$0] < fieldShare[$1] }) { articleFields.insert(top) }
        }
    }

    /// The article's fields, most prominent first, as findings name them.
    var fieldLabels: [String] {
        articleFields.sorted { fieldShare[$0] > fieldShare[$1] }.map { vocabulary.fields[$0].label }
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

    /// The id of a folded word's stem; each different word is stemmed once per document.
    mutating func intern(_ folded: [UInt8]) -> Int {
        if let id = wordIDs[folded] { return id }
        let k = vocabulary.key(folded)
        if let id = ids[k] {
            wordIDs[folded] = id
            return id
        }
        let id = stems.count
        ids[k] = id
        stems.append(k)
        rarity.append(vocabulary.rarity(k))
        isStop.append(k.utf8.count < 2 || vocabulary.stop.contains(k))
        blockCount.append(0)
        upper.append(0)
        lower.append(0)
        wordIDs[folded] = id
        return id
    }

    /// Adds the field words among `seq` to `mass`: a pair of adjacent stems that is a field term
    /// (`human rights`) counts instead of its two words, a single stem counts unless it is a stop
    /// word. Each occurrence (or, when `distinct`, each different term) adds `weight` times the
    /// term's rarity (a rare word such as `psychiatry` says more about a field than `rights`),
    /// split among the term's fields.
    func addFields(_ seq: [Int], weight: Double, distinct: Bool, into mass: inout [Double]) {
        guard !vocabulary.fieldTerms.isEmpty else { return }
        var seen = Set<String>()
        func add(_ term: String, _ rarity: Double) -> Bool {
            guard let fs = vocabulary.fieldTerms[term] else { return false }
            if distinct, !seen.insert(term).inserted { return true }
            for f in fs { mass[f] += weight * rarity / Double(fs.count) }
            return true
        }
        var i = 0
        while i < seq.count {
            let id = seq[i]
            if i + 1 < seq.count, vocabulary.bigramHeads.contains(stems[id]),
               add(stems[id] + " " + stems[seq[i + 1]], max(rarity[id], rarity[seq[i + 1]])) {
                i += 2
                continue
            }
            if !isStop[id] { _ = add(stems[id], rarity[id]) }
            i += 1
        }
    }

    /// Index of the text block containing `offset`.
    func blockIndex(_ offset: Int) -> Int? {
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
    mutating func sentenceStarts(_ b: Int) -> [Int] {
        if let s = blocks[b].sentenceStarts { return s }
        let text = document.textBytes
        let span = blocks[b].span
        var starts = [span.start]
        var i = span.start
        while i < span.end {
            let c = text[i]
            if c == 0x0A {
                if i + 1 < span.end { starts.append(i + 1) }
            } else if c == 0x2E || c == 0x3F || c == 0x21 {
                var j = i + 1
                while j < span.end, [0x29, 0x5D, 0x22, 0x27].contains(text[j]) { j += 1 }
                if j < span.end, text[j] == 0xE2, j + 2 < span.end, text[j + 1] == 0x80, text[j + 2] == 0x9D || text[j + 2] == 0x99 { j += 3 }
                var k = j
                while k < span.end, text[k] == 0x20 || text[k] == 0x09 { k += 1 }
                if k > j, k < span.end {
                    let n = text[k]
                    let opens = (n >= 0x41 && n <= 0x5A) || (n >= 0x30 && n <= 0x39) || n == 0x28 || n == 0x5B || n == 0x22 || n >= 0xC0
                    if opens, c != 0x2E || !endsAbbreviation(i, span.start) { starts.append(k) }
                }
            }
            i += 1
        }
        blocks[b].sentenceStarts = starts
        return starts
    }

    /// Whether the full stop at `dot` ends an initial (`A.`) or a listed abbreviation (`et.`, `pp.`).
    func endsAbbreviation(_ dot: Int, _ floor: Int) -> Bool {
        let text = document.textBytes
        var a = dot
        while a > floor, Words.isASCIILetter(text[a - 1]) || text[a - 1] == 0x2E || text[a - 1] == 0x27 { a -= 1 }
        guard a < dot else { return false }
        let word = String(decoding: text[a..<dot], as: UTF8.self).lowercased()
        if word.count == 1 { return true }
        return vocabulary.abbreviations.contains(word)
    }

    /// The heading of the section a position is in.
    func heading(before offset: Int) -> Set<Int> {
        var lo = 0, hi = headings.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if headings[mid].start <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? headings[lo - 1].ids : []
    }

    func headingTerms(before offset: Int) -> Set<Int> {
        var lo = 0, hi = headings.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if headings[mid].start <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? headings[lo - 1].terms : []
    }

    /// The related terms (`related.tsv`) among the words `ids` (in text order, stop words
    /// included), as (first word, word count, term): every term that occurs, so `enforced
    /// disappearances` gives both `enforced disappearance` and `disappearance`. A one-word term is
    /// never a stop word.
    func relatedMatches(_ ids: [Int]) -> [(at: Int, count: Int, term: Int)] {
        let maxWords = vocabulary.relatedMaxWords
        guard maxWords > 0 else { return [] }
        var out: [(at: Int, count: Int, term: Int)] = []
        for i in ids.indices where vocabulary.relatedFirst.contains(stems[ids[i]]) {
            for n in 1...min(maxWords, ids.count - i) {
                if n == 1, isStop[ids[i]] { continue }
                let k = n == 1 ? stems[ids[i]] : ids[i..<(i + n)].map { stems[$0] }.joined(separator: " ")
                if let t = vocabulary.relatedTerms[k] { out.append((i, n, t)) }
            }
        }
        return out
    }

    /// Share of the article's paragraphs that use the related term `t` or a term related to it.
    mutating func termSpread(_ t: Int) -> Double {
        if let s = termSpreads[t] { return s }
        guard !blocks.isEmpty else { return 0 }
        let near = vocabulary.related[t]
        let n = blockTerms.filter { $0.contains(t) || !$0.isDisjoint(with: near) }.count
        let s = Double(n) / Double(blocks.count)
        termSpreads[t] = s
        return s
    }

    /// Whether the word at `start` begins a sentence: nothing but spaces, quotes and brackets
    /// between it and the start of its block or a `.`, `?`, `!` or `:`.
    static func startsSentence(_ start: Int, _ text: [UInt8], from lo: Int) -> Bool {
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

    /// The capitalization of a title's content words inside its sentences (not the first word, nor
    /// one after `:`, nor one after a hyphen, nor one in capitals only), when the title is in
    /// sentence case: at least one such word in lower case. In a title-case or all-capitals title
    /// capitals say nothing.
    func capitalization(_ tokens: [Token], _ text: [UInt8]) -> [(id: Int, capitalized: Bool)] {
        var inner: [(id: Int, capitalized: Bool)] = []
        for t in tokens where !t.stop && !Self.startsSentence(t.start, text, from: 0) && !(t.start > 0 && text[t.start - 1] == 0x2D) {
            if let capitalized = Words.isCapitalized(text, t.start, t.end) { inner.append((t.id, capitalized)) }
        }
        return inner.contains { !$0.capitalized } ? inner : []
    }

    /// Whether a word is written as a proper noun: capitalized inside sentences more often than
    /// not, in the article's text, its title and the titles of its reference list.
    func isProperNoun(_ id: Int) -> Bool {
        upper[id] > lower[id]
    }

    func spread(_ id: Int) -> Double {
        blocks.isEmpty ? 0 : Double(blockCount[id]) / Double(blocks.count)
    }

    /// Weight of a word in the passage overlap: rare in English, and used in few of the article's
    /// paragraphs.
    func passageWeight(_ id: Int) -> Double {
        rarity[id] * (1 - options.spreadDiscount * spread(id))
    }

    mutating func judge(_ ci: Int, _ citation: Citation) -> TopicJudgment? {
        let refs = citation.references
        guard let r0 = refs.first, r0 < document.references.count, let title = document.references[r0].title else { return nil }
        if refs.count > 1 {
            let key = Words.words(of: title)
            for r in refs.dropFirst() {
                guard r < document.references.count, let t = document.references[r].title, Words.words(of: t) == key else { return nil }
            }
        }

        // the work's words
        let work = self.work(r0, title)
        let titleBytes = work.title
        let titleTokens = work.tokens
        let containerIDs = work.container
        var T: [Int] = []
        for t in titleTokens where !t.stop && !T.contains(t.id) { T.append(t.id) }
        guard T.count >= options.minTitleTerms else { return nil }

        // the passage: the citing sentence, its neighbours, the section heading
        guard let b = blockIndex(citation.span.start) else { return nil }
        let starts = sentenceStarts(b)
        var s = 0  // the citing sentence: the last one starting at or before the citation
        var hi = starts.count
        while s + 1 < hi {
            let mid = (s + hi) / 2
            if starts[mid] <= citation.span.start { s = mid } else { hi = mid }
        }
        let from = starts[max(0, s - options.contextSentences)]
        let to = s + options.contextSentences + 1 < starts.count ? starts[s + options.contextSentences + 1] : blocks[b].span.end
        let sentenceEnd = s + 1 < starts.count ? starts[s + 1] : blocks[b].span.end
        let tokens = blocks[b].tokens
        var at = 0  // the first word after the citation's start
        var upper = tokens.count
        while at < upper {
            let mid = (at + upper) / 2
            if tokens[mid].start < citation.span.start { at = mid + 1 } else { upper = mid }
        }
        var passage = heading(before: citation.span.start)
        var citing: [Int] = []  // token indices of the citing sentence
        var k = at - 1
        while k >= 0, at - k <= options.maxContextWords, tokens[k].start >= from {
            if !tokens[k].stop {
                passage.insert(tokens[k].id)
                if tokens[k].start >= starts[s] { citing.append(k) }
            }
            k -= 1
        }
        let k0 = k  // the passage's words are tokens[(k0 + 1)..<k] after the next loop
        k = at
        while k < tokens.count, k - at < options.maxContextWords, tokens[k].start < to {
            if !tokens[k].stop {
                passage.insert(tokens[k].id)
                if tokens[k].start < sentenceEnd { citing.append(k) }
            }
            k += 1
        }
        citing.sort()
        var passageTerms = headingTerms(before: citation.span.start)
        for m in relatedMatches(tokens[(k0 + 1)..<k].map(\.id)) { passageTerms.insert(m.term) }

        // the title's related terms: the terms covering each word
        let titleMatches = relatedMatches(titleTokens.map(\.id))
        var termsOf: [Int: [Int]] = [:]
        var covered = Set<Int>()
        for m in titleMatches {
            for i in m.at..<(m.at + m.count) {
                covered.insert(i)
                if !titleTokens[i].stop { termsOf[titleTokens[i].id, default: []].append(m.term) }
            }
        }
        func relatedTo(_ id: Int, _ present: (Int) -> Bool) -> Bool {
            termsOf[id]?.contains { vocabulary.related[$0].contains(where: present) } ?? false
        }

        // the three parts
        var pShared = 0.0, pAll = 0.0, aShared = 0.0, aAll = 0.0
        for id in T {
            // a word whose related terms fill the article says as little as one that does
            var spreadOf = spread(id)
            for t in termsOf[id] ?? [] { spreadOf = max(spreadOf, termSpread(t)) }
            let w = rarity[id] * (1 - options.spreadDiscount * spreadOf)
            pAll += w
            if passage.contains(id) {
                pShared += w
            } else if relatedTo(id, { passageTerms.contains($0) }) {
                pShared += w * options.relatedCredit
            }
            aAll += rarity[id]
            if blockCount[id] > 0 {
                aShared += rarity[id]
            } else if relatedTo(id, { articleTerms.contains($0) }) {
                aShared += rarity[id] * options.relatedCredit
            }
        }
        let p = pAll > 0 ? pShared / pAll : 0
        let a = aAll > 0 ? aShared / aAll : 0
        var mass = [Double](repeating: 0, count: vocabulary.fields.count)
        addFields(titleTokens.map(\.id), weight: 1, distinct: true, into: &mass)
        addFields(containerIDs, weight: 1, distinct: true, into: &mass)
        let total = mass.reduce(0, +)
        var f: Double?
        var workFields: [String] = []
        if total > 0, !articleFields.isEmpty {
            var agree = 0.0
            for (i, m) in mass.enumerated() where m > 0 {
                let credit = articleFields.contains(i) ? 1
                    : vocabulary.fields[i].near.isDisjoint(with: articleFields) ? 0 : options.nearFieldCredit
                agree += m / total * credit
            }
            f = agree
            workFields = mass.indices.filter { mass[$0] > 0 }.sorted { mass[$0] > mass[$1] }.prefix(3).map { vocabulary.fields[$0].label }
        }
        let weights = options.passageWeight + options.articleWeight + options.fieldWeight
        var score = weights > 0 ? (options.passageWeight * p + options.articleWeight * a + options.fieldWeight * (f ?? 0.5)) / weights : 0

        // keyword stuffing: generic words shared with the article's title, in a work of another field
        var stuffing: [String] = []
        let fieldAgrees = f.map { $0 >= options.stuffingFieldAgreement - 1e-9 } ?? false
        if p <= options.stuffingMaxPassage, !fieldAgrees {
            var seen = Set<Int>()
            for (i, t) in titleTokens.enumerated() where !t.stop && titleIDs.contains(t.id) && !passage.contains(t.id)
                && spread(t.id) <= options.stuffingMaxSpread && vocabulary.fieldTerms[stems[t.id]] == nil
                && !covered.contains(i) && rarity[t.id] <= options.stuffingMaxRarity
                && !isProperNoun(t.id) && seen.insert(t.id).inserted {
                stuffing.append(String(decoding: titleBytes[t.start..<t.end], as: UTF8.self))
            }
            if !stuffing.isEmpty { score *= 1 - options.stuffingPenalty }
        }
        score = min(1, max(0, score))

        // words for the message
        let citedFor = phrases(citing.sorted { passageWeight(tokens[$0].id) > passageWeight(tokens[$1].id) }.prefix(4).sorted(),
                               tokens, document.textBytes)
        let missing = titleTokens.indices.filter { !titleTokens[$0].stop && !passage.contains(titleTokens[$0].id) }
        var chosen = Set<Int>()
        var chosenIDs = Set<Int>()
        for i in missing.sorted(by: { rarity[titleTokens[$0].id] > rarity[titleTokens[$1].id] }) where chosenIDs.count < 6 {
            if chosenIDs.insert(titleTokens[i].id).inserted { chosen.insert(i) }
        }
        // a word between two chosen ones joins them into one phrase, unless the passage has it
        for i in titleTokens.indices where !chosen.contains(i) && chosen.contains(i - 1) && chosen.contains(i + 1)
            && !passage.contains(titleTokens[i].id) {
            chosen.insert(i)
        }
        let about = phrases(chosen.sorted(), titleTokens, titleBytes)
        var sharedIDs = Set<Int>()
        let sharedIdx = titleTokens.indices.filter {
            !titleTokens[$0].stop && passage.contains(titleTokens[$0].id) && sharedIDs.insert(titleTokens[$0].id).inserted
        }
        let shared = phrases(sharedIdx, titleTokens, titleBytes)
        var related: [String] = []
        for m in titleMatches {
            let range = m.at..<(m.at + m.count)
            guard !range.allSatisfy({ titleTokens[$0].stop || passage.contains(titleTokens[$0].id) }),
                  let other = vocabulary.related[m.term].sorted().first(where: { passageTerms.contains($0) }) else { continue }
            let phrase = phrases(Array(range), titleTokens, titleBytes).joined(separator: " ")
            let r = "\(phrase) ~ \(vocabulary.relatedNames[other])"
            if !related.contains(r) { related.append(r) }
        }
        return TopicJudgment(citation: ci, references: refs, score: score, passage: p, article: a, field: f,
                             stuffing: stuffing, workFields: workFields, citedFor: citedFor, about: about, shared: shared,
                             related: related)
    }

    /// A reference's title bytes and words and its container's words.
    mutating func work(_ r: Int, _ title: String) -> (title: [UInt8], tokens: [Token], container: [Int]) {
        if let w = works[r] { return w }
        let titleBytes = Array(title.utf8)
        var tokens: [Token] = []
        Words.scan(titleBytes, 0..<titleBytes.count) { start, end, folded in
            guard folded.count >= 2 else { return }
            let id = intern(folded)
            tokens.append(Token(start: start, end: end, id: id, stop: isStop[id]))
        }
        var container: [Int] = []
        if let c = document.references[r].container {
            let cb = Array(c.utf8)
            Words.scan(cb, 0..<cb.count) { _, _, folded in
                guard folded.count >= 2 else { return }
                container.append(intern(folded))
            }
        }
        works[r] = (titleBytes, tokens, container)
        return (titleBytes, tokens, container)
    }

    /// The words at `indices` (sorted) of `tokens`, adjacent ones (separated only by spaces or
    /// hyphens) joined into phrases as written in `text`, without stop words at either end.
    func phrases(_ indices: [Int], _ tokens: [Token], _ text: [UInt8]) -> [String] {
        var runs: [[Int]] = []
        for i in indices {
            if let last = runs.last?.last, i == last + 1,
               text[tokens[last].end..<tokens[i].start].allSatisfy({ $0 == 0x20 || $0 == 0x2D }) {
                runs[runs.count - 1].append(i)
            } else {
                runs.append([i])
            }
        }
        var out: [String] = []
        for var run in runs {
            while let f = run.first, tokens[f].stop { run.removeFirst() }
            while let l = run.last, tokens[l].stop { run.removeLast() }
            guard let first = run.first, let last = run.last else { continue }
            var end = tokens[last].end
            // `COVID-19`: keep a number joined by a hyphen
            if end + 1 < text.count, text[end] == 0x2D, text[end + 1] >= 0x30, text[end + 1] <= 0x39 {
                end += 1
                while end < text.count, text[end] >= 0x30, text[end] <= 0x39 { end += 1 }
            }
            let s = String(decoding: text[tokens[first].start..<end], as: UTF8.self)
                .split(whereSeparator: { $0 == "\n" || $0 == "\t" || $0 == " " }).joined(separator: " ")
            if !out.contains(s) { out.append(s) }
        }
        return out
    }
}
