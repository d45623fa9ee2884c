import AssayCore
import Foundation
import Testing
@testable import Screening

/// One line of `Gold/seed000-topics.tsv`.
struct GoldTopic {
    var author: String
    var year: String
    var judgment: String
    var reason: String

    static func load(_ name: String) throws -> [GoldTopic] {
        let url = Fixtures.packageRoot.appendingPathComponent("Tests/ScreeningTests/Gold/\(name)")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap { line in
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            let c = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard c.count == 4, ["off", "on", "unclear"].contains(c[2]) else {
                throw ConfigError(file: name, line: 0, message: "bad gold line: \(line)")
            }
            return GoldTopic(author: c[0], year: c[1], judgment: c[2], reason: c[3])
        }
    }

    /// The entries of the parsed reference list this line judges.
    func entries(_ d: Document) -> [Int] {
        let key = Words.words(of: author).joined()
        return d.references.indices.filter {
            let r = d.references[$0]
            return r.year == year && Words.words(of: r.authors.first?.family ?? "").joined() == key
        }
    }
}

@Suite struct TopicMismatchSeedTests {
    /// Every work in seed 000's reference list against the hand-made judgment: at least 80% of the
    /// clearly off-topic works flagged, no clearly on-topic work flagged.
    @Test func seed000AgainstHandJudgment() throws {
        let gold = try GoldTopic.load("seed000-topics.tsv")
        let d = try Fixtures.seed("000")
        let screened = try Fixtures.screened(d)
        let topic = screened.findings.filter { $0.kind == .topicMismatch }
        let flagged = Set(topic.flatMap(\.references))
        let judged = Set(TopicScreen(vocabulary: try Fixtures.stage.vocabulary, options: try Fixtures.stage.topic!)
            .judge(d).judgments.flatMap(\.references))

        // the gold covers the whole list, and every clear case is actually judged
        var covered = Set<Int>()
        for g in gold {
            let e = g.entries(d)
            #expect(!e.isEmpty, "gold line \(g.author) \(g.year) matches no reference entry")
            covered.formUnion(e)
            if g.judgment != "unclear" {
                #expect(e.contains { judged.contains($0) }, "\(g.author) \(g.year) is never judged (no resolved citation or no parsed title)")
            }
        }
        #expect(covered == Set(d.references.indices), "entries without a gold line: \(Set(d.references.indices).subtracting(covered).sorted())")

        var offFlagged: [String] = [], offMissed: [String] = [], onFlagged: [String] = [], unclearFlagged: [String] = []
        for g in gold {
            let hit = g.entries(d).contains { flagged.contains($0) }
            switch (g.judgment, hit) {
            case ("off", true): offFlagged.append(g.author)
            case ("off", false): offMissed.append(g.author)
            case ("on", true): onFlagged.append(g.author)
            case ("unclear", true): unclearFlagged.append(g.author)
            default: break
            }
        }
        let offCount = gold.filter { $0.judgment == "off" }.count
        print("seed 000 topic-mismatch: off-topic flagged \(offFlagged.count)/\(offCount) \(offFlagged), missed \(offMissed); "
              + "on-topic flagged \(onFlagged); unclear flagged \(unclearFlagged)")
        #expect(Double(offFlagged.count) >= 0.8 * Double(offCount), "missed off-topic works: \(offMissed)")
        #expect(onFlagged.isEmpty, "on-topic works flagged: \(onFlagged)")
        for name in ["Donnelly", "Nowak", "Kakar"] {
            #expect(!onFlagged.contains(name))
        }

        // findings are well formed
        for f in topic {
            #expect(f.severity == .warning)
            #expect(f.citations.count == 1 && f.citations.allSatisfy { $0 < d.citations.count })
            #expect(!f.references.isEmpty && f.references.allSatisfy { $0 < d.references.count })
            #expect(f.references.allSatisfy { d.citations[f.citations[0]].references.contains($0) })
            let score = try #require(f.score)
            let threshold = try Fixtures.stage.topic!.threshold
            #expect(score >= 0 && score < threshold)
            #expect(f.message.contains("is cited for '") && f.message.contains("the work is about '"))
        }
        // at most one finding per (citation, reference) pair
        let pairs = topic.flatMap { f in f.references.map { "\(f.citations[0])-\($0)" } }
        #expect(Set(pairs).count == pairs.count)
    }

    /// The brief's example: Rahman et al. on mental distress during COVID-19, cited for the
    /// military's influence on policy.
    @Test func seed000MessageNamesWhatIsCitedAndWhatTheWorkIsAbout() throws {
        let d = try Fixtures.screened(Fixtures.seed("000"))
        let rahman = try #require(d.findings.first { f in
            f.kind == .topicMismatch && f.references.contains { d.references[$0].authors.first?.family == "Rahman" }
        })
        #expect(rahman.message.contains("Mental distress"))
        #expect(rahman.message.contains("COVID-19"))
        #expect(rahman.message.contains("medicine and health"))
        #expect(rahman.message.contains("extrajudicial"))
        let kai = try #require(d.findings.first { f in
            f.kind == .topicMismatch && f.references.contains { d.references[$0].authors.first?.family == "Kai" }
        })
        #expect(kai.message.contains("'navigating, intersections' with this article's own title"))
        #expect(kai.message.contains("it shares no term with the passage"))
    }
}

@Suite struct TopicMismatchArticleTests {
    static let article = """
    Blasphemy Laws and Freedom of Expression in Pakistan

    ABSTRACT

    This article examines how the blasphemy laws of Pakistan restrict freedom of expression and endanger religious minorities, and what international human rights law requires of the state.

    INTRODUCTION

    The blasphemy provisions of the Pakistan Penal Code carry the death penalty and are often used against religious minorities such as Ahmadis and Christians (Siddique & Hayat, 2008). Accusations of blasphemy frequently lead to mob violence before any trial begins, and judges face intimidation when they acquit the accused (Julius, 2016).

    FREEDOM OF EXPRESSION

    Article 19 of the International Covenant on Civil and Political Rights protects freedom of expression, and the Human Rights Committee has said that blasphemy laws are incompatible with the Covenant (O'Flaherty, 2012). Journalists who report on blasphemy cases risk threats, violence and censorship (Zhang & Lee, 2019). The courts of Pakistan have rarely read the constitutional guarantee of free speech against these laws (Khan, 2015).

    REFERENCES

    - Siddique, O. and Hayat, Z., 2008. Unholy speech and holy laws: blasphemy laws in Pakistan, controversial origins, design defects, and free speech implications. *Minnesota Journal of International Law*, 17(2), pp.303-385.
    - Julius, Q., 2016. The experience of minorities under Pakistan's blasphemy laws. *Islam and Christian-Muslim Relations*, 27(1), pp.95-115.
    - O'Flaherty, M., 2012. Freedom of expression: Article 19 of the International Covenant on Civil and Political Rights and the Human Rights Committee's General Comment No 34. *Human Rights Law Review*, 12(4), pp.627-654.
    - Zhang, Y. and Lee, K., 2019. Deep convolutional neural networks for tomato leaf disease detection. *Computers and Electronics in Agriculture*, 161, pp.272-279.
    - Khan, H., 2015. Free speech and the constitution of Pakistan. *Journal of Law and Society*, 46(1), pp.1-20.
    """

    /// An off-topic work cited in an otherwise clean article is flagged; the article's on-topic
    /// citations are not.
    @Test func offTopicWorkInCleanArticle() throws {
        let d = try Fixtures.article(Self.article)
        #expect(d.references.count == 5)
        #expect(d.citations.count == 5)
        #expect(d.citations.allSatisfy { $0.references.count == 1 })
        let screened = try Fixtures.screened(d)
        let topic = screened.findings.filter { $0.kind == .topicMismatch }
        #expect(topic.count == 1)
        let f = try #require(topic.first)
        #expect(d.references[f.references[0]].authors.first?.family == "Zhang")
        #expect(f.message.contains("tomato leaf disease"))
        #expect(f.message.contains("computing and AI"))
        // the other four are clearly related
        let judgments = TopicScreen(vocabulary: try Fixtures.stage.vocabulary, options: try Fixtures.stage.topic!).judge(d).judgments
        #expect(judgments.count == 5)
        for j in judgments where d.references[j.references[0]].authors.first?.family != "Zhang" {
            #expect(j.score >= 0.45, "\(d.references[j.references[0]].authors.first?.family ?? "?") scored \(j.score)")
        }
    }

    /// Titles that could not be parsed are not judged: no guessing.
    @Test func unparsedTitleIsNotJudged() throws {
        var d = try Fixtures.article(Self.article)
        for i in d.references.indices { d.references[i].title = nil }
        let screened = try Fixtures.screened(d)
        #expect(!screened.findings.contains { $0.kind == .topicMismatch })
    }
}

/// Documents built by hand (no ingest, no citations stage): blocks, sections, citations and
/// references with spans into the text.
struct HandDocument {
    enum Part { case text(String), cite(String, Int) }
    var text: [UInt8] = []
    var blocks: [Block] = []
    var sections: [Section] = []
    var citations: [Citation] = []
    var references: [Reference] = []
    var title: String?

    private mutating func append(_ s: String) -> Span {
        if !text.isEmpty { text += Array("\n\n".utf8) }
        let start = text.count
        text += Array(s.utf8)
        return Span(start, text.count)
    }

    mutating func title(_ s: String) {
        let span = append(s)
        blocks.append(Block(kind: .title, span: span))
        sections.append(Section(kind: .title, span: span))
        title = s
    }

    mutating func heading(_ s: String) {
        let span = append(s)
        blocks.append(Block(kind: .heading, span: span, level: 1))
        sections.append(Section(kind: .heading, span: span, label: s))
    }

    mutating func paragraph(_ parts: [Part]) {
        if !text.isEmpty { text += Array("\n\n".utf8) }
        let start = text.count
        for p in parts {
            switch p {
            case .text(let s): text += Array(s.utf8)
            case .cite(let s, let ref):
                let a = text.count
                text += Array(s.utf8)
                citations.append(Citation(span: Span(a, text.count), style: .parenthetical, authors: [], etAl: false,
                                          year: "", references: [ref]))
            }
        }
        blocks.append(Block(kind: .paragraph, span: Span(start, text.count)))
    }

    mutating func reference(_ entry: String, family: String, year: String, title: String?, container: String? = nil) {
        let span = append(entry)
        blocks.append(Block(kind: .listItem, span: span))
        references.append(Reference(span: span, authors: [PersonName(family: family, given: "A.")], year: year,
                                    title: title, container: container))
    }

    func document() -> Document {
        var d = Document(source: "hand.txt", raw: [])
        d.textBytes = text
        d.blocks = blocks
        var sections = self.sections
        if let first = references.first?.span.start, let last = references.last?.span.end {
            sections.append(Section(kind: .references, span: Span(first, last)))
        }
        d.sections = sections
        d.title = title
        d.citations = citations
        d.references = references
        for (ci, c) in citations.enumerated() { for r in c.references { d.references[r].citedBy.append(ci) } }
        return d
    }
}

@Suite struct TopicMismatchHandMadeTests {
    func makeDocument() -> Document {
        var h = HandDocument()
        h.title("Navigating the Intersection of Refugee Law and State Sovereignty")
        h.heading("Refugee protection")
        h.paragraph([.text("States owe refugees protection against refoulement under the Refugee Convention ("),
                     .cite("Goodwin-Gill, 2007", 0),
                     .text("). Asylum courts weigh the risk of persecution on return. The same duty binds states that never ratified the Convention, as customary international law ("),
                     .cite("Hathaway, 2005", 1), .text(").")])
        h.heading("Sovereignty and borders")
        h.paragraph([.text("Governments invoke sovereignty to justify pushbacks at sea and closed borders ("),
                     .cite("Kim, 2021", 2),
                     .text("). Courts have rejected that reading of sovereignty when asylum seekers are at risk ("),
                     .cite("Kim, 2021", 2), .text(").")])
        h.paragraph([.text("Refugee law also limits detention of asylum seekers ("), .cite("Goodwin-Gill, 2007", 0), .text(").")])
        h.heading("References")
        h.reference("Goodwin-Gill, A., 2007. The refugee in international law. Oxford.", family: "Goodwin-Gill", year: "2007",
                    title: "The refugee in international law")
        h.reference("Hathaway, A., 2005. The rights of refugees under international law. Cambridge.", family: "Hathaway", year: "2005",
                    title: "The rights of refugees under international law")
        h.reference("Kim, A., 2021. Navigating unsignalized intersections with deep reinforcement learning. IEEE Transactions on Intelligent Vehicles.",
                    family: "Kim", year: "2021", title: "Navigating unsignalized intersections with deep reinforcement learning",
                    container: "IEEE Transactions on Intelligent Vehicles")
        return h.document()
    }

    /// The keyword-stuffing pattern, on a document built by hand: a title that shares words only
    /// with the article's own title. A work cited twice for unrelated passages gets a finding for
    /// each citation; the on-topic works none.
    @Test func keywordStuffingOnHandBuiltDocument() throws {
        let d = makeDocument()
        let screened = try Fixtures.screened(d)
        let topic = screened.findings.filter { $0.kind == .topicMismatch }
        #expect(topic.map(\.citations) == [[2], [3]])
        #expect(topic.allSatisfy { $0.references == [2] })
        #expect(topic.allSatisfy { $0.message.contains("'Navigating, intersections' with this article's own title") })
        let judgments = TopicScreen(vocabulary: try Fixtures.stage.vocabulary, options: try Fixtures.stage.topic!).judge(d).judgments
        #expect(judgments.count == 5)
        let kim = judgments.filter { $0.references == [2] }
        #expect(kim.allSatisfy { $0.stuffing == ["Navigating", "intersections"] && $0.passage == 0 })
        #expect(kim.allSatisfy { ($0.field ?? 1) == 0 })
        #expect(judgments.filter { $0.references != [2] }.allSatisfy { $0.score > 0.6 && $0.stuffing.isEmpty })
    }

    /// A citation resolving to several entries is judged only when they are one work listed twice.
    @Test func ambiguousCitations() throws {
        var d = makeDocument()
        d.citations[2].references = [0, 2]  // two different works: not judged
        var screened = try Fixtures.screened(d)
        #expect(!screened.findings.contains { $0.kind == .topicMismatch && $0.citations == [2] })
        d.references[0].title = d.references[2].title  // one work listed twice: judged, both named
        d.citations[0].references = [0, 2]
        screened = try Fixtures.screened(d)
        let f = try #require(screened.findings.first { $0.kind == .topicMismatch && $0.citations == [0] })
        #expect(f.references == [0, 2])
    }

    /// The words of a citation (names, years) are not words of the passage.
    @Test func citationTextIsNotPassage() throws {
        var h = HandDocument()
        h.title("Refugee law")
        h.paragraph([.text("Refugees are protected against return ("), .cite("Tomato, 2019", 0), .text(").")])
        h.reference("Tomato, A., 2019. Tomato harvests. Farm.", family: "Tomato", year: "2019", title: "Tomato harvests in the valley")
        let d = h.document()
        let j = try #require(TopicScreen(vocabulary: try Fixtures.stage.vocabulary, options: try Fixtures.stage.topic!).judge(d).judgments.first)
        #expect(j.passage == 0)
        #expect(j.shared.isEmpty)
    }

    /// Stage settings reach the screen: a threshold of 0 reports nothing, the check can be off.
    @Test func settingsChangeTheOutcome() throws {
        let d = makeDocument()
        let none = try Fixtures.screened(d, Fixtures.stage(["topicThreshold": .number(0)]))
        #expect(!none.findings.contains { $0.kind == .topicMismatch })
        let off = try Fixtures.screened(d, Fixtures.stage(["topicMismatch": .bool(false)]))
        #expect(!off.findings.contains { $0.kind == .topicMismatch })
        let all = try Fixtures.screened(d, Fixtures.stage(["topicThreshold": .number(1)]))
        #expect(all.findings.filter { $0.kind == .topicMismatch }.count == 5)
    }
}
